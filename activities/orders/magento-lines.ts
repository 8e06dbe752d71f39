import type { LineQty, Order, OrderItem } from '../../integrations/magento';

/**
 * One sellable line of a Magento order as Odoo sees it. A configurable product arrives as two
 * items: the parent (price, quantity, tax, and the id Magento ships and invoices) and its simple
 * child (the SKU Odoo stocks, at price 0). They become one line here.
 */
export interface MagentoLine {
  /** index in order.items of the item whose SKU is used, for readable error messages */
  index: number;
  /** the item to name in ship/invoice/refund requests: the parent for a configurable */
  itemId: number;
  sku: string;
  productType: string;
  qtyOrdered: number;
  qtyShipped: number;
  qtyInvoiced: number;
  qtyCanceled: number;
  qtyRefunded: number;
  price: number;
  discountAmount: number;
  taxPercent: number;
  isVirtual: boolean;
  /**
   * A bundle component (the bundle arrives as its parent plus one child per chosen option). Odoo
   * gets one line per component, which is what it stocks and delivers: with dynamic pricing each
   * child carries its own money; with a fixed price the parent does, and each component takes a
   * share of it (`share`, by the components' quantities).
   */
  bundle?: {
    parentIndex: number; parentSku: string; dynamic: boolean; share: number; last: boolean;
    /** the bundle row, which Magento names in a document where the components only follow it */
    parentItemId: number;
    /** units of this component in one bundle (child qty_ordered / parent qty_ordered) */
    perBundle: number;
  };
}

const n = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function magentoLines(order: Order): MagentoLine[] {
  const lines: MagentoLine[] = [];
  order.items.forEach((item, index) => {
    if (item.product_type === 'bundle' && !item.parent_item_id) {
      lines.push(...bundleLines(order, item, index));
      return;
    }
    if (item.parent_item_id) return;
    let skuIndex = index;
    let skuItem: OrderItem = item;
    if (item.product_type === 'configurable') {
      const childIndex = order.items.findIndex((c) => c.parent_item_id === item.item_id);
      if (childIndex !== -1) {
        skuIndex = childIndex;
        skuItem = order.items[childIndex] as OrderItem;
      }
    }
    // A configurable's money is on the parent; its SKU (and line index) is the chosen child's.
    lines.push({ ...lineOf(item, skuIndex, item), sku: skuItem.sku });
  });
  return lines;
}

function bundleLines(order: Order, parent: OrderItem, parentIndex: number): MagentoLine[] {
  const children = order.items.map((c, i) => [c, i] as const).filter(([c]) => c.parent_item_id === parent.item_id);
  // A bundle whose options the body does not list: the parent alone (its SKU must exist in Odoo).
  if (children.length === 0) return [lineOf(parent, parentIndex, parent)];
  const dynamic = children.some(([c]) => n(c.price) * n(c.qty_ordered) > 0);
  const totalQty = children.reduce((s, [c]) => s + n(c.qty_ordered), 0);
  return children.map(([child, i], k) => {
    const share = totalQty > 0 ? n(child.qty_ordered) / totalQty : 1 / children.length;
    const line = lineOf(child, i, child);
    if (!dynamic) {
      // Fixed price: the parent's unit price and tax, spread over the components.
      line.price = n(child.qty_ordered) > 0 ? (n(parent.price) * n(parent.qty_ordered) * share) / n(child.qty_ordered) : 0;
      line.taxPercent = n(parent.tax_percent);
      line.discountAmount = n(parent.discount_amount) * share;
    }
    const perBundle = n(parent.qty_ordered) > 0 ? n(child.qty_ordered) / n(parent.qty_ordered) : 1;
    line.bundle = { parentIndex, parentSku: parent.sku, dynamic, share, last: k === children.length - 1, parentItemId: parent.item_id, perBundle };
    return line;
  });
}

function lineOf(item: OrderItem, index: number, moneyItem: OrderItem): MagentoLine {
  return {
    index,
    itemId: item.item_id,
    sku: item.sku,
    productType: item.product_type,
    qtyOrdered: n(item.qty_ordered),
    qtyShipped: n(item.qty_shipped),
    qtyInvoiced: n(item.qty_invoiced),
    qtyCanceled: n(item.qty_canceled),
    qtyRefunded: n(item.qty_refunded),
    price: n(moneyItem.price),
    discountAmount: n(moneyItem.discount_amount),
    taxPercent: n(moneyItem.tax_percent),
    isVirtual: Boolean(item.is_virtual) || item.product_type === 'virtual' || item.product_type === 'downloadable',
  };
}

/**
 * Spreads quantities Odoo reports per SKU over the Magento lines carrying that SKU, never more
 * than `room(line)` on a line (Magento refuses to ship or invoice more than is open). Quantities
 * for SKUs the Magento order does not have are left out: Odoo may deliver a substitute.
 */
export function allocate(lines: MagentoLine[], bySku: Map<string, number>, room: (line: MagentoLine) => number): LineQty[] {
  const out: LineQty[] = [];
  for (const [sku, wanted] of bySku) {
    let left = wanted;
    for (const line of lines) {
      if (left <= 1e-9) break;
      if (line.sku.toLowerCase() !== sku.toLowerCase()) continue;
      const qty = Math.min(left, Math.max(0, room(line)));
      if (qty <= 1e-9) continue;
      out.push({ orderItemId: line.itemId, qty: round4(qty) });
      left -= qty;
    }
  }
  return mergeByItem(out);
}

function mergeByItem(items: LineQty[]): LineQty[] {
  const merged = new Map<number, number>();
  for (const item of items) merged.set(item.orderItemId, (merged.get(item.orderItemId) ?? 0) + item.qty);
  return [...merged].map(([orderItemId, qty]) => ({ orderItemId, qty: round4(qty) }));
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

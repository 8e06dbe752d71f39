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
}

const n = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function magentoLines(order: Order): MagentoLine[] {
  const lines: MagentoLine[] = [];
  order.items.forEach((item, index) => {
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
    lines.push({
      index: skuIndex,
      itemId: item.item_id,
      sku: skuItem.sku,
      productType: item.product_type,
      qtyOrdered: n(item.qty_ordered),
      qtyShipped: n(item.qty_shipped),
      qtyInvoiced: n(item.qty_invoiced),
      qtyCanceled: n(item.qty_canceled),
      qtyRefunded: n(item.qty_refunded),
      price: n(item.price),
      discountAmount: n(item.discount_amount),
      taxPercent: n(item.tax_percent),
      isVirtual: Boolean(item.is_virtual) || item.product_type === 'virtual' || item.product_type === 'downloadable',
    });
  });
  return lines;
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

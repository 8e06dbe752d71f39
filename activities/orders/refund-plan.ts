import type { Creditmemo, LineQty, Order } from '../../integrations/magento';
import type { CreditNoteLine } from '../../integrations/odoo/accounting';
import type { DeliveredLine, InvoicingLine } from '../../integrations/odoo/sale-lines';
import { billsByBundleRow, documentItems } from './bundle-documents';
import { OrderDataError } from './failures';
import { allocate, round2, type MagentoLine } from './magento-lines';

/**
 * What a refund is, line by line, on the other side: a Magento credit memo as the lines of an
 * Odoo credit note, Odoo credit notes as Magento's refund arguments, and what a refund before
 * shipment takes off the Odoo order lines. Pure: the credit memo sync (syncCreditMemos.ts) reads
 * both systems and writes; every rule here is unit-tested without I/O (test/unit/refund-plan.test.ts).
 *
 * Odoo lines are matched to Magento lines by SKU, case-insensitively (`skus`: Odoo product id →
 * its default_code).
 */

// Magento and Odoo round taxes differently (per row vs per line); a cent either way is normal.
export const TOTAL_TOLERANCE = 0.01;
const EPS = 1e-6;

const num = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const skuOf = (skus: ReadonlyMap<number, string>, productId: number | null): string | undefined => skus.get(productId ?? -1)?.toLowerCase();
const isProduct = (line: InvoicingLine): boolean => !line.isDisplay && !line.isDelivery;

export function creditMemoName(memo: Pick<Creditmemo, 'increment_id' | 'entity_id'>): string {
  return memo.increment_id ?? String(memo.entity_id);
}

/** One order line to lower: refunded goods that will not ship. */
export interface QuantityRelease {
  lineId: number;
  sku: string;
  from: number;
  to: number;
}

/**
 * Goods refunded before they shipped: per SKU, the Odoo lines' quantity comes down to what is
 * still sold (ordered − cancelled − refunded beyond what shipped). The last lines of a SKU give
 * first, each never below what it has delivered: goods that left come back through a return.
 */
export function quantityReleases(magentoRows: MagentoLine[], saleLines: DeliveredLine[], skus: ReadonlyMap<number, string>): QuantityRelease[] {
  const sold = new Map<string, number>();
  for (const l of magentoRows) {
    const key = l.sku.toLowerCase();
    sold.set(key, (sold.get(key) ?? 0) + l.qtyOrdered - l.qtyCanceled - Math.max(0, l.qtyRefunded - l.qtyShipped));
  }
  const planned = new Map<string, number>();
  for (const line of saleLines) {
    const sku = skuOf(skus, line.productId);
    if (sku) planned.set(sku, (planned.get(sku) ?? 0) + line.quantity);
  }
  const out: QuantityRelease[] = [];
  for (const [sku, target] of sold) {
    let excess = round2((planned.get(sku) ?? 0) - target);
    for (const line of [...saleLines].reverse()) {
      if (excess <= EPS) break;
      if (skuOf(skus, line.productId) !== sku) continue;
      const lowered = Math.max(line.delivered, round2(line.quantity - excess));
      if (lowered >= line.quantity - EPS) continue;
      excess = round2(excess - (line.quantity - lowered));
      out.push({ lineId: line.id, sku: skus.get(line.productId ?? -1) ?? sku, from: line.quantity, to: lowered });
    }
  }
  return out;
}

/**
 * The lines of an Odoo credit note refunding exactly what the Magento credit memo refunds:
 *
 *  - items: the sale line's product, price, discount and taxes at the refunded quantity, linked
 *    to the sale line as Odoo's own reversal would be. A fixed-price bundle is refunded by its
 *    bundle row, which becomes its components' lines (units per bundle × bundles refunded); its
 *    component rows in the memo only follow it and are not counted again;
 *  - shipping: one line on the delivery product at the refunded amount, with the delivery line's
 *    taxes, not linked (it refunds an amount, not the delivery's quantity);
 *  - adjustments: untaxed lines without product ("Adjustment refund" positive, "Adjustment fee"
 *    negative). Magento adds adjustments to the grand total without tax, so an untaxed line is
 *    the only one that makes both totals agree.
 *
 * A refunded SKU the Odoo order has no line for, or refunded shipping without a delivery line,
 * is an OrderDataError naming the order and the credit memo.
 */
export function creditNoteLinesFor(
  memo: Creditmemo,
  magentoRows: MagentoLine[],
  saleLines: InvoicingLine[],
  skus: ReadonlyMap<number, string>,
  order: { incrementId: string; odooName: string },
): CreditNoteLine[] {
  const products = saleLines.filter(isProduct);
  const byItem = new Map(magentoRows.map((l) => [l.itemId, l]));
  const refunded: Array<{ line: MagentoLine; qty: number }> = [];
  for (const item of memo.items) {
    const direct = byItem.get(item.order_item_id);
    if (direct?.bundle && !direct.bundle.dynamic) continue;
    if (direct) refunded.push({ line: direct, qty: num(item.qty) });
    else {
      for (const c of magentoRows.filter((l) => l.bundle && !l.bundle.dynamic && l.bundle.parentItemId === item.order_item_id)) {
        refunded.push({ line: c, qty: num(item.qty) * c.bundle!.perBundle });
      }
    }
  }

  const name = creditMemoName(memo);
  const lines: CreditNoteLine[] = [];
  for (const { line, qty } of refunded) {
    // Only priced rows: a configurable's child row repeats its parent's quantity at price 0.
    if (qty <= EPS) continue;
    const saleLine = products.find((l) => skuOf(skus, l.productId) === line.sku.toLowerCase());
    if (!saleLine) {
      throw new OrderDataError(
        'UnknownSku',
        `order ${order.incrementId}: Magento credit memo ${name} refunds "${line.sku}", which Odoo sale order ${order.odooName} has no line for`,
      );
    }
    lines.push({
      productId: saleLine.productId,
      name: saleLine.name || line.sku,
      quantity: qty,
      priceUnit: saleLine.priceUnit,
      discount: saleLine.discount,
      taxIds: saleLine.taxIds,
      saleLineId: saleLine.id,
    });
  }
  const shipping = num(memo.shipping_amount);
  if (shipping > EPS) {
    const delivery = saleLines.find((l) => l.isDelivery);
    if (!delivery) {
      throw new OrderDataError(
        'UnmappedCarrier',
        `order ${order.incrementId}: Magento credit memo ${name} refunds shipping ${shipping.toFixed(2)} but Odoo sale order ${order.odooName} has no delivery line`,
      );
    }
    lines.push({
      productId: delivery.productId,
      name: `Shipping refund: ${delivery.name || 'delivery'}`,
      quantity: 1,
      priceUnit: shipping,
      taxIds: delivery.taxIds,
    });
  }
  const positive = num(memo.adjustment_positive);
  if (positive > EPS) lines.push({ name: `Adjustment refund (Magento credit memo ${name})`, quantity: 1, priceUnit: positive, taxIds: [] });
  const negative = num(memo.adjustment_negative);
  if (negative > EPS) lines.push({ name: `Adjustment fee (Magento credit memo ${name})`, quantity: 1, priceUnit: -negative, taxIds: [] });
  return lines;
}

/** Magento's refund arguments for some Odoo credit notes, and the total they must come to. */
export interface MagentoRefund {
  items: LineQty[];
  shipping: number;
  adjustmentPositive: number;
  adjustmentNegative: number;
  total: number;
}

/**
 * Turns posted Odoo credit notes (their `totals`) into Magento's refund arguments. Quantities: per
 * SKU, what Magento still counts as invoiced and unrefunded beyond Odoo's net invoiced quantity
 * (Odoo's credit notes lower its sale lines' qty_invoiced), placed on the Magento items
 * (configurable parents, fixed-price bundle rows, dynamic bundles' components) that can take it.
 * Shipping: refunded when the credit notes took back the delivery line, tax taken out (Magento
 * adds it), up to what Magento can still refund. Whatever amount is left is a Magento adjustment
 * (refund or fee).
 */
export function magentoRefundFor(
  order: Pick<Order, 'shipping_invoiced' | 'shipping_refunded'>,
  magentoRows: MagentoLine[],
  saleLines: InvoicingLine[],
  skus: ReadonlyMap<number, string>,
  totals: number[],
): MagentoRefund {
  const odooNet = new Map<string, { qty: number; unitTotal: number }>();
  for (const line of saleLines.filter(isProduct)) {
    const sku = skuOf(skus, line.productId);
    if (!sku) continue;
    const entry = odooNet.get(sku) ?? { qty: 0, unitTotal: 0 };
    entry.qty += line.qtyInvoiced;
    if (line.quantity > EPS) entry.unitTotal = line.total / line.quantity;
    odooNet.set(sku, entry);
  }
  const magentoNet = new Map<string, number>();
  for (const line of magentoRows) magentoNet.set(line.sku.toLowerCase(), (magentoNet.get(line.sku.toLowerCase()) ?? 0) + line.qtyInvoiced - line.qtyRefunded);
  const beyond = new Map<string, number>();
  let itemsTotal = 0;
  for (const [sku, net] of magentoNet) {
    const odoo = odooNet.get(sku);
    if (!odoo) continue;
    const qty = net - odoo.qty;
    if (qty <= EPS) continue;
    beyond.set(sku, qty);
    itemsTotal += qty * odoo.unitTotal;
  }
  const items = documentItems(
    magentoRows,
    allocate(magentoRows, beyond, (l) => l.qtyInvoiced - l.qtyRefunded),
    billsByBundleRow,
  );

  const total = round2(totals.reduce((s, t) => s + t, 0));
  let shipping = 0;
  let shippingTotal = 0;
  const delivery = saleLines.find((l) => l.isDelivery);
  const refundableShipping = round2(num(order.shipping_invoiced) - num(order.shipping_refunded));
  if (delivery && refundableShipping > EPS && delivery.qtyInvoiced < delivery.quantity - EPS) {
    const ratio = delivery.total > EPS ? delivery.subtotal / delivery.total : 1;
    shipping = round2(Math.min(Math.max(total - itemsTotal, 0) * ratio, refundableShipping));
    shippingTotal = ratio > EPS ? shipping / ratio : shipping;
  }
  const rest = round2(total - itemsTotal - shippingTotal);
  return {
    items,
    shipping,
    adjustmentPositive: rest > TOTAL_TOLERANCE ? rest : 0,
    adjustmentNegative: rest < -TOTAL_TOLERANCE ? -rest : 0,
    total,
  };
}

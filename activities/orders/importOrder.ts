import type { Order } from '../../integrations/magento';
import type { OdooClient, SaleOrder, SaleOrderLineInput } from '../../integrations/odoo';
import type { ImportResult, OrderRef } from './contracts';
import { OrderDataError } from './failures';
import { magentoLines, round2, type MagentoLine } from './magento-lines';
import { findOrderByIncrementId, paymentKindOf } from './magento-order';
import { mappedTaxIds, resolveCarrier, resolveTaxes } from './odoo-mappings';
import type { OrderActivityContext } from './order-context';
import { orderDefaultsFor } from './order-defaults';
import { resolvePartnersLocked } from './partners';

// Magento and Odoo round taxes differently (per row vs per line); a cent either way is normal.
const TOTAL_TOLERANCE = 0.01;

/**
 * Brings one Magento order into Odoo as a draft sale order, once. Odoo itself is asked first (a
 * sale order whose client_order_ref is the increment id), so an attempt that crashed after the
 * create is finished, not repeated.
 */
export async function importOrder(ctx: OrderActivityContext, ref: OrderRef): Promise<ImportResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  const order = await findOrderByIncrementId(magento, ref.incrementId);
  if (!order) throw new OrderDataError('OrderNotFound', `Magento has no order ${ref.incrementId} on store view "${channel.magento.storeCode}"`);
  const base = {
    magentoOrderId: order.entity_id,
    magentoStatus: order.status,
    paymentKind: paymentKindOf(order),
    autoConfirm: channel.orders.autoConfirm,
    followUpDays: channel.orders.followUpDays,
  };

  // An order already in Odoo is imported whatever its Magento status is now: otherwise a retry
  // after Magento moved on (e.g. to "complete") would wait for a status that never comes back.
  const existing = await findExisting(ctx, ref, odoo);
  if (existing) {
    if (existing.state === 'draft' || existing.state === 'sent') await finishDraft(ctx, ref.channel, odoo, order, existing);
    return { ...base, outcome: 'already_imported', odooOrderId: existing.id, odooOrderName: existing.name };
  }
  if (!channel.orders.importStatuses.includes(order.status)) return { ...base, outcome: 'not_importable' };

  // Everything that can be wrong with the data is checked before the first write, so a parked
  // order leaves no half-made partner or quotation behind.
  const lines = await saleLines(odoo, order, await mappedTaxIds(ctx.mappings, ref.channel));
  const carrierId = await resolveCarrier(odoo, ctx, ref.channel, order);
  const pricelistId = await groupPricelist(ctx, odoo, ref.channel, order);
  const defaults = await orderDefaultsFor(channel, magento, odoo, order);
  const partners = await resolvePartnersLocked(ctx, ref.channel, order);
  const odooOrderId = await odoo.createSaleOrder({
    ...defaults,
    ...(pricelistId !== null ? { pricelistId } : {}),
    partnerId: partners.partnerId,
    invoiceAddressId: partners.invoiceId,
    shippingAddressId: partners.deliveryId,
    clientOrderRef: order.increment_id,
    origin: saleOrderOrigin(ref.channel, order.increment_id),
    lines,
  });
  await ctx.bindings.bind({ channel: ref.channel, kind: 'order', magentoKey: ref.incrementId, odooId: odooOrderId });
  if (carrierId !== null) await odoo.addDeliveryLine(odooOrderId, carrierId, shippingPrice(order));
  const created = await odoo.readSaleOrder(odooOrderId);
  if (!created) throw new Error(`Odoo sale order ${odooOrderId} vanished right after it was created`);
  checkTotals(order, created);
  return { ...base, outcome: 'imported', odooOrderId, odooOrderName: created.name };
}

async function findExisting(ctx: OrderActivityContext, ref: OrderRef, odoo: OdooClient): Promise<SaleOrder | null> {
  const bound = await ctx.bindings.find(ref.channel, 'order', ref.incrementId);
  if (bound) {
    const order = await odoo.readSaleOrder(bound.odooId);
    if (order) return order;
    throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId} is bound to Odoo sale order ${bound.odooId}, which no longer exists: remove the binding to import it again`);
  }
  // The binding was lost (or the create crashed before it): find the order by its reference.
  // Two shops on one Odoo may both have an order 000000042, so the origin names the channel;
  // orders imported before it did ("Magento 000000042") count only if no channel has them.
  const candidates = await odoo.findSaleOrdersByClientRef(ref.incrementId);
  let found = candidates.find((o) => o.origin === saleOrderOrigin(ref.channel, ref.incrementId)) ?? null;
  for (const legacy of candidates.filter((o) => o.origin === `Magento ${ref.incrementId}`)) {
    if (found) break;
    if (!(await ctx.bindings.findByOdooIdOnAnyChannel('order', legacy.id))) found = legacy;
  }
  if (found) await ctx.bindings.bind({ channel: ref.channel, kind: 'order', magentoKey: ref.incrementId, odooId: found.id });
  return found;
}

/**
 * The customer group's pricelist (reference sync, `mappings set customer_group`): line prices
 * stay Magento's; the pricelist is what Odoo applies when the order is edited or repeated. A
 * pricelist in another currency would turn the order's amounts into that currency: refused.
 */
async function groupPricelist(ctx: OrderActivityContext, odoo: OdooClient, channel: string, order: Order): Promise<number | null> {
  if (order.customer_group_id === null || order.customer_group_id === undefined) return null;
  const group = String(order.customer_group_id);
  const pricelistId = await ctx.mappings.odooIdOf(channel, 'customer_group', group);
  if (pricelistId === null) return null;
  const [pricelist] = await odoo.searchRead('product.pricelist', [['id', '=', pricelistId]], { fields: ['name', 'currency_id'], limit: 1 });
  const fix = `map the group to another pricelist (mappings set customer_group ${group} <pricelist id>) or unmap it (mappings unset customer_group ${group}), then retry`;
  if (!pricelist) throw new OrderDataError('PricelistMismatch', `order ${order.increment_id}: customer group ${group} maps to Odoo pricelist ${pricelistId}, which no longer exists: ${fix}`);
  const currency = Array.isArray(pricelist.currency_id) ? String(pricelist.currency_id[1] ?? '') : '';
  const ordered = order.order_currency_code?.trim().toUpperCase();
  if (ordered && currency && currency.toUpperCase() !== ordered) {
    throw new OrderDataError('PricelistMismatch', `order ${order.increment_id}: customer group ${group} maps to Odoo pricelist "${String(pricelist.name)}" in ${currency}, but the order is in ${ordered}: ${fix}`);
  }
  return pricelistId;
}

/** The sale order's Source Document: the shop order it came from, channel included. */
export function saleOrderOrigin(channel: string, incrementId: string): string {
  return `Magento ${incrementId} (${channel})`;
}

/**
 * A draft found on a retry may be one this activity created before it crashed: it gets its
 * shipping line if that is missing, and the totals check it never reached. An order confirmed
 * in Odoo is taken as it is (that is how ops accept a total that differs).
 */
async function finishDraft(ctx: OrderActivityContext, channel: string, odoo: OdooClient, order: Order, draft: SaleOrder): Promise<void> {
  const carrierId = await resolveCarrier(odoo, ctx, channel, order);
  if (carrierId !== null) {
    const deliveryLines = await odoo.searchRead('sale.order.line', [['order_id', '=', draft.id], ['is_delivery', '=', true]], { fields: ['id'], limit: 1 });
    if (deliveryLines.length === 0) {
      await odoo.addDeliveryLine(draft.id, carrierId, shippingPrice(order));
      draft = (await odoo.readSaleOrder(draft.id)) ?? draft;
    }
  }
  checkTotals(order, draft);
}

function shippingPrice(order: Order): number {
  return round2((order.shipping_amount ?? 0) - (order.shipping_discount_amount ?? 0));
}

function checkTotals(order: Order, odooOrder: SaleOrder): void {
  const magentoTotal = order.grand_total ?? 0;
  if (Math.abs(odooOrder.amount_total - magentoTotal) > TOTAL_TOLERANCE + 1e-9) {
    throw new OrderDataError(
      'TotalsMismatch',
      `order ${order.increment_id}: Odoo total ${odooOrder.amount_total.toFixed(2)} (${odooOrder.name}) differs from Magento grand_total ${magentoTotal.toFixed(2)} ` +
        `by ${Math.abs(odooOrder.amount_total - magentoTotal).toFixed(2)}: fix the Odoo quotation (or confirm it in Odoo to accept the difference), then retry`,
    );
  }
}

async function saleLines(odoo: OdooClient, order: Order, preferredTaxes: ReadonlySet<number>): Promise<SaleOrderLineInput[]> {
  const lines = magentoLines(order);
  const unsupported = lines.find((l) => l.productType === 'bundle');
  if (unsupported) {
    throw new OrderDataError('UnsupportedProductType', `order ${order.increment_id}: items[${unsupported.index}] is a bundle ("${unsupported.sku}"); bundle products are not imported yet`);
  }
  const variants = await odoo.findVariantsBySku(lines.map((l) => l.sku));
  const bySku = new Map(variants.map((v) => [String(v.default_code), v.id]));
  const unknown = lines.filter((l) => !bySku.has(l.sku));
  if (unknown.length > 0) {
    throw new OrderDataError('UnknownSku', `order ${order.increment_id}: ${unknown.map((l) => `items[${l.index}].sku "${l.sku}" is not a product in Odoo`).join('; ')}`);
  }
  const taxes = await resolveTaxes(odoo, order.increment_id, lines.map((l) => ({ index: l.index, percent: l.taxPercent })), preferredTaxes);
  return lines.map((line) => saleLine(line, bySku.get(line.sku) as number, taxes.get(line.taxPercent) ?? null));
}

function saleLine(line: MagentoLine, productId: number, taxId: number | null): SaleOrderLineInput {
  const gross = line.price * line.qtyOrdered;
  // Odoo discounts are percentages; Magento's is an amount per row.
  const discount = gross > 0 && line.discountAmount > 0 ? Math.round((line.discountAmount / gross) * 100 * 10_000) / 10_000 : 0;
  return { productId, quantity: line.qtyOrdered, priceUnit: line.price, discount, taxIds: taxId === null ? [] : [taxId] };
}

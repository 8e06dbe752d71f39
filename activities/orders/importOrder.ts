import { IntegrationError } from '../../integrations/errors';
import type { Order } from '../../integrations/magento';
import type { OdooClient, SaleOrder, SaleOrderLineInput } from '../../integrations/odoo';
import { addRoundingLine, hasDeliveryLine, lineAmountsOf, setLinePrice } from '../../integrations/odoo/sale-lines';
import type { ImportResult, OrderRef } from './contracts';
import { OrderDataError, freshOnDataError } from './failures';
import { magentoLines } from './magento-lines';
import { findOrderByIncrementId } from './magento-order';
import { mappedTaxIds, resolveCarrier, resolveTaxes, type OrderCompany } from './odoo-mappings';
import type { OrderActivityContext } from './order-context';
import { importDecision } from './import-status';
import { checkOrder } from './order-checks';
import { orderNote } from './order-notes';
import { paymentStateOf } from './payment-state';
import { orderValues, totalCorrections, type OrderValues } from './order-values';
import { orderDefaultsFor, type OrderDefaults } from './order-defaults';
import { resolvePartnersLocked } from './partners';
import { legacyOrigin, saleOrderOrigin, saleOrdersOf } from './sale-order-origin';

// The Odoo order must be Magento's grand total to the cent (order-values.ts makes it so); this
// only absorbs float noise in the comparison.
const TOTAL_TOLERANCE = 0.001;

/**
 * Brings one Magento order into Odoo as a sale order, once, and confirms it where the channel
 * auto-confirms (Odoo then makes the delivery): one step, so an order costs what Odoo's own
 * create + confirm cost plus a few reads. Odoo itself is asked first (a sale order whose origin
 * names this order), so an attempt that crashed after the create is finished, not repeated.
 */
export async function importOrder(ctx: OrderActivityContext, ref: OrderRef): Promise<ImportResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  // Asked of both systems at once: the Magento order, and whether Odoo already has it.
  const [order, existing] = await Promise.all([findOrderByIncrementId(magento, ref.incrementId), findExisting(ctx, ref, odoo)]);
  if (!order) throw new OrderDataError('OrderNotFound', `Magento has no order ${ref.incrementId} on store view "${channel.magento.storeCode}"`);
  const base = {
    magentoOrderId: order.entity_id,
    magentoStatus: order.status,
    paymentKind: paymentStateOf(order, channel.orders.paymentMethods).kind,
    autoConfirm: channel.orders.autoConfirm,
    followUpDays: channel.orders.followUpDays,
  };

  // An order already in Odoo is imported whatever its Magento status is now: otherwise a retry
  // after Magento moved on (e.g. to "complete") would wait for a status that never comes back.
  if (existing) {
    let state = existing.state;
    if (state === 'draft' || state === 'sent') {
      await finishDraft(ctx, ref.channel, odoo, order, existing);
      if (channel.orders.autoConfirm) state = (await odoo.ensureConfirmed(existing.id), 'sale');
    }
    // A cancelled one is left to the confirm step, which parks it with its reason.
    return { ...base, outcome: 'already_imported', odooOrderId: existing.id, odooOrderName: existing.name, confirmed: state === 'sale' };
  }
  const decision = importDecision(order, channel.orders.importStatuses);
  if (decision === 'never') return { ...base, outcome: 'canceled_before_import' };
  if (decision === 'wait') return { ...base, outcome: 'not_importable' };

  // Everything that can be wrong with the data is checked before the first write, so a parked
  // order leaves no half-made partner or quotation behind.
  checkOrder(order);
  const values = orderValues(order, magentoLines(order), 0);
  // The customer is looked up while the plan's lookups run; it is created only once the plan stands.
  const planned = freshOnDataError(odoo, () => saleOrderPlan(ctx, ref.channel, order, values));
  const [planResult, partnersResult] = await Promise.allSettled([planned, resolvePartnersLocked(ctx, ref.channel, order, planned)]);
  if (planResult.status === 'rejected') throw planResult.reason;
  if (partnersResult.status === 'rejected') throw partnersResult.reason;
  const plan = planResult.value;
  const partners = partnersResult.value;
  const note = orderNote(order);
  let created = await createOnFreshRefusal(odoo, {
    ...defaultsOf(plan.defaults),
    ...(plan.pricelistId !== null ? { pricelistId: plan.pricelistId } : {}),
    partnerId: partners.partnerId,
    invoiceAddressId: partners.invoiceId,
    shippingAddressId: partners.deliveryId,
    // A B2B order's purchase order number is what the customer calls the order (Odoo copies it
    // to the invoice); otherwise the increment id.
    clientOrderRef: order.payment?.po_number?.trim() || order.increment_id,
    origin: saleOrderOrigin(ref.channel, order.increment_id),
    ...(note ? { note } : {}),
    lines: plan.lines,
    ...(plan.delivery ? { delivery: plan.delivery } : {}),
  });
  const odooOrderId = created.id;
  await ctx.bindings.bind({ channel: ref.channel, kind: 'order', magentoKey: ref.incrementId, odooId: odooOrderId });
  created = await reconcileTotal(odoo, order, created, values, plan.roundingProductId);
  checkTotals(order, created);
  if (channel.orders.autoConfirm) await odoo.ensureConfirmed(odooOrderId);
  return { ...base, outcome: 'imported', odooOrderId, odooOrderName: created.name, confirmed: channel.orders.autoConfirm };
}

/**
 * The create; when Odoo refuses it (a product, tax or carrier kept in the reference cache was
 * deleted or archived meanwhile), the cache is cleared so the retry ops send looks everything up
 * again and names what is missing.
 */
async function createOnFreshRefusal(odoo: OdooClient, input: Parameters<OdooClient['createSaleOrderAndRead']>[0]): Promise<SaleOrder> {
  try {
    return await odoo.createSaleOrderAndRead(input);
  } catch (err) {
    if (err instanceof IntegrationError && !err.retryable) odoo.reference.clear();
    throw err;
  }
}

/** what the sale order's create takes of the store view's defaults */
function defaultsOf({ company, ...rest }: OrderDefaults): Omit<OrderDefaults, 'company'> & { companyId?: number } {
  return company ? { ...rest, companyId: company.id } : rest;
}

interface SaleOrderPlan {
  lines: SaleOrderLineInput[];
  delivery: { carrierId: number; productId: number; name: string; price: number } | null;
  roundingProductId: number | null;
  pricelistId: number | null;
  defaults: OrderDefaults;
}

/** Every Odoo record the sale order refers to, looked up (mostly in the worker's reference cache) before anything is written. */
async function saleOrderPlan(ctx: OrderActivityContext, channelCode: string, order: Order, values: OrderValues): Promise<SaleOrderPlan> {
  const { magento, odoo, channel } = ctx.clientsFor(channelCode);
  // First: the store view's company decides which taxes the lines may carry.
  const defaults = await orderDefaultsFor(channel, magento, odoo, order);
  const lines = await saleLines(odoo, order, values, await mappedTaxIds(ctx.mappings, channelCode), defaults.company);
  const roundingProductId = await roundingProduct(odoo, channel.orders.roundingSku);
  const carrierId = await resolveCarrier(odoo, ctx, channelCode, order);
  let delivery: SaleOrderPlan['delivery'] = null;
  if (carrierId !== null) {
    const carrier = await odoo.reference.carrier(carrierId);
    if (!carrier) throw new OrderDataError('UnmappedCarrier', `order ${order.increment_id}: shipping_method maps to Odoo delivery method ${carrierId}, which does not exist (or has no delivery product): fix the 'carrier' mapping, then retry`);
    delivery = { carrierId, productId: carrier.productId, name: carrier.name, price: values.shippingPrice };
  }
  const pricelistId = await currencyPricelist(ctx, odoo, channelCode, channel.orders.pricelists, order, values.currency);
  return { lines, delivery, roundingProductId, pricelistId, defaults };
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
  const candidates = await saleOrdersOf(odoo, ref.channel, ref.incrementId);
  let found = candidates.find((o) => o.origin === saleOrderOrigin(ref.channel, ref.incrementId)) ?? null;
  for (const legacy of candidates.filter((o) => o.origin === legacyOrigin(ref.incrementId))) {
    if (found) break;
    if (!(await ctx.bindings.findByOdooIdOnAnyChannel('order', legacy.id))) found = legacy;
  }
  if (found) await ctx.bindings.bind({ channel: ref.channel, kind: 'order', magentoKey: ref.incrementId, odooId: found.id });
  return found;
}

/**
 * The pricelist that makes the sale order the order's own currency (an Odoo order's currency is
 * its pricelist's). Line prices stay Magento's; the pricelist is what Odoo applies when the order
 * is edited or repeated. In order: the customer group's pricelist (reference sync, `mappings set
 * customer_group`) when it is in the order currency, then `orders.pricelists.<CUR>`, then null
 * (Odoo's default) for the company currency, then the one active Odoo pricelist in a foreign
 * currency. A currency Odoo lacks, or a foreign one without (or with several) pricelists, parks.
 */
async function currencyPricelist(ctx: OrderActivityContext, odoo: OdooClient, channel: string, configured: Record<string, number>, order: Order, currency: string): Promise<number | null> {
  const id = order.increment_id;
  const odooCurrency = await odoo.reference.currency(currency);
  if (!odooCurrency) {
    throw new OrderDataError('UnknownCurrency', `order ${id}: order_currency_code "${currency}" is not a currency Odoo has: activate it in Odoo (Accounting > Settings > Currencies) and give it a pricelist, then retry`);
  }
  const group = order.customer_group_id === null || order.customer_group_id === undefined ? null : String(order.customer_group_id);
  const groupPricelistId = group === null ? null : await ctx.mappings.odooIdOf(channel, 'customer_group', group);
  if (group !== null && groupPricelistId !== null) {
    const pricelist = await odoo.reference.pricelist(groupPricelistId);
    const fix = `map the group to another pricelist (mappings set customer_group ${group} <pricelist id>) or unmap it (mappings unset customer_group ${group}), then retry`;
    if (!pricelist) throw new OrderDataError('PricelistMismatch', `order ${id}: customer group ${group} maps to Odoo pricelist ${groupPricelistId}, which no longer exists: ${fix}`);
    if (pricelist.currency === currency) return groupPricelistId;
    // Another currency would turn the order's amounts into it; the group's prices are the
    // merchant's choice, so the mapping is what ops fix (or map per currency).
    throw new OrderDataError('PricelistMismatch', `order ${id}: customer group ${group} maps to Odoo pricelist "${pricelist.name}" in ${pricelist.currency}, but the order is in ${currency}: ${fix}`);
  }
  const mapped = configured[currency];
  if (mapped !== undefined) {
    const pricelist = await odoo.reference.pricelist(mapped);
    if (!pricelist || pricelist.currency !== currency) {
      throw new OrderDataError('UnmappedCurrency', `order ${id}: channel setting orders.pricelists.${currency} is Odoo pricelist ${mapped}, which ${pricelist ? `is in ${pricelist.currency}, not ${currency}` : 'does not exist'}: set it to a pricelist in ${currency}, then retry`);
    }
    return mapped;
  }
  if (odooCurrency.active === false) {
    throw new OrderDataError('UnknownCurrency', `order ${id}: order_currency_code "${currency}" is archived in Odoo: activate the currency and give it a pricelist (or set orders.pricelists.${currency}), then retry`);
  }
  // In the company currency Odoo's default pricelist is right (group pricelists were handled above).
  if ((await odoo.reference.companyCurrency()) === currency) return null;
  const found = await odoo.reference.activePricelists(currency);
  if (found.length === 1) return found[0]!.id;
  throw new OrderDataError(
    'UnmappedCurrency',
    `order ${id}: order_currency_code ${currency} has ${found.length === 0 ? 'no active Odoo pricelist' : `${found.length} active Odoo pricelists (${found.map((p) => `${p.id} "${p.name}"`).join(', ')})`}: ` +
      `set the channel's orders.pricelists.${currency} to the pricelist to use${found.length === 0 ? ' (create one in that currency first)' : ''}, then retry`,
  );
}

/**
 * A draft found on a retry may be one this activity created before it crashed: it gets its
 * shipping line if that is missing, and the totals check it never reached. An order confirmed
 * in Odoo is taken as it is (that is how ops accept a total that differs).
 */
async function finishDraft(ctx: OrderActivityContext, channel: string, odoo: OdooClient, order: Order, draft: SaleOrder): Promise<void> {
  const carrierId = await resolveCarrier(odoo, ctx, channel, order);
  if (carrierId !== null) {
    if (!(await hasDeliveryLine(odoo, draft.id))) {
      await odoo.addDeliveryLine(draft.id, carrierId, orderValues(order, magentoLines(order), 0).shippingPrice);
      draft = (await odoo.readSaleOrder(draft.id)) ?? draft;
    }
  }
  checkTotals(order, draft);
}

/**
 * What Odoo computed is compared with Magento's grand total; a difference (Odoo's tax on the
 * delivery line, Magento's per-row rounding deltas) is moved into one product line's price or
 * discount (written once, then read back). Only when no stored value can absorb it, and the
 * channel names a rounding product (orders.roundingSku), a "Rounding difference" line takes it.
 */
async function reconcileTotal(odoo: OdooClient, order: Order, so: SaleOrder, values: OrderValues, roundingProductId: number | null): Promise<SaleOrder> {
  // A few rounds, each from what Odoo stored and computed (not from the prediction): Odoo may
  // recompute a line or the delivery after a write, so the next round starts from its answer.
  for (let round = 0; round < 3; round++) {
    if (Math.round(((order.grand_total ?? 0) - so.amount_total) * 100) === 0) return so;
    const corrections = totalCorrections(values, await lineAmountsOf(odoo, so.id), so.amount_total, order.grand_total ?? 0);
    if (!corrections) break;
    for (const c of corrections) await setLinePrice(odoo, c.lineId, c.priceUnit, c.discount);
    so = (await odoo.readSaleOrder(so.id)) ?? so;
  }
  const residual = Math.round(((order.grand_total ?? 0) - so.amount_total) * 100);
  if (residual === 0 || roundingProductId === null) return so;
  await addRoundingLine(odoo, so.id, roundingProductId, residual / 100);
  return (await odoo.readSaleOrder(so.id)) ?? so;
}

async function roundingProduct(odoo: OdooClient, sku: string | undefined): Promise<number | null> {
  if (!sku) return null;
  const id = (await odoo.reference.variantIds([sku])).get(sku);
  if (id === undefined) throw new OrderDataError('UnknownSku', `channel setting orders.roundingSku "${sku}" is not a product in Odoo: create it (a service without taxes) or unset the key`);
  return id;
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

async function saleLines(odoo: OdooClient, order: Order, values: OrderValues, preferredTaxes: ReadonlySet<number>, company?: OrderCompany): Promise<SaleOrderLineInput[]> {
  // Bundles arrive as their components (magento-lines.ts), each a product Odoo stocks.
  const lines = magentoLines(order);
  const bySku = await odoo.reference.variantIds(lines.map((l) => l.sku));
  const unknown = lines.filter((l) => !bySku.has(l.sku));
  if (unknown.length > 0) {
    throw new OrderDataError('UnknownSku', `order ${order.increment_id}: ${unknown.map((l) => `items[${l.index}].sku "${l.sku}" is not a product in Odoo`).join('; ')}`);
  }
  const taxes = await resolveTaxes(odoo, order.increment_id, lines.map((l) => ({ index: l.index, percent: l.taxPercent })), preferredTaxes, company);
  // Unit price and discount as order-values.ts solved them for Odoo's 2-decimal arithmetic.
  return values.lines.map((line) => {
    const taxId = taxes.get(line.taxPercent) ?? null;
    return { productId: bySku.get(line.sku) as number, quantity: line.quantity, priceUnit: line.priceUnit, discount: line.discount, taxIds: taxId === null ? [] : [taxId] };
  });
}

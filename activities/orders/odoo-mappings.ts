import type { Order } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import { paymentJournalsNamed } from '../../integrations/odoo/accounting';
import type { BindingStore } from '../../store/bindings';
import type { MappingStore } from '../../store/mappings';
import { OrderDataError } from './failures';
import { carrierTitleOf, paymentTitleOf, shippingCodesOf } from './magento-order';

/**
 * Magento codes → Odoo records: taxes, carriers, payment journals, products. Mappings are read
 * from PostgreSQL on every call; Odoo's own records (taxes, carriers by name) come from the
 * worker's reference cache (integrations/odoo/reference.ts), which the order import clears and
 * reads again before it parks an order on a mapping error, so that a fix ops make takes effect on
 * the next retry without restarting the worker. The reference sync (activities/sync/reference.ts) and
 * `mappings list|set` use the same lookups, so "mapped" means the same thing everywhere: a row in
 * reference_mappings (store/mappings.ts), else an older one-to-one binding of that kind, else the
 * naming convention below (an Odoo record named exactly like Magento's title).
 */

export interface MappingLookup { bindings: BindingStore; mappings: MappingStore }

/** The mapped Odoo id of a Magento carrier / payment method code, or null. */
export async function mappedOdooId(lookup: MappingLookup, channel: string, kind: 'carrier' | 'payment_method' | 'tax', magentoKey: string): Promise<number | null> {
  const mapped = await lookup.mappings.odooIdOf(channel, kind, magentoKey);
  if (mapped !== null) return mapped;
  return (await lookup.bindings.find(channel, kind, magentoKey))?.odooId ?? null;
}

/** The company an order is booked in, when the channel names it (orderDefaults): its records only. */
export interface OrderCompany { id: number; name: string }

/**
 * Odoo sale taxes by rate: one percent-rate tax, not price-included, per Magento tax_percent, of
 * the order's company. Taxes belong to one company and real Odoo refuses another company's on an
 * order, so with a company named only its taxes count; without one, where taxes of several
 * companies share the rate, the API user's company (the one Odoo then books the order in).
 */
export async function resolveTaxes(
  odoo: OdooClient, incrementId: string, wanted: Array<{ index: number; percent: number }>, preferred: ReadonlySet<number> = new Set(), company?: OrderCompany,
): Promise<Map<number, number | null>> {
  const result = new Map<number, number | null>();
  const nonZero = wanted.filter((w) => Math.abs(w.percent) > 1e-9);
  for (const w of wanted) if (Math.abs(w.percent) <= 1e-9) result.set(w.percent, null);
  if (nonZero.length === 0) return result;
  const taxes = await odoo.reference.saleTaxes();
  const problems: string[] = [];
  for (const w of nonZero) {
    if (result.has(w.percent)) continue;
    // Magento prices are tax-exclusive in `price`; a price-included Odoo tax would tax them twice.
    let matches = taxes.filter((t) => Math.abs(t.amount - w.percent) < 0.0001 && !t.priceInclude);
    if (company) matches = matches.filter((t) => t.companyId === company.id || t.companyId === null);
    else if (new Set(matches.map((t) => t.companyId)).size > 1) {
      const own = await odoo.reference.userCompany();
      matches = matches.filter((t) => t.companyId === own || t.companyId === null);
    }
    // Several Odoo taxes with one rate (a 19% per country): the ones the reference sync mapped
    // Magento's tax rates to are the ones this store uses.
    if (matches.length > 1 && preferred.size > 0) {
      const narrowed = matches.filter((t) => preferred.has(t.id));
      if (narrowed.length > 0) matches = narrowed;
    }
    if (matches.length === 1) {
      result.set(w.percent, matches[0]!.id);
      continue;
    }
    const found = matches.length === 0 ? `no Odoo sale tax${company ? ` of company "${company.name}"` : ''} has that rate` : `${matches.length} Odoo sale taxes have that rate (${matches.map((m) => `"${m.name}"`).join(', ')})`;
    problems.push(`unmapped tax ${w.percent}% on items[${w.index}]: ${found}`);
  }
  if (problems.length > 0) throw new OrderDataError('UnmappedTax', `order ${incrementId}: ${problems.join('; ')}`);
  return result;
}

/**
 * The Odoo carrier for the order's shipping method: a 'carrier' binding (kept by the reference
 * sync or set by ops), else the one delivery.carrier named like the Magento carrier title, or
 * "<title> (<method code>)" for carriers with several methods. null for orders without shipping.
 */
export async function resolveCarrier(odoo: OdooClient, lookup: MappingLookup, channel: string, order: Order): Promise<number | null> {
  const codes = shippingCodesOf(order);
  if (!codes) return null;
  const title = carrierTitleOf(order);
  const found = await findCarrier(odoo, lookup, channel, codes, title);
  if (found) return found.id;
  throw new OrderDataError(
    'UnmappedCarrier',
    `order ${order.increment_id}: unmapped carrier ${codes.code} (shipping_description "${order.shipping_description ?? ''}"): ` +
      `bind it as a 'carrier' or name one Odoo delivery method "${title ?? codes.code}"`,
  );
}

/** The Odoo journal payments of this Magento payment method go to (of the order's company, when the channel names one). */
export async function resolvePaymentJournal(odoo: OdooClient, lookup: MappingLookup, channel: string, order: Order, company?: OrderCompany): Promise<number> {
  const method = order.payment?.method ?? '';
  const title = paymentTitleOf(order);
  const found = await findPaymentJournal(odoo, lookup, channel, method, title, company?.id);
  if (found) return found.id;
  const where = company ? ` in company "${company.name}"` : '';
  throw new OrderDataError(
    'UnmappedPaymentMethod',
    `order ${order.increment_id}: unmapped payment method ${method || '(none)'}${title ? ` (title "${title}")` : ''}${where}: ` +
      `bind it as a 'payment_method' or create one Odoo bank journal${where} named "Magento ${title ?? method}"`,
  );
}

export interface Found { id: number; via: 'mapping' | 'name' }

/** A shipping method code ("ups_GND", method "GND") → delivery.carrier, or null when unmapped. */
export async function findCarrier(odoo: OdooClient, lookup: MappingLookup, channel: string, codes: { code: string; method: string }, title: string | undefined): Promise<Found | null> {
  const mapped = await mappedOdooId(lookup, channel, 'carrier', codes.code);
  if (mapped !== null) return { id: mapped, via: 'mapping' };
  const names = title ? [title, `${title} (${codes.method})`] : [];
  for (const name of names) {
    const id = await odoo.reference.carrierNamed(name);
    if (id !== null) return { id, via: 'name' };
  }
  return null;
}

/** A payment method code ("checkmo") → the bank/cash journal its payments go to, or null. */
export async function findPaymentJournal(odoo: OdooClient, lookup: MappingLookup, channel: string, method: string, title: string | undefined, companyId?: number): Promise<Found | null> {
  const mapped = method ? await mappedOdooId(lookup, channel, 'payment_method', method) : null;
  // One mapping per method, but journals are per company: another company's order looks for its
  // own journal of the same name (an accountant names them alike).
  if (mapped !== null && (companyId === undefined || (await odoo.reference.journalCompany(mapped)) === companyId)) return { id: mapped, via: 'mapping' };
  if (title) {
    const ids = await paymentJournalsNamed(odoo, `Magento ${title}`, companyId);
    if (ids.length === 1) return { id: ids[0]!, via: 'name' };
  }
  return null;
}

/** Odoo tax ids the channel's Magento tax rates are mapped to (the reference sync's choices). */
export async function mappedTaxIds(mappings: MappingStore, channel: string): Promise<Set<number>> {
  const rows = await mappings.list(channel, 'tax');
  return new Set(rows.map((r) => r.odooId).filter((id): id is number => id !== null));
}

export { many2oneId } from '../../integrations/odoo/many2one';

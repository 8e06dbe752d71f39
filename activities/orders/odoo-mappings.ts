import type { Order } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import type { BindingStore } from '../../store/bindings';
import { OrderDataError } from './failures';
import { carrierTitleOf, paymentTitleOf, shippingCodesOf } from './magento-order';

/**
 * Magento codes → Odoo records: taxes, carriers, payment journals, products. Each is read fresh
 * per call (a handful of small searches) so that a mapping ops fix takes effect on the next
 * retry without restarting the worker.
 */

/** Odoo sale taxes by rate: one percent-rate tax, not price-included, per Magento tax_percent. */
export async function resolveTaxes(odoo: OdooClient, incrementId: string, wanted: Array<{ index: number; percent: number }>): Promise<Map<number, number | null>> {
  const result = new Map<number, number | null>();
  const nonZero = wanted.filter((w) => Math.abs(w.percent) > 1e-9);
  for (const w of wanted) if (Math.abs(w.percent) <= 1e-9) result.set(w.percent, null);
  if (nonZero.length === 0) return result;
  const taxes = await odoo.searchRead('account.tax', [['type_tax_use', '=', 'sale'], ['amount_type', '=', 'percent']], { fields: ['name', 'amount', 'price_include'] });
  const problems: string[] = [];
  for (const w of nonZero) {
    if (result.has(w.percent)) continue;
    // Magento prices are tax-exclusive in `price`; a price-included Odoo tax would tax them twice.
    const matches = taxes.filter((t) => Math.abs(Number(t.amount) - w.percent) < 0.0001 && t.price_include !== true);
    if (matches.length === 1) {
      result.set(w.percent, (matches[0] as { id: number }).id);
      continue;
    }
    const found = matches.length === 0 ? 'no Odoo sale tax has that rate' : `${matches.length} Odoo sale taxes have that rate (${matches.map((m) => `"${String(m.name)}"`).join(', ')})`;
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
export async function resolveCarrier(odoo: OdooClient, bindings: BindingStore, channel: string, order: Order): Promise<number | null> {
  const codes = shippingCodesOf(order);
  if (!codes) return null;
  const bound = await bindings.find(channel, 'carrier', codes.code);
  if (bound) return bound.odooId;
  const title = carrierTitleOf(order);
  const names = title ? [title, `${title} (${codes.method})`] : [];
  for (const name of names) {
    const rows = await odoo.searchRead('delivery.carrier', [['name', '=', name]], { fields: ['name'], limit: 2 });
    if (rows.length === 1) return (rows[0] as { id: number }).id;
  }
  throw new OrderDataError(
    'UnmappedCarrier',
    `order ${order.increment_id}: unmapped carrier ${codes.code} (shipping_description "${order.shipping_description ?? ''}"): ` +
      `bind it as a 'carrier' or name one Odoo delivery method "${title ?? codes.code}"`,
  );
}

/** The Odoo journal payments of this Magento payment method go to. */
export async function resolvePaymentJournal(odoo: OdooClient, bindings: BindingStore, channel: string, order: Order): Promise<number> {
  const method = order.payment?.method ?? '';
  const bound = method ? await bindings.find(channel, 'payment_method', method) : null;
  if (bound) return bound.odooId;
  const title = paymentTitleOf(order);
  if (title) {
    const rows = await odoo.searchRead('account.journal', [['name', '=', `Magento ${title}`], ['type', 'in', ['bank', 'cash']]], { fields: ['name'], limit: 2 });
    if (rows.length === 1) return (rows[0] as { id: number }).id;
  }
  throw new OrderDataError(
    'UnmappedPaymentMethod',
    `order ${order.increment_id}: unmapped payment method ${method || '(none)'}${title ? ` (title "${title}")` : ''}: ` +
      `bind it as a 'payment_method' or create one Odoo bank journal named "Magento ${title ?? method}"`,
  );
}

/** SKU of each Odoo product id (archived products included: read ignores `active`). */
export async function skusOfProducts(odoo: OdooClient, productIds: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(productIds)];
  const rows = await odoo.read('product.product', unique, ['default_code']);
  return new Map(rows.filter((r) => typeof r.default_code === 'string').map((r) => [r.id, String(r.default_code)]));
}

export function many2oneId(value: unknown): number | null {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : null;
}

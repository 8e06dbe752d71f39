import type { Order, OrderAddress } from '../../integrations/magento';
import { shippingAddressOf } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import type { BindingStore } from '../../store/bindings';
import { OrderDataError } from './failures';
import { many2oneId } from './odoo-mappings';

export interface OrderPartners { partnerId: number; invoiceId: number; deliveryId: number }

type AddressVals = Record<string, string | number | false>;
const COMPARED = ['name', 'street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone', 'email'] as const;

/**
 * The customer as an Odoo partner with an invoice and a delivery contact under it. Registered
 * customers are found through their 'customer' binding, then by e-mail; guests by e-mail only,
 * so a guest who orders twice (or registers later) stays one partner. A contact identical to the
 * order's address is reused rather than added again.
 */
export async function resolvePartners(odoo: OdooClient, bindings: BindingStore, channel: string, order: Order): Promise<OrderPartners> {
  const billing = order.billing_address;
  const shipping = shippingAddressOf(order);
  const countries = new CountryCache(odoo, order.increment_id);
  const invoiceVals = billing ? await addressVals(countries, billing, 'invoice', order.customer_email) : undefined;
  const deliveryVals = shipping ? await addressVals(countries, shipping, 'delivery', order.customer_email) : undefined;

  const partnerId = await findOrCreateCustomer(odoo, bindings, channel, order, invoiceVals ?? deliveryVals);
  const invoiceId = invoiceVals ? await findOrCreateContact(odoo, partnerId, invoiceVals) : partnerId;
  const deliveryId = deliveryVals ? await findOrCreateContact(odoo, partnerId, deliveryVals) : invoiceId;
  return { partnerId, invoiceId, deliveryId };
}

function customerName(order: Order): string {
  const name = [order.customer_firstname, order.customer_lastname].filter(Boolean).join(' ').trim();
  if (name) return name;
  const billing = order.billing_address;
  const fromBilling = [billing?.firstname, billing?.lastname].filter(Boolean).join(' ').trim();
  return fromBilling || order.customer_email || `Magento customer of ${order.increment_id}`;
}

function normalEmail(email: string | null | undefined): string | undefined {
  const trimmed = email?.trim().toLowerCase();
  return trimmed || undefined;
}

async function findOrCreateCustomer(odoo: OdooClient, bindings: BindingStore, channel: string, order: Order, address: AddressVals | undefined): Promise<number> {
  const customerKey = order.customer_id && !order.customer_is_guest ? String(order.customer_id) : undefined;
  if (customerKey) {
    const bound = await bindings.find(channel, 'customer', customerKey);
    if (bound) return bound.odooId;
  }
  const email = normalEmail(order.customer_email);
  let partnerId: number | undefined;
  if (email) {
    // =ilike treats "_" as a wildcard: search loosely, then keep only the exact address.
    const rows = await odoo.searchRead('res.partner', [['email', '=ilike', email], ['parent_id', '=', false]], { fields: ['email'], order: 'id asc', limit: 20 });
    for (const row of rows.filter((r) => normalEmail(String(r.email || '')) === email)) {
      // A partner already bound to another Magento account (same e-mail on two websites) is not
      // this customer: reusing it would make the binding conflict.
      const owner = customerKey ? await bindings.findByOdooId(channel, 'customer', row.id) : null;
      if (!owner || owner.magentoKey === customerKey) {
        partnerId = row.id;
        break;
      }
    }
  }
  if (partnerId === undefined) {
    const vals: Record<string, unknown> = { ...(address ?? {}), name: customerName(order), email: email ?? false, customer_rank: 1, type: 'contact' };
    [partnerId] = (await odoo.create('res.partner', [vals])) as [number];
  }
  if (customerKey) await bindings.bind({ channel, kind: 'customer', magentoKey: customerKey, odooId: partnerId });
  return partnerId;
}

async function findOrCreateContact(odoo: OdooClient, parentId: number, vals: AddressVals): Promise<number> {
  const children = await odoo.searchRead('res.partner', [['parent_id', '=', parentId], ['type', '=', vals.type as string]], { fields: [...COMPARED], order: 'id asc' });
  const same = children.find((child) => COMPARED.every((field) => comparable(child[field]) === comparable(vals[field])));
  if (same) return same.id;
  const [id] = (await odoo.create('res.partner', [{ ...vals, parent_id: parentId }])) as [number];
  return id;
}

function comparable(value: unknown): string {
  const id = many2oneId(value);
  if (id !== null) return String(id);
  if (value === false || value === null || value === undefined) return '';
  return String(value).trim().toLowerCase();
}

async function addressVals(countries: CountryCache, address: OrderAddress, type: 'invoice' | 'delivery', fallbackEmail: string | null): Promise<AddressVals> {
  const street = (address.street ?? []).map((s) => s.trim()).filter(Boolean);
  const { countryId, stateId } = await countries.resolve(address, type === 'invoice' ? 'billing_address' : 'shipping_address');
  const name = [address.firstname, address.lastname].filter(Boolean).join(' ').trim();
  return {
    type,
    name: address.company ? `${name}${name ? ', ' : ''}${address.company}` : name,
    street: street[0] ?? false,
    street2: street.slice(1).join(', ') || false,
    city: address.city ?? false,
    zip: address.postcode ?? false,
    country_id: countryId,
    state_id: stateId,
    phone: address.telephone ?? false,
    email: normalEmail(address.email ?? fallbackEmail) ?? false,
  };
}

class CountryCache {
  private readonly countries = new Map<string, number | null>();
  constructor(private readonly odoo: OdooClient, private readonly incrementId: string) {}

  async resolve(address: OrderAddress, field: string): Promise<{ countryId: number | false; stateId: number | false }> {
    const code = address.country_id?.trim().toUpperCase();
    if (!code) throw new OrderDataError('InvalidAddress', `order ${this.incrementId}: ${field}.country_id is empty`);
    if (!this.countries.has(code)) {
      const rows = await this.odoo.searchRead('res.country', [['code', '=', code]], { fields: ['code'], limit: 1 });
      this.countries.set(code, rows[0]?.id ?? null);
    }
    const countryId = this.countries.get(code);
    if (!countryId) throw new OrderDataError('InvalidAddress', `order ${this.incrementId}: ${field}.country_id "${code}" is not a country in Odoo`);
    // An unknown region is not worth parking an order for: the street address still ships.
    let stateId: number | false = false;
    const regionCode = address.region_code?.trim();
    if (regionCode) {
      const states = await this.odoo.searchRead('res.country.state', [['country_id', '=', countryId], ['code', '=', regionCode]], { fields: ['code'], limit: 1 });
      stateId = states[0]?.id ?? false;
    }
    return { countryId, stateId };
  }
}

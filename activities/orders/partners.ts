import type { Order, OrderAddress } from '../../integrations/magento';
import { shippingAddressOf } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import {
  CONTACT_ADDRESS_FIELDS, createContact, createCustomerPartner, invoiceAndDeliveryContactsOf, topLevelPartnersByEmail, type PartnerContact,
} from '../../integrations/odoo/partners';
import type { BindingStore } from '../../store/bindings';
import type { OrderActivityContext } from './order-context';
import { OrderDataError } from './failures';
import { many2oneId } from '../../integrations/odoo/many2one';

export interface OrderPartners { partnerId: number; invoiceId: number; deliveryId: number }

type AddressVals = Record<string, string | number | false>;
/** what makes two contacts the same address */
export const COMPARED = CONTACT_ADDRESS_FIELDS;

/**
 * The customer as an Odoo partner with an invoice and a delivery contact under it. Registered
 * customers are found through their 'customer' binding, then by e-mail; guests by e-mail only,
 * so a guest who orders twice (or registers later) stays one partner. A contact identical to the
 * order's address is reused rather than added again. Nothing is written before `mayWrite`
 * settles, and nothing at all when it fails: the import looks the customer up while it checks
 * the rest of the order, and an order that parks leaves no partner behind.
 */
export async function resolvePartners(odoo: OdooClient, bindings: BindingStore, channel: string, order: Order, mayWrite: Promise<unknown> = Promise.resolve()): Promise<OrderPartners> {
  const billing = order.billing_address;
  const shipping = shippingAddressOf(order);
  const countries = new CountryCache(odoo, order.increment_id);
  const invoiceVals = billing ? await addressVals(countries, billing, 'invoice', order.customer_email) : undefined;
  const deliveryVals = shipping ? await addressVals(countries, shipping, 'delivery', order.customer_email) : undefined;

  const customerKey = order.customer_id && !order.customer_is_guest ? String(order.customer_id) : undefined;
  const found = await findCustomerPartner(odoo, bindings, channel, customerKey, normalEmail(order.customer_email));
  if (found === undefined) {
    await mayWrite;
    // A new customer: the partner and its contacts in one call that answers their ids.
    const created = await createCustomer(odoo, order, invoiceVals, deliveryVals);
    if (customerKey) await bindings.bind({ channel, kind: 'customer', magentoKey: customerKey, odooId: created.partnerId });
    return created;
  }
  const partnerId = found;
  // both kinds of contact in one read
  const contacts = !invoiceVals && !deliveryVals ? [] : await invoiceAndDeliveryContactsOf(odoo, partnerId);
  await mayWrite;
  if (customerKey) await bindings.bind({ channel, kind: 'customer', magentoKey: customerKey, odooId: partnerId });
  const invoiceId = invoiceVals ? await findOrCreateContact(odoo, partnerId, contacts, invoiceVals) : partnerId;
  const deliveryId = deliveryVals ? await findOrCreateContact(odoo, partnerId, contacts, deliveryVals) : invoiceId;
  return { partnerId, invoiceId, deliveryId };
}

function customerName(order: Order): string {
  const name = [order.customer_firstname, order.customer_lastname].filter(Boolean).join(' ').trim();
  if (name) return name;
  const billing = order.billing_address;
  const fromBilling = [billing?.firstname, billing?.lastname].filter(Boolean).join(' ').trim();
  return fromBilling || order.customer_email || `Magento customer of ${order.increment_id}`;
}

/**
 * resolvePartners, one customer at a time: two orders of one customer imported at once would
 * both miss the customer and both create a partner; serialised, the second finds the first's.
 */
export function resolvePartnersLocked(ctx: OrderActivityContext, channel: string, order: Order, mayWrite?: Promise<unknown>): Promise<OrderPartners> {
  const { odoo } = ctx.clientsFor(channel);
  const customerKey = (order.customer_email ?? String(order.customer_id ?? order.increment_id)).trim().toLowerCase();
  return ctx.locks.withLock(`customer:${channel}:${customerKey}`, () => resolvePartners(odoo, ctx.bindings, channel, order, mayWrite));
}

export function normalEmail(email: string | null | undefined): string | undefined {
  const trimmed = email?.trim().toLowerCase();
  return trimmed || undefined;
}

async function createCustomer(odoo: OdooClient, order: Order, invoiceVals: AddressVals | undefined, deliveryVals: AddressVals | undefined): Promise<OrderPartners> {
  const email = normalEmail(order.customer_email);
  const contacts = [invoiceVals, deliveryVals].filter((v): v is AddressVals => v !== undefined);
  const vals = { ...(invoiceVals ?? deliveryVals ?? {}), name: customerName(order), email: email ?? false };
  const { partnerId, contacts: children } = await createCustomerPartner(odoo, vals, contacts);
  if (!contacts.length) return { partnerId, invoiceId: partnerId, deliveryId: partnerId };
  const idOf = (type: string) => children.find((c) => c.type === type)?.id;
  const invoiceId = invoiceVals ? (idOf('invoice') ?? partnerId) : partnerId;
  return { partnerId, invoiceId, deliveryId: deliveryVals ? (idOf('delivery') ?? invoiceId) : invoiceId };
}

/**
 * The one way orders and the customers sync find a customer's Odoo partner: the 'customer'
 * binding of a registered Magento customer, then a top-level partner with the same e-mail (a
 * guest who ordered before, a partner the order import or a person created). Undefined when
 * neither exists; the caller creates and binds.
 */
export async function findCustomerPartner(odoo: OdooClient, bindings: BindingStore, channel: string, customerKey: string | undefined, email: string | undefined): Promise<number | undefined> {
  if (customerKey) {
    const bound = await bindings.find(channel, 'customer', customerKey);
    if (bound) return bound.odooId;
  }
  if (!email) return undefined;
  // The search is loose (=ilike wildcards): only the exact address counts.
  const rows = await topLevelPartnersByEmail(odoo, email);
  for (const row of rows.filter((r) => normalEmail(r.email) === email)) {
    // A partner already bound to another Magento account (same e-mail on two websites) is not
    // this customer: reusing it would make the binding conflict.
    const owner = customerKey ? await bindings.findByOdooId(channel, 'customer', row.id) : null;
    if (!owner || owner.magentoKey === customerKey) return row.id;
  }
  return undefined;
}

/** `contacts`: the partner's invoice and delivery contacts; one made here is added to it */
async function findOrCreateContact(odoo: OdooClient, parentId: number, contacts: PartnerContact[], vals: AddressVals): Promise<number> {
  const same = contacts.find((child) => child.type === vals.type && COMPARED.every((field) => comparable(child[field]) === comparable(vals[field])));
  if (same) return same.id;
  const id = await createContact(odoo, parentId, vals);
  contacts.push({ ...vals, id, type: vals.type as string });
  return id;
}

export function comparable(value: unknown): string {
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
  private readonly countries: CountryResolver;
  constructor(odoo: OdooClient, private readonly incrementId: string) {
    this.countries = new CountryResolver(odoo);
  }

  async resolve(address: OrderAddress, field: string): Promise<{ countryId: number | false; stateId: number | false }> {
    const code = address.country_id?.trim().toUpperCase();
    if (!code) throw new OrderDataError('InvalidAddress', `order ${this.incrementId}: ${field}.country_id is empty`);
    const resolved = await this.countries.resolve(code, address.region_code);
    if (!resolved) throw new OrderDataError('InvalidAddress', `order ${this.incrementId}: ${field}.country_id "${code}" is not a country in Odoo`);
    return resolved;
  }
}

/**
 * ISO country code (and Magento region code) → Odoo res.country / res.country.state ids, from the
 * client's reference cache (integrations/odoo/reference.ts). null when Odoo has no such country:
 * the caller decides whether that parks an order or reports one record of a sync.
 */
export class CountryResolver {
  constructor(private readonly odoo: OdooClient) {}

  countryId(code: string): Promise<number | null> {
    return this.odoo.reference.countryId(code.trim().toUpperCase());
  }

  async resolve(countryCode: string, regionCode: string | null | undefined): Promise<{ countryId: number; stateId: number | false } | null> {
    const countryId = await this.countryId(countryCode);
    if (!countryId) return null;
    // An unknown region is not worth refusing an address for: the street address still ships.
    const region = regionCode?.trim();
    const stateId = region ? ((await this.odoo.reference.stateId(countryId, region)) ?? false) : false;
    return { countryId, stateId };
  }
}

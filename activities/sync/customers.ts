import type { Customer, CustomerAddress, MagentoClient } from '../../integrations/magento';
import { SearchCriteria } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import { contactsOf, createContact, createCustomerPartner, readPartnerFields, writePartnerFields, type PartnerContact } from '../../integrations/odoo/partners';
import { BindingConflictError, type BindingStore, type SyncedValues } from '../../store/bindings';
import { createMappingStore, type MappingStore } from '../../store/mappings';
import { comparable, COMPARED, CountryResolver, findCustomerPartner, normalEmail } from '../orders/partners';
import { contentHash } from './hash';
import type { StreamDeps } from './registry';
import type { RecordFailure, SyncPageInput, SyncPageResult, SyncStream } from './stream';

/**
 * Customers, Magento → Odoo: each registered customer becomes one top-level Odoo partner (a
 * person) and each of its addresses one child contact under it.
 *
 * Address types (Magento addresses have none; only the customer's two defaults say anything):
 *   - the default shipping address      → 'delivery' (also when it is the default billing too)
 *   - the default billing address only  → 'invoice'
 *   - every other address               → 'other'
 * One contact per Magento address, bound one-to-one (kind 'address', key `<customerId>:<addressId>`),
 * so an edit in Magento updates that contact instead of adding one. The partner itself carries the
 * default billing address too: Odoo falls back to the partner when it looks for an invoice
 * address and finds no 'invoice' child, which is exactly the case where billing = shipping.
 *
 * The partner is found the same way the order import finds it (activities/orders/partners.ts):
 * the 'customer' binding, then a top-level partner with the same e-mail, so a guest who ordered
 * before registering, or a partner the order import created, is reused and not duplicated.
 *
 * Unchanged customers cost no Odoo call at all: the hash of everything we would write is kept
 * on the 'customer' binding and on each 'address' binding.
 *
 * Paging is keyset on (updated_at, id), carried in the cursor: offset paging over a set that
 * changes while it is read skips records (one updated mid-run moves to the end and shifts the rest).
 * The watermark is that pair too ("<updated_at>|<id>") once its second is safely over, so a run
 * restarted after a failure goes on after the last customer applied instead of reading every
 * customer stamped in that second again (an import stamps thousands in one second).
 */

interface Cursor { updatedAt: string; id: number }
type Vals = SyncedValues;

export function createCustomersStream(deps: StreamDeps): SyncStream {
  const mappings = createMappingStore(deps.pool);
  return {
    name: 'customers',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { magento, odoo, channel } = deps.clientsFor(input.channel);
      const readAt = Date.now();
      const { items, total } = await readPage(magento, input);
      const sync = new CustomerSync(odoo, deps.bindings, mappings, input.channel, input.full, channel.customers.odooToMagento);
      const result: SyncPageResult = { processed: items.length, written: 0, unchanged: 0, failed: [], nextCursor: null, watermark: null, ...(total !== undefined ? { total } : {}) };
      for (const customer of items) {
        const outcome = await sync.apply(customer);
        if (outcome.written) result.written += 1;
        else if (outcome.failed.length === 0) result.unchanged += 1;
        result.failed.push(...outcome.failed);
      }
      const last = items[items.length - 1];
      if (last) {
        result.watermark = watermarkOf(last, readAt);
        // A short page is the last one; a full page may be followed by more.
        result.nextCursor = !input.keys && items.length >= input.pageSize ? JSON.stringify({ updatedAt: last.updated_at ?? '', id: last.id } satisfies Cursor) : null;
      }
      return result;
    },
  };
}

async function readPage(magento: MagentoClient, input: SyncPageInput): Promise<{ items: Customer[]; total?: number }> {
  const sorted = (c: SearchCriteria) => c.orderBy('updated_at', 'ASC').orderBy('entity_id', 'ASC').withPageSize(input.pageSize).withPage(1);
  if (input.keys) {
    // The real-time path: just these customers (Magento ids), whatever their updated_at.
    if (input.keys.length === 0) return { items: [] };
    const page = await magento.customers.search(SearchCriteria.empty().where('entity_id', 'in', input.keys).orderBy('entity_id', 'ASC').withPageSize(input.keys.length).withPage(1));
    return { items: page.items };
  }
  const resumeAt = input.cursor === null ? pairOf(input.since) : null;
  if (input.cursor === null && !resumeAt) {
    // `gteq`: records stamped in the watermark's own second are read again; their hashes make
    // that free, and nothing saved in that second is lost.
    const base = input.since ? SearchCriteria.empty().where('updated_at', 'gteq', input.since) : SearchCriteria.empty();
    const page = await magento.customers.search(sorted(base));
    return { items: page.items, total: page.total_count };
  }
  const cursor = resumeAt ?? (JSON.parse(input.cursor!) as Cursor);
  // Magento filter groups cannot say "(updated_at = t AND id > n) OR updated_at > t", so that is
  // two searches: the rest of the cursor's second, then what follows it.
  const same = await magento.customers.search(
    sorted(SearchCriteria.empty().where('updated_at', 'eq', cursor.updatedAt).where('entity_id', 'gt', cursor.id)),
  );
  const items = [...same.items];
  if (items.length < input.pageSize) {
    const after = await magento.customers.search(
      SearchCriteria.empty().where('updated_at', 'gt', cursor.updatedAt).orderBy('updated_at', 'ASC').orderBy('entity_id', 'ASC').withPageSize(input.pageSize - items.length).withPage(1),
    );
    items.push(...after.items);
  }
  return { items };
}

// A second this long over cannot get new stamps any more (Magento's clock may run a little
// ahead of ours): only then is "(second, id)" a safe place to go on from.
const SECOND_SETTLED_MS = 60_000;

/** The watermark after `last`: the (updated_at, id) pair once its second is settled, else the second alone. */
export function watermarkOf(last: Pick<Customer, 'updated_at' | 'id'>, readAtMs: number): string | null {
  const at = last.updated_at;
  if (!at) return null;
  const stampedMs = Date.parse(`${at.replace(' ', 'T')}Z`);
  if (Number.isNaN(stampedMs) || last.id === undefined || last.id === null || readAtMs - stampedMs < SECOND_SETTLED_MS + 1000) return at;
  return `${at}|${last.id}`;
}

/** "2026-01-02 03:04:05|42" → the keyset position; a plain timestamp (older runs, recent seconds) → null */
function pairOf(since: string | null): Cursor | null {
  const match = since ? /^(.+)\|(\d+)$/.exec(since) : null;
  return match ? { updatedAt: match[1]!, id: Number(match[2]) } : null;
}

/** Which contact type a Magento address becomes (see the header). */
export function addressType(customer: Customer, address: CustomerAddress): 'invoice' | 'delivery' | 'other' {
  const id = String(address.id ?? '');
  const isShipping = customer.default_shipping === id || address.default_shipping === true;
  const isBilling = customer.default_billing === id || address.default_billing === true;
  if (isShipping) return 'delivery';
  if (isBilling) return 'invoice';
  return 'other';
}

interface Outcome { written: boolean; failed: RecordFailure[] }

class CustomerSync {
  private readonly countries: CountryResolver;
  private readonly pricelists = new Map<number, Promise<number | null>>();
  constructor(
    private readonly odoo: OdooClient,
    private readonly bindings: BindingStore,
    private readonly mappings: MappingStore,
    private readonly channel: string,
    private readonly full: boolean,
    /** contact edits flow back too (customers.odooToMagento): a pending Odoo edit is not overwritten */
    private readonly twoWay: boolean,
  ) {
    this.countries = new CountryResolver(odoo);
  }

  /** the pricelist the customer's group maps to (reference sync / `mappings set`), read once per page */
  private pricelistOf(groupId: number | null | undefined): Promise<number | null> {
    if (groupId === null || groupId === undefined) return Promise.resolve(null);
    let found = this.pricelists.get(groupId);
    if (!found) {
      found = this.mappings.odooIdOf(this.channel, 'customer_group', String(groupId));
      this.pricelists.set(groupId, found);
    }
    return found;
  }

  async apply(customer: Customer): Promise<Outcome> {
    const key = String(customer.id);
    const email = normalEmail(customer.email);
    const addresses = (customer.addresses ?? []).filter((a) => a.id !== null && a.id !== undefined);
    const pricelist = await this.pricelistOf(customer.group_id);
    // Hash the Magento side (what we would write): an unchanged customer needs no Odoo call.
    const hash = customerSourceHash(customer, pricelist);
    const bound = await this.bindings.find(this.channel, 'customer', key);
    if (bound && bound.contentHash === hash && !this.full) return { written: false, failed: [] };

    const failed: RecordFailure[] = [];
    // Resolve every address first: a bad one is reported and skipped, the others still sync.
    const resolved: Array<{ address: CustomerAddress; vals: Vals }> = [];
    for (const address of addresses) {
      const vals = await addressVals(this.countries, customer, address, email);
      if (typeof vals === 'string') failed.push({ key: `${key}:${address.id}`, reason: `customer ${key} (${email ?? 'no e-mail'}) address ${address.id}: ${vals}` });
      else resolved.push({ address, vals });
    }
    const defaultBilling = resolved.find((r) => String(r.address.id) === customer.default_billing);
    const partnerVals: Vals = {
      name: nameOf(customer),
      email: email ?? false,
      ...(defaultBilling ? pick(defaultBilling.vals, ['street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone']) : {}),
      // Only a mapped group sets it: an unmapped one leaves whatever pricelist Odoo has.
      ...(pricelist !== null ? { property_product_pricelist: pricelist } : {}),
    };

    let written = false;
    let partnerId: number;
    try {
      const found = bound?.odooId ?? (await findCustomerPartner(this.odoo, this.bindings, this.channel, key, email));
      if (found === undefined) {
        ({ partnerId } = await createCustomerPartner(this.odoo, partnerVals));
        written = true;
      } else {
        partnerId = found;
      }
      const binding = await this.bindings.bind({ channel: this.channel, kind: 'customer', magentoKey: key, odooId: partnerId });
      if (found !== undefined) {
        const outcome = await this.writeChanged(partnerId, partnerVals, binding.syncedValues);
        written = outcome.written || written;
        await this.bindings.setSyncedValues(this.channel, 'customer', key, outcome.agreed);
      } else {
        await this.bindings.setSyncedValues(this.channel, 'customer', key, partnerVals);
      }
    } catch (err) {
      if (err instanceof BindingConflictError || err instanceof MissingPartnerError) return { written, failed: [...failed, { key, reason: `customer ${key}: ${err.message}` }] };
      throw err;
    }

    let children: PartnerContact[] | undefined;
    const taken = new Set<number>();
    for (const { address, vals } of resolved) {
      const addressKey = `${key}:${address.id}`;
      const addressHash = contentHash(vals);
      const boundAddress = await this.bindings.find(this.channel, 'address', addressKey);
      if (boundAddress) {
        if (boundAddress.contentHash === addressHash && !this.full) continue;
        try {
          const outcome = await this.writeChanged(boundAddress.odooId, vals, boundAddress.syncedValues);
          written = outcome.written || written;
          await this.bindings.setSyncedValues(this.channel, 'address', addressKey, outcome.agreed);
        } catch (err) {
          if (!(err instanceof MissingPartnerError)) throw err;
          failed.push({ key: addressKey, reason: `customer ${key} address ${address.id}: ${err.message}` });
          continue;
        }
        await this.bindings.setContentHash(this.channel, 'address', addressKey, addressHash);
        continue;
      }
      // Not bound yet: an identical contact under the partner (made by the order import, or by
      // a run that died before binding) is adopted rather than duplicated.
      children ??= await contactsOf(this.odoo, partnerId);
      const same = children.find((c) => c.type === vals.type && !taken.has(c.id) && COMPARED.every((f) => comparable(c[f]) === comparable(vals[f])));
      let contactId: number;
      if (same) {
        contactId = same.id;
      } else {
        contactId = await createContact(this.odoo, partnerId, vals);
        written = true;
      }
      taken.add(contactId);
      try {
        await this.bindings.bind({ channel: this.channel, kind: 'address', magentoKey: addressKey, odooId: contactId, contentHash: addressHash });
        await this.bindings.setSyncedValues(this.channel, 'address', addressKey, vals);
      } catch (err) {
        if (!(err instanceof BindingConflictError)) throw err;
        failed.push({ key: addressKey, reason: `customer ${key} address ${address.id}: ${err.message}` });
      }
    }
    // Addresses removed in Magento keep their Odoo contact: past orders and invoices point at it.

    // A customer with a bad address keeps its old hash, so the next run tries it again.
    if (failed.length === 0) await this.bindings.setContentHash(this.channel, 'customer', key, hash);
    return { written, failed };
  }

  /**
   * Reads the record and writes only the fields that differ. With contacts flowing both ways, a
   * field Magento did not change since the last sync (it still equals `baseline`) but Odoo did is
   * an Odoo edit on its way to Magento (the contacts stream): it is left alone, not overwritten.
   * Returns whether it wrote, and the values both sides now agree on (the next baseline).
   */
  private async writeChanged(id: number, vals: Vals, baseline: SyncedValues | null): Promise<{ written: boolean; agreed: Vals }> {
    const fields = Object.keys(vals);
    const current = await readPartnerFields(this.odoo, id, fields);
    // Deleted in Odoo behind our back: writing would fail the whole page; report this record.
    if (!current) throw new MissingPartnerError(id);
    const changed: Vals = {};
    const agreed: Vals = { ...vals };
    for (const field of fields) {
      const want = vals[field] as Vals[string];
      const have = current[field];
      if (comparable(have) === comparable(want)) continue;
      if (this.twoWay && baseline && field in baseline && comparable(baseline[field]) === comparable(want)) {
        agreed[field] = baseline[field] as Vals[string];
        continue;
      }
      changed[field] = want;
    }
    if (Object.keys(changed).length === 0) return { written: false, agreed };
    await writePartnerFields(this.odoo, id, changed);
    return { written: true, agreed };
  }
}

/** The contact's values for a Magento address, or why the address cannot be synced. */
export async function addressVals(countries: CountryResolver, customer: Customer, address: CustomerAddress, email: string | undefined): Promise<Vals | string> {
  const code = address.country_id?.trim().toUpperCase();
  if (!code) return 'country_id is empty';
  const place = await countries.resolve(code, address.region?.region_code ?? null);
  if (!place) return `country_id "${code}" is not a country in Odoo`;
  const street = (address.street ?? []).map((s) => s.trim()).filter(Boolean);
  const name = [address.firstname, address.lastname].filter(Boolean).join(' ').trim() || nameOf(customer);
  return {
    type: addressType(customer, address),
    name: address.company ? `${name}, ${address.company}` : name,
    street: street[0] ?? false,
    street2: street.slice(1).join(', ') || false,
    city: address.city ?? false,
    zip: address.postcode ?? false,
    country_id: place.countryId,
    state_id: place.stateId,
    phone: address.telephone ?? false,
    email: email ?? false,
  };
}

class MissingPartnerError extends Error {
  constructor(id: number) {
    super(`Odoo partner ${id} it is bound to no longer exists (deleted in Odoo); restore it, or remove the binding so the next run re-creates it`);
    this.name = 'MissingPartnerError';
  }
}

/**
 * The hash of everything the customer sync writes from this Magento customer (kept on the
 * 'customer' binding). The contacts stream (Odoo → Magento) compares it too, to tell whether
 * Magento changed since the last customers run.
 */
export function customerSourceHash(customer: Customer, pricelist: number | null): string {
  const addresses = (customer.addresses ?? []).filter((a) => a.id !== null && a.id !== undefined);
  return contentHash({
    v: 2, name: nameOf(customer), email: normalEmail(customer.email) ?? null, billing: customer.default_billing ?? null, shipping: customer.default_shipping ?? null,
    addresses: addresses.map((a) => addressSource(customer, a)), pricelist,
  });
}

export function nameOf(customer: Customer): string {
  return [customer.firstname, customer.middlename, customer.lastname].filter(Boolean).join(' ').trim() || customer.email || `Magento customer ${customer.id}`;
}

function addressSource(customer: Customer, a: CustomerAddress): unknown {
  return {
    id: a.id, type: addressType(customer, a), country: a.country_id ?? null, region: a.region?.region_code ?? null, street: a.street ?? [],
    city: a.city ?? null, zip: a.postcode ?? null, first: a.firstname ?? null, last: a.lastname ?? null, company: a.company ?? null, phone: a.telephone ?? null,
  };
}

function pick(vals: Vals, fields: string[]): Vals {
  return Object.fromEntries(fields.map((f) => [f, vals[f] as Vals[string]]));
}

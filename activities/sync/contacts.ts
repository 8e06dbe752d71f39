import { ApplicationFailure } from '@temporalio/common';
import type { CustomerAddress, CustomerInput, MagentoClient } from '../../integrations/magento';
import type { OdooClient, OdooRecord } from '../../integrations/odoo';
import { positionOf, positionText } from '../../integrations/odoo/write-date-pages';
import { changedPartnersPage, countChangedPartners, countryCodeOf, stateOf, type ChangedPartnersFilter } from '../../integrations/odoo/partners';
import type { Binding, SyncedValues } from '../../store/bindings';
import { createMappingStore } from '../../store/mappings';
import { comparable, CountryResolver, normalEmail } from '../orders/partners';
import { many2oneId } from '../../integrations/odoo/many2one';
import { addressVals, customerSourceHash, nameOf } from './customers';
import { isRecordProblem, reasonOf } from './record-errors';
import type { StreamDeps } from './registry';
import type { RecordFailure, SyncPageInput, SyncPageResult, SyncStream } from './stream';

/**
 * Contacts, Odoo → Magento: the way back for the customers stream, for channels that enable it
 * (`customers.odooToMagento`). A sales rep who fixes a customer's phone number, street or name in
 * Odoo, or adds a delivery address to a synced customer, sees it in the Magento account.
 *
 * What goes back (and nothing else):
 *   - a contact bound to a Magento address: name (→ first/last name and company), street,
 *     street2, city, zip, country, state, phone;
 *   - the customer's own partner: its name (→ first/last name), and its address fields, which
 *     mirror the default billing address (that is what the customers stream writes there);
 *   - a new delivery/invoice/other contact under a synced customer: a new Magento address.
 * Not pushed: e-mail (the Magento login), the contact type, archived or deleted contacts (past
 * orders point at them), partners that are no Magento customer.
 *
 * Both sides may change between two runs, so every field is merged three ways against the values
 * both sides agreed on at the last sync (bindings.synced_values, written by both streams):
 *   Odoo = base                 → nothing to do (a Magento edit is the customers stream's job)
 *   Odoo ≠ base, Magento = base → an Odoo edit: written to Magento
 *   Odoo ≠ base, Magento ≠ base → changed on both sides: reported with both values; Magento's
 *                                 version is kept, and the customers stream will bring Odoo in line
 * A binding made before that column existed has no base: if Magento is unchanged since the last
 * customers run (its content hash), Magento's current values are the base; otherwise the record
 * waits for the customers stream.
 *
 * No ping-pong: after writing to Magento, the customer's content hash is brought up to date
 * (when Magento had nothing else pending), so the customers stream does not carry the same values
 * back; and the customers stream's own writes to Odoo equal the base, so this stream skips them.
 *
 * Paging: keyset on the partner's (write_date, id) like the catalog. Costs: one Odoo search_read
 * per page of changed partners; a partner whose fields still equal the agreed values (the
 * customers stream's own writes, edits of fields that do not go back) costs nothing more; for
 * the others one Magento read per customer and one write per customer with something to push
 * (all of a customer's contacts in one PUT).
 */

/** pushed to a Magento address */
const ADDRESS_FIELDS = ['name', 'street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone'] as const;
/** the customer's own partner: the billing address it mirrors, plus its name */
const MIRRORED_FIELDS = ['street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone'] as const;
const ADDRESS_TYPES = new Set(['delivery', 'invoice', 'other']);

type Vals = SyncedValues;
type Target =
  | { kind: 'customer'; partner: OdooRecord; binding: Binding }
  | { kind: 'address'; partner: OdooRecord; binding: Binding; addressId: number }
  | { kind: 'new'; partner: OdooRecord };

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function createContactsStream(deps: StreamDeps): SyncStream {
  const mappings = createMappingStore(deps.pool);
  async function targetOf(channel: string, partner: OdooRecord): Promise<{ customerId: number; target: Target } | null> {
    const asCustomer = await deps.bindings.findByOdooId(channel, 'customer', partner.id);
    if (asCustomer) return { customerId: Number(asCustomer.magentoKey), target: { kind: 'customer', partner, binding: asCustomer } };
    const asAddress = await deps.bindings.findByOdooId(channel, 'address', partner.id);
    if (asAddress) {
      const [customerId, addressId] = asAddress.magentoKey.split(':').map(Number);
      return { customerId: customerId!, target: { kind: 'address', partner, binding: asAddress, addressId: addressId! } };
    }
    const parent = many2oneId(partner.parent_id);
    if (parent === null || !ADDRESS_TYPES.has(text(partner.type))) return null;
    const owner = await deps.bindings.findByOdooId(channel, 'customer', parent);
    return owner ? { customerId: Number(owner.magentoKey), target: { kind: 'new', partner } } : null;
  }

  /** One Magento customer: merge every changed contact, then one PUT. */
  class ContactPush {
    constructor(
      private readonly channel: string,
      private readonly customerId: number,
      private readonly magento: MagentoClient,
      private readonly countries: CountryResolver,
      private readonly places: OdooPlaces,
    ) {}

    async run(targets: Target[], failed: RecordFailure[]): Promise<number> {
      const customer = await this.magento.customers.get(this.customerId);
      const binding = await deps.bindings.find(this.channel, 'customer', String(this.customerId));
      const pricelist = customer.group_id === null || customer.group_id === undefined ? null : await mappings.odooIdOf(this.channel, 'customer_group', String(customer.group_id));
      // Magento unchanged since the customers stream last wrote Odoo from it
      const magentoSynced = binding?.contentHash === customerSourceHash(customer, pricelist);
      const email = normalEmail(customer.email);
      const addresses: CustomerAddress[] = (customer.addresses ?? []).map((a) => ({ ...a, street: [...(a.street ?? [])] }));
      let names: { firstname: string; lastname: string } | null = null;
      const baselines: Array<{ kind: 'customer' | 'address'; key: string; values: Vals }> = [];
      const created: Array<{ partner: OdooRecord; values: Vals }> = [];
      let pushedPartners = 0;
      const pushedOnAddress = new Map<number, Set<string>>();

      const report = (partner: OdooRecord, reason: string) => failed.push({ key: `contact:${partner.id}`, reason: `Odoo contact ${partner.id} "${text(partner.name)}" (Magento customer ${this.customerId}): ${reason}` });

      // Addresses first: when a contact and the customer's own partner both changed the billing
      // address, the contact (the address itself) wins.
      const ordered = [...targets].sort((a, b) => rank(a) - rank(b));
      for (const target of ordered) {
        const partner = target.partner;
        const odooVals = pick(partner, ADDRESS_FIELDS);
        if (target.kind === 'address') {
          const address = addresses.find((a) => a.id === target.addressId);
          if (!address) continue; // deleted in Magento: its contact stays for the orders that used it
          const magentoVals = await addressVals(this.countries, customer, address, email);
          if (typeof magentoVals === 'string') { report(partner, `its Magento address ${target.addressId}: ${magentoVals}`); continue; }
          const base = target.binding.syncedValues ?? (magentoSynced ? magentoVals : null);
          if (!base) continue; // no base and Magento changed: the customers stream goes first
          const { push, conflicts } = merge(ADDRESS_FIELDS, odooVals, magentoVals, base);
          if (conflicts.length > 0) report(partner, conflictReason(conflicts, odooVals, magentoVals));
          if (push.length === 0) continue;
          const problem = await this.applyChecked(address, push, odooVals);
          if (problem) { report(partner, problem); continue; }
          pushedOnAddress.set(target.addressId, new Set(push));
          baselines.push({ kind: 'address', key: target.binding.magentoKey, values: { ...base, ...pickOf(odooVals, push) } });
          pushedPartners++;
        } else if (target.kind === 'customer') {
          const billing = addresses.find((a) => String(a.id) === customer.default_billing);
          const billingVals = billing ? await addressVals(this.countries, customer, billing, email) : null;
          const magentoVals: Vals = { name: nameOf(customer), ...(billingVals && typeof billingVals !== 'string' ? pickOf(billingVals, [...MIRRORED_FIELDS]) : {}) };
          const partnerVals: Vals = { name: text(partner.name), ...(billing ? pick(partner, MIRRORED_FIELDS) : {}) };
          const base = target.binding.syncedValues ?? (magentoSynced ? magentoVals : null);
          if (!base) continue;
          const fields = ['name', ...(billing ? MIRRORED_FIELDS : [])];
          const merged = merge(fields, partnerVals, magentoVals, base);
          const push = merged.push.filter((f) => !pushedOnAddress.get(billing?.id ?? -1)?.has(f));
          if (merged.conflicts.length > 0) report(partner, conflictReason(merged.conflicts, partnerVals, magentoVals));
          if (push.length === 0) continue;
          const split = push.includes('name') ? splitName(text(partner.name)) : null;
          if (push.includes('name') && !split) { report(partner, `name "${text(partner.name)}" is one word; Magento needs a first and a last name`); continue; }
          const addressFields = push.filter((f) => f !== 'name');
          if (billing && addressFields.length > 0) {
            const problem = await this.applyChecked(billing, addressFields, partnerVals);
            if (problem) { report(partner, problem); continue; }
          }
          if (split) names = split;
          baselines.push({ kind: 'customer', key: String(this.customerId), values: { ...base, ...pickOf(partnerVals, push) } });
          pushedPartners++;
        } else {
          // A new contact under a synced customer: adopt an identical Magento address (a run that
          // died after writing Magento but before binding), else add one.
          let identical: CustomerAddress | undefined;
          for (const a of addresses) {
            const vals = await addressVals(this.countries, customer, a, email);
            if (typeof vals !== 'string' && ADDRESS_FIELDS.every((f) => comparable(vals[f]) === comparable(odooVals[f]))) identical = a;
          }
          if (identical?.id !== undefined && identical.id !== null && !(await deps.bindings.find(this.channel, 'address', `${this.customerId}:${identical.id}`))) {
            await deps.bindings.bind({ channel: this.channel, kind: 'address', magentoKey: `${this.customerId}:${identical.id}`, odooId: partner.id });
            await deps.bindings.setSyncedValues(this.channel, 'address', `${this.customerId}:${identical.id}`, odooVals);
            continue;
          }
          const address: CustomerAddress = { customer_id: this.customerId, street: [], default_billing: false, default_shipping: false } as CustomerAddress;
          const problem = await this.apply(address, [...ADDRESS_FIELDS], odooVals);
          if (problem) { report(partner, problem); continue; }
          // Odoo delivery contacts often have no phone; Magento requires one on every address,
          // and the customer's billing phone is the number the shop already has for them.
          if (!address.telephone?.trim()) address.telephone = addresses.find((a) => String(a.id) === customer.default_billing)?.telephone ?? '';
          const missing = missingRequired(address);
          if (missing) { report(partner, missing); continue; }
          addresses.push(address);
          created.push({ partner, values: odooVals });
          pushedPartners++;
        }
      }
      if (pushedPartners === 0) return 0;

      const before = new Set(addresses.map((a) => a.id).filter((id) => id !== undefined && id !== null));
      const { extension_attributes: _ignored, ...rest } = customer;
      // a name from Odoo is the whole name: a Magento middle name would be said twice
      const body: CustomerInput = { ...rest, ...(names ? { ...names, middlename: null } : {}), addresses };
      const saved = await this.magento.customers.update(this.customerId, body);

      // Bind the addresses this PUT created, in the order they were sent.
      const fresh = (saved.addresses ?? []).filter((a) => a.id !== undefined && a.id !== null && !before.has(a.id));
      for (const [i, { partner, values }] of created.entries()) {
        const address = fresh[i];
        if (!address) continue;
        const key = `${this.customerId}:${address.id}`;
        await deps.bindings.bind({ channel: this.channel, kind: 'address', magentoKey: key, odooId: partner.id });
        await deps.bindings.setSyncedValues(this.channel, 'address', key, values);
      }
      for (const b of baselines) await deps.bindings.setSyncedValues(this.channel, b.kind, b.key, b.values);
      // Magento now holds what Odoo holds: unless Magento had edits of its own still waiting for
      // the customers stream, that stream has nothing to carry back.
      if (magentoSynced) await deps.bindings.setContentHash(this.channel, 'customer', String(this.customerId), customerSourceHash(saved, pricelist));
      return pushedPartners;
    }

    /**
     * apply() on a copy, kept only when Magento will take the result: a contact that cannot be
     * written must not spoil the PUT that carries the customer's other contacts.
     */
    private async applyChecked(address: CustomerAddress, fields: readonly string[], odooVals: Vals): Promise<string | null> {
      const draft: CustomerAddress = { ...address, street: [...(address.street ?? [])] };
      const problem = (await this.apply(draft, fields, odooVals)) ?? missingRequired(draft);
      if (!problem) Object.assign(address, draft);
      return problem;
    }

    /** Writes Odoo's values of `fields` into the Magento address; a reason when it cannot. */
    private async apply(address: CustomerAddress, fields: readonly string[], odooVals: Vals): Promise<string | null> {
      const has = (f: string) => fields.includes(f);
      if (has('name')) {
        const [person, ...company] = text(odooVals.name).split(', ');
        const split = splitName(person ?? '');
        if (!split) return `name "${text(odooVals.name)}" needs a first and a last name for a Magento address`;
        address.firstname = split.firstname;
        address.lastname = split.lastname;
        if (company.length > 0) address.company = company.join(', ');
      }
      if (has('street') || has('street2')) {
        const street = has('street') ? text(odooVals.street) : (address.street ?? [])[0] ?? '';
        const street2 = has('street2') ? text(odooVals.street2) : (address.street ?? []).slice(1).join(', ');
        if (!street.trim()) return 'street is empty; a Magento address needs one';
        address.street = [street, street2].filter((s) => s.trim());
      }
      if (has('city')) address.city = text(odooVals.city);
      if (has('zip')) address.postcode = text(odooVals.zip);
      if (has('phone')) address.telephone = text(odooVals.phone);
      if (has('country_id') || has('state_id')) {
        const place = await this.places.magentoPlace(odooVals.country_id, odooVals.state_id);
        if (typeof place === 'string') return place;
        address.country_id = place.countryCode;
        address.region = place.region;
        address.region_id = place.region.region_id ?? 0;
      }
      return null;
    }
  }

  return {
    name: 'contacts',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { channel, magento, odoo } = deps.clientsFor(input.channel);
      if (!channel.customers.odooToMagento) {
        throw ApplicationFailure.nonRetryable(`channel "${input.channel}": contact changes from Odoo are not enabled (customers.odooToMagento)`, 'StreamDisabled');
      }
      const filter: ChangedPartnersFilter = { since: input.since, ...(input.keys ? { ids: input.keys.map(Number) } : {}) };
      const total = input.cursor === null ? await countChangedPartners(odoo, filter) : undefined;
      const after = input.cursor === null ? null : positionOf(input.cursor);
      const { rows: partners, next } = await changedPartnersPage(odoo, filter, after, input.pageSize);

      // Which Magento customer each changed partner belongs to; the others are not ours.
      const byCustomer = new Map<number, Target[]>();
      for (const partner of partners) {
        if (partner.active === false) continue;
        const found = await targetOf(input.channel, partner);
        // Most changed partners are the customers stream's own writes, or edits of fields that do
        // not go back: no Magento call for those.
        if (!found || !editedInOdoo(found.target)) continue;
        const list = byCustomer.get(found.customerId) ?? [];
        list.push(found.target);
        byCustomer.set(found.customerId, list);
      }

      const result: SyncPageResult = { processed: partners.length, written: 0, unchanged: 0, failed: [], nextCursor: null, watermark: null, ...(total !== undefined ? { total } : {}) };
      const countries = new CountryResolver(odoo);
      const places = new OdooPlaces(odoo, magento);
      for (const [customerId, targets] of byCustomer) {
        try {
          const pushed = await new ContactPush(input.channel, customerId, magento, countries, places).run(targets, result.failed);
          result.written += pushed;
        } catch (err) {
          if (!isRecordProblem(err)) throw err;
          result.failed.push({ key: `customer:${customerId}`, reason: `Magento customer ${customerId}: ${reasonOf(err)}` });
        }
      }
      result.unchanged = Math.max(0, partners.length - result.written - result.failed.length);
      const last = partners.at(-1);
      // a bare second: the next run reads that whole second again (hashes make it cost no write)
      if (last) result.watermark = text(last.write_date) || null;
      if (!input.keys && next) result.nextCursor = positionText(next);
      return result;
    },
  };
}

/** Odoo country/state ids → Magento country code and region (with Magento's region id). */
class OdooPlaces {
  private readonly countryCodes = new Map<number, Promise<string | null>>();
  private readonly states = new Map<number, Promise<{ code: string; name: string } | null>>();
  private readonly regions = new Map<string, Promise<Array<{ id: number; code: string; name: string }>>>();
  constructor(private readonly odoo: OdooClient, private readonly magento: MagentoClient) {}

  async magentoPlace(countryValue: unknown, stateValue: unknown): Promise<{ countryCode: string; region: { region_code: string | null; region: string | null; region_id: number | null } } | string> {
    const countryId = many2oneId(countryValue);
    if (countryId === null) return 'country is empty; a Magento address needs one';
    const countryCode = await this.memo(this.countryCodes, countryId, () => countryCodeOf(this.odoo, countryId));
    if (!countryCode) return `Odoo country ${countryId} has no ISO code`;
    const stateId = many2oneId(stateValue);
    if (stateId === null) return { countryCode, region: { region_code: null, region: null, region_id: 0 } };
    const state = await this.memo(this.states, stateId, () => stateOf(this.odoo, stateId));
    if (!state) return `Odoo state ${stateId} no longer exists`;
    const regions = await this.memo(this.regions, countryCode, async () => {
      const info = await this.magento.directory.country(countryCode);
      return (info.available_regions ?? []).map((r) => ({ id: Number(r.id), code: String(r.code ?? ''), name: String(r.name ?? '') }));
    });
    if (regions.length === 0) return { countryCode, region: { region_code: state.code, region: state.name, region_id: 0 } };
    const region = regions.find((r) => r.code.toUpperCase() === state.code.toUpperCase());
    if (!region) return `state "${state.code}" (${state.name}) is not a region Magento knows for ${countryCode}`;
    return { countryCode, region: { region_code: region.code, region: region.name, region_id: region.id } };
  }

  private memo<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let found = cache.get(key);
    if (!found) {
      found = load();
      cache.set(key, found);
    }
    return found;
  }
}

/**
 * Magento refuses an address without these (AddressInterface validation on a stock 2.4 store):
 * say which one, for this contact, instead of failing the customer's whole PUT.
 */
function missingRequired(address: CustomerAddress): string | null {
  const required: Array<[string, unknown]> = [
    ['first name', address.firstname], ['last name', address.lastname], ['street', address.street?.join('')],
    ['city', address.city], ['zip', address.postcode], ['phone', address.telephone], ['country', address.country_id],
  ];
  const missing = required.filter(([, v]) => !String(v ?? '').trim()).map(([name]) => name);
  return missing.length > 0 ? `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty; Magento requires ${missing.length > 1 ? 'them' : 'it'} on an address` : null;
}

/** Whether Odoo holds a value of a field that goes back which differs from the last agreed one. */
function editedInOdoo(target: Target): boolean {
  if (target.kind === 'new') return true;
  const base = target.binding.syncedValues;
  if (!base) return true; // no base yet: Magento has to be read to tell
  const fields = target.kind === 'address' ? ADDRESS_FIELDS : ['name', ...MIRRORED_FIELDS].filter((f) => f in base);
  const odoo = pick(target.partner, fields);
  return fields.some((f) => comparable(odoo[f]) !== comparable(base[f]));
}

const rank = (t: Target): number => (t.kind === 'address' ? 0 : t.kind === 'new' ? 1 : 2);

/** Fields Odoo changed that Magento did not (push), and fields both changed differently. */
export function merge(fields: readonly string[], odoo: Vals, magento: Vals, base: Vals): { push: string[]; conflicts: string[] } {
  const push: string[] = [];
  const conflicts: string[] = [];
  for (const field of fields) {
    const o = comparable(odoo[field]);
    const m = comparable(magento[field]);
    if (o === m || o === comparable(base[field])) continue;
    if (m === comparable(base[field])) push.push(field);
    else conflicts.push(field);
  }
  return { push, conflicts };
}

function conflictReason(fields: string[], odoo: Vals, magento: Vals): string {
  const shown = fields.map((f) => `${f} (Odoo ${JSON.stringify(odoo[f] ?? false)}, Magento ${JSON.stringify(magento[f] ?? false)})`);
  return `changed in both Odoo and Magento since the last sync: ${shown.join(', ')}; Magento's version is kept and the customers stream will write it to Odoo`;
}

/** "Mary Ann Smith" → Mary Ann / Smith. One word is not a name Magento accepts (both are required). */
export function splitName(name: string): { firstname: string; lastname: string } | null {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return null;
  return { firstname: words.slice(0, -1).join(' '), lastname: words.at(-1)! };
}

function pick(partner: OdooRecord, fields: readonly string[]): Vals {
  const vals: Vals = {};
  for (const f of fields) {
    const v = partner[f];
    vals[f] = Array.isArray(v) ? (many2oneId(v) ?? false) : typeof v === 'string' || typeof v === 'number' ? v : false;
  }
  return vals;
}

function pickOf(vals: Vals, fields: readonly string[]): Vals {
  return Object.fromEntries(fields.map((f) => [f, vals[f] ?? false]));
}

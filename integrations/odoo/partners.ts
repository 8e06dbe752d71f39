import { z } from 'zod';
import { NO_SUBSCRIBE_CONTEXT, type Domain, type OdooClient, type OdooRecord } from './client';
import { parseRows } from './parse-answer';
import { OptionalText } from './schemas';
import { pageByWriteDate, type WriteDatePosition } from './write-date-pages';

/**
 * Customers and their contacts as Odoo keeps them (res.partner): a top-level partner per customer,
 * invoice / delivery / other contacts under it, and the country and state codes of their
 * addresses. Model names, domains and field lists stay here; callers get typed rows.
 */

/** the fields a contact's address is compared on: an identical one is reused, not added again */
export const CONTACT_ADDRESS_FIELDS = ['name', 'street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone', 'email'] as const;

/** what the contacts stream reads of a changed partner */
const CHANGED_PARTNER_FIELDS = [
  'name',
  'type',
  'parent_id',
  'street',
  'street2',
  'city',
  'zip',
  'country_id',
  'state_id',
  'phone',
  'email',
  'active',
  'write_date',
];

const ContactSchema = z.looseObject({ id: z.number().int(), type: OptionalText });
/** a child partner with its type and whatever address fields were read */
export type PartnerContact = z.infer<typeof ContactSchema>;
const EmailRowSchema = z.looseObject({ id: z.number().int(), email: OptionalText });
const CodeRowSchema = z.looseObject({ id: z.number().int(), code: OptionalText });
const StateRowSchema = z.looseObject({ id: z.number().int(), code: OptionalText, name: OptionalText });

export type PartnerVals = Record<string, unknown>;

/**
 * Top-level partners whose e-mail matches `email` case-insensitively (at most 20, oldest first).
 * `=ilike` treats "_" and "%" as wildcards, so the caller keeps only the exact address.
 */
export async function topLevelPartnersByEmail(odoo: OdooClient, email: string): Promise<Array<{ id: number; email: string }>> {
  const rows = await odoo.searchRead(
    'res.partner',
    [
      ['email', '=ilike', email],
      ['parent_id', '=', false],
    ],
    { fields: ['email'], order: 'id asc', limit: 20 },
  );
  return parseRows(EmailRowSchema, rows, 'res.partner.search_read').map((r) => ({ id: r.id, email: r.email || '' }));
}

/**
 * A new customer partner (a person, customer_rank 1) with its contacts made in the same create,
 * and the contacts' ids and types in its answer (web_save); a server without web_save (before
 * 17.0) reads them back in one search.
 */
export async function createCustomerPartner(
  odoo: OdooClient,
  vals: PartnerVals,
  contacts: PartnerVals[] = [],
): Promise<{ partnerId: number; contacts: PartnerContact[] }> {
  const partnerVals = { ...vals, customer_rank: 1, type: 'contact', ...(contacts.length ? { child_ids: contacts.map((c) => [0, 0, c]) } : {}) };
  const saved = contacts.length ? await odoo.webSave('res.partner', partnerVals, { child_ids: { fields: { type: {} } } }, NO_SUBSCRIBE_CONTEXT) : null;
  if (saved) {
    const children = parseRows(ContactSchema, Array.isArray(saved.child_ids) ? saved.child_ids : [], 'res.partner.web_save');
    return { partnerId: saved.id, contacts: children.sort((a, b) => a.id - b.id) };
  }
  const [partnerId] = (await odoo.create('res.partner', [partnerVals], NO_SUBSCRIBE_CONTEXT)) as [number];
  if (!contacts.length) return { partnerId, contacts: [] };
  const children = await odoo.searchRead('res.partner', [['parent_id', '=', partnerId]], { fields: ['type'], order: 'id asc' });
  return { partnerId, contacts: parseRows(ContactSchema, children, 'res.partner.search_read') };
}

/** The partner's invoice and delivery contacts with their address fields, oldest first. */
export async function invoiceAndDeliveryContactsOf(odoo: OdooClient, partnerId: number): Promise<PartnerContact[]> {
  const rows = await odoo.searchRead(
    'res.partner',
    [
      ['parent_id', '=', partnerId],
      ['type', 'in', ['invoice', 'delivery']],
    ],
    {
      fields: [...CONTACT_ADDRESS_FIELDS, 'type'],
      order: 'id asc',
    },
  );
  return parseRows(ContactSchema, rows, 'res.partner.search_read');
}

/** Every contact under the partner, of any type, with its address fields, oldest first. */
export async function contactsOf(odoo: OdooClient, partnerId: number): Promise<PartnerContact[]> {
  const rows = await odoo.searchRead('res.partner', [['parent_id', '=', partnerId]], { fields: ['type', ...CONTACT_ADDRESS_FIELDS], order: 'id asc' });
  return parseRows(ContactSchema, rows, 'res.partner.search_read');
}

/** A contact (invoice, delivery or other address) under `parentId`. */
export async function createContact(odoo: OdooClient, parentId: number, vals: PartnerVals): Promise<number> {
  const [id] = (await odoo.create('res.partner', [{ ...vals, parent_id: parentId }], NO_SUBSCRIBE_CONTEXT)) as [number];
  return id;
}

/** These fields of one partner; null when it no longer exists. */
export async function readPartnerFields(odoo: OdooClient, partnerId: number, fields: readonly string[]): Promise<OdooRecord | null> {
  const [row] = await odoo.read('res.partner', [partnerId], fields);
  return row ?? null;
}

export async function writePartnerFields(odoo: OdooClient, partnerId: number, vals: PartnerVals): Promise<void> {
  await odoo.write('res.partner', [partnerId], vals);
}

/** Which partners the contacts stream looks at: changed since a write_date, or these ids. */
export interface ChangedPartnersFilter {
  since: string | null;
  ids?: number[];
}

function changedDomain(filter: ChangedPartnersFilter): Domain {
  const domain: Domain = [];
  if (filter.since) domain.push(['write_date', '>=', filter.since]);
  if (filter.ids) domain.push(['id', 'in', filter.ids]);
  return domain;
}

export function countChangedPartners(odoo: OdooClient, filter: ChangedPartnersFilter): Promise<number> {
  return odoo.searchCount('res.partner', changedDomain(filter));
}

/**
 * One page of changed partners (archived ones included) in (write_date second, id) order,
 * starting after `after` when given, and where the next page starts (null: none left). See
 * write-date-pages.ts for why Odoo's datetimes need pages of their own.
 */
export async function changedPartnersPage(
  odoo: OdooClient,
  filter: ChangedPartnersFilter,
  after: WriteDatePosition | null,
  limit: number,
): Promise<{ rows: OdooRecord[]; next: WriteDatePosition | null }> {
  return pageByWriteDate(
    (domain, order, size) => odoo.searchRead('res.partner', domain, { fields: CHANGED_PARTNER_FIELDS, order, limit: size }),
    changedDomain(filter),
    after,
    limit,
  );
}

/** The ISO code of an Odoo country ('' when it has none); null when no such country. */
export async function countryCodeOf(odoo: OdooClient, countryId: number): Promise<string | null> {
  const [row] = parseRows(
    CodeRowSchema,
    await odoo.searchRead('res.country', [['id', '=', countryId]], { fields: ['code'], limit: 1 }),
    'res.country.search_read',
  );
  return row ? row.code || '' : null;
}

/** An Odoo state's code and name; null when no such state. */
export async function stateOf(odoo: OdooClient, stateId: number): Promise<{ code: string; name: string } | null> {
  const rows = await odoo.searchRead('res.country.state', [['id', '=', stateId]], { fields: ['code', 'name'], limit: 1 });
  const [row] = parseRows(StateRowSchema, rows, 'res.country.state.search_read');
  return row ? { code: row.code || '', name: row.name || '' } : null;
}

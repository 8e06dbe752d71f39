import { badRequest, MagentoError, noSuchEntity } from '../magento-error';
import { defineRoute, intParam, requireBodyParam, type RequestContext } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import { regionOf } from '../seed';
import type { Json } from '../state';
import { dataObjectInput } from './catalog';

/** Magento\Customer\Api\Data\CustomerInterface, in serializer order (fields.json) */
const CUSTOMER_FIELDS = [
  'id', 'group_id', 'default_billing', 'default_shipping', 'confirmation', 'created_at', 'updated_at', 'created_in', 'dob', 'email',
  'firstname', 'lastname', 'middlename', 'prefix', 'suffix', 'gender', 'store_id', 'taxvat', 'website_id', 'addresses',
  'disable_auto_group_change', 'extension_attributes', 'custom_attributes',
];
/** Magento\Customer\Api\Data\AddressInterface, in serializer order */
const ADDRESS_FIELDS = [
  'id', 'customer_id', 'region', 'region_id', 'country_id', 'street', 'company', 'telephone', 'fax', 'postcode', 'city', 'firstname',
  'lastname', 'middlename', 'prefix', 'suffix', 'vat_id', 'default_shipping', 'default_billing', 'extension_attributes', 'custom_attributes',
];
const REGION_FIELDS = ['region_code', 'region', 'region_id', 'extension_attributes'];

/** int getters of CustomerInterface: the input processor casts them */
const CUSTOMER_INTS = new Set(['group_id', 'gender', 'store_id', 'website_id', 'disable_auto_group_change']);
/** what CustomerRepository::save never takes from the request */
const CUSTOMER_IGNORED = new Set(['id', 'created_at', 'updated_at', 'addresses', 'extension_attributes', 'custom_attributes']);

const REQUIRED_FIELD = '"%fieldName" is required. Enter and try again.';
/** general/country/optional_zip_countries (Magento_Directory config.xml default) */
const OPTIONAL_ZIP_COUNTRIES = new Set(['HK', 'IE', 'MO', 'PA']);
const isBlank = (v: unknown): boolean => v === undefined || v === null || String(v).trim() === '';

/** Rebuilds an object with its keys in the interface's serializer order (null/undefined dropped). */
function ordered(record: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (record[f] !== undefined && record[f] !== null) out[f] = record[f];
  return out;
}

/** Replaces the keys of `target` in place (orders and other records may hold the object). */
function replaceContents(target: Json, next: Json): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, next);
}

function mergeCustomAttributes(current: unknown, incoming: unknown): Json[] {
  const out = [...((current as Json[] | undefined) ?? [])];
  for (const attr of (incoming as Json[] | undefined) ?? []) {
    const i = out.findIndex((c) => c.attribute_code === attr.attribute_code);
    if (i >= 0) out[i] = attr;
    else out.push(attr);
  }
  return out;
}

/** The region object the sandbox renders (as seeded): filled in from the region name where known. */
function regionFor(countryId: unknown, input: Json): { region: Json; region_id: number } {
  const given = input.region && typeof input.region === 'object' ? (input.region as Json) : undefined;
  const name = given?.region === undefined || given.region === null ? null : String(given.region);
  const known = regionOf(String(countryId ?? ''), name);
  const regionId = Number(given?.region_id ?? input.region_id ?? known?.region_id ?? 0);
  return {
    region: {
      region_code: given?.region_code ?? known?.region_code ?? null,
      region: name,
      region_id: regionId,
    },
    region_id: regionId,
  };
}

/**
 * Customer\Model\Address\Validator\General + Country (AddressRepository::save → Address::validate):
 * one error is the message itself, two or more an aggregate InputException.
 */
function validateAddress(address: Json): void {
  const missing: string[] = [];
  if (isBlank(address.firstname)) missing.push('firstname');
  if (isBlank(address.lastname)) missing.push('lastname');
  if (!Array.isArray(address.street) || isBlank(address.street[0])) missing.push('street');
  if (isBlank(address.city)) missing.push('city');
  if (isBlank(address.telephone)) missing.push('telephone');
  if (!OPTIONAL_ZIP_COUNTRIES.has(String(address.country_id)) && isBlank(address.postcode)) missing.push('postcode');
  if (isBlank(address.country_id)) missing.push('countryId');
  else if (address.country_id === 'US' && !Number(address.region_id)) missing.push('regionId');
  if (missing.length === 0) return;
  if (missing.length === 1) throw badRequest(REQUIRED_FIELD, { fieldName: missing[0] });
  throw new MagentoError(400, 'One or more input exceptions have occurred.', undefined,
    missing.map((fieldName) => ({ message: REQUIRED_FIELD, parameters: { fieldName } })));
}

/**
 * PUT /V1/customers/:customerId, CustomerRepository::save (2.4.7). The URL id wins over
 * customer.id. Omitted customer fields keep their values, except that the EAV validator of the
 * customer resource model checks what was sent: website_id, firstname and lastname must be in the
 * request (email is checked before them). With `addresses` in the request, listed addresses with an
 * id are updated in place (merged), the others created, and every other address of the customer is
 * DELETED; without the key they are all kept. Like Magento, nothing is transactional: the customer
 * row is saved before the addresses, so a bad address fails the call after the customer fields
 * were written.
 */
function updateCustomer(ctx: RequestContext): Json {
  const { state } = ctx;
  const raw = requireBodyParam(ctx, 'customer');
  // ServiceInputProcessor builds the whole data object before the service runs: unknown keys are 400s before any 404.
  const input = dataObjectInput(raw, CUSTOMER_FIELDS);
  const addressesIn = Array.isArray(input.addresses)
    ? (input.addresses as unknown[]).map((a) => {
      const address = dataObjectInput(a, ADDRESS_FIELDS);
      if (address.region && typeof address.region === 'object') address.region = dataObjectInput(address.region, REGION_FIELDS);
      return address;
    })
    : undefined;

  const id = intParam(ctx, 'customerId');
  const customer = state.customers.find((c) => c.id === id);
  if (!customer) throw noSuchEntity('customerId', Number.isNaN(id) ? ctx.params.customerId : id);

  const groupId = input.group_id === undefined || input.group_id === null ? undefined : Number(input.group_id);
  if (groupId && !state.customerGroups.some((g) => g.id === groupId)) throw badRequest('The specified customer group id does not exist.');

  // ResourceModel\Customer::_beforeSave
  if (isBlank(input.email)) throw badRequest('The customer email is missing. Enter and try again.');
  const email = String(input.email);
  const websiteId = input.website_id === undefined || input.website_id === null ? undefined : Number(input.website_id);
  const taken = state.customers.some((c) => c !== customer && String(c.email).toLowerCase() === email.toLowerCase() && Number(c.website_id) === (websiteId ?? 0));
  if (taken) throw badRequest('A customer with the same email address already exists in an associated website.');
  // Eav\Model\Validator\Attribute\Data ("<store label>" is a required value.), attributes in id order;
  // the messages of one Validator\Exception are joined with PHP_EOL into one rendered message.
  const eavErrors: string[] = [];
  if (websiteId === undefined) eavErrors.push('"Associate to Website" is a required value.');
  if (input.firstname === undefined || input.firstname === null || input.firstname === '') eavErrors.push('"First Name" is a required value.');
  if (input.lastname === undefined || input.lastname === null || input.lastname === '') eavErrors.push('"Last Name" is a required value.');
  if (eavErrors.length > 0) throw badRequest(eavErrors.join('\n'));

  const next: Json = { ...customer };
  for (const [key, value] of Object.entries(input)) {
    if (CUSTOMER_IGNORED.has(key) || value === undefined) continue;
    if (value === null) delete next[key];
    else if (CUSTOMER_INTS.has(key)) next[key] = Number(value);
    else if (key === 'default_billing' || key === 'default_shipping') next[key] = String(value);
    else next[key] = value;
  }
  if (input.extension_attributes && typeof input.extension_attributes === 'object') {
    next.extension_attributes = { ...((customer.extension_attributes as Json | undefined) ?? {}), ...(input.extension_attributes as Json) };
  }
  if (Array.isArray(input.custom_attributes)) next.custom_attributes = mergeCustomAttributes(customer.custom_attributes, input.custom_attributes);
  next.updated_at = state.now();
  replaceContents(customer, ordered(next, CUSTOMER_FIELDS));

  if (addressesIn) saveAddresses(ctx, customer, addressesIn);
  markDefaultAddresses(customer);
  return customer;
}

/** The address loop of CustomerRepository::save, AddressRepository::save and Address\Relation. */
function saveAddresses(ctx: RequestContext, customer: Json, incoming: Json[]): void {
  const { state } = ctx;
  const addresses = (customer.addresses as Json[] | undefined) ?? [];
  customer.addresses = addresses;
  const existingIds = addresses.map((a) => Number(a.id));
  const savedIds: number[] = [];
  for (const given of incoming) {
    let current: Json | undefined;
    if (given.id !== undefined && given.id !== null) {
      const addressId = Number(given.id);
      current = addresses.find((a) => Number(a.id) === addressId);
      if (!current) {
        // AddressRegistry::retrieve finds any customer's address; saving it re-homes it here.
        const owner = state.customers.find((c) => ((c.addresses as Json[] | undefined) ?? []).some((a) => Number(a.id) === addressId));
        if (!owner) throw noSuchEntity('addressId', addressId);
        current = ((owner.addresses as Json[]) ?? []).find((a) => Number(a.id) === addressId)!;
        owner.addresses = (owner.addresses as Json[]).filter((a) => a !== current);
        for (const key of ['default_billing', 'default_shipping'] as const) if (owner[key] === String(addressId)) delete owner[key];
        markDefaultAddresses(owner);
        addresses.push(current);
      }
    }
    // Address::updateData: the sent fields over the stored ones
    const merged: Json = { ...(current ?? {}) };
    for (const [key, value] of Object.entries(given)) {
      if (key === 'id' || key === 'default_billing' || key === 'default_shipping' || value === undefined) continue;
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (given.region !== undefined || given.region_id !== undefined || !current) Object.assign(merged, regionFor(merged.country_id, given));
    merged.customer_id = customer.id;
    validateAddress(merged);

    const addressId = current ? Number(current.id) : state.nextId('customer_address');
    merged.id = addressId;
    if (given.custom_attributes !== undefined) merged.custom_attributes = mergeCustomAttributes(current?.custom_attributes, given.custom_attributes);
    const saved = ordered(merged, ADDRESS_FIELDS);
    if (current) replaceContents(current, saved);
    else addresses.push(saved);
    savedIds.push(addressId);

    // Address\Relation: true makes it the default, an explicit false on the current default clears it
    for (const key of ['default_billing', 'default_shipping'] as const) {
      if (given[key] === true) customer[key] = String(addressId);
      else if (given[key] === false && customer[key] === String(addressId)) delete customer[key];
    }
  }
  const deleted = existingIds.filter((addressId) => !savedIds.includes(addressId));
  customer.addresses = addresses.filter((a) => !deleted.includes(Number(a.id)));
  // Address\DeleteRelation: a deleted default address is no longer the default
  for (const key of ['default_billing', 'default_shipping'] as const) {
    if (customer[key] !== undefined && deleted.includes(Number(customer[key]))) delete customer[key];
  }
  replaceContents(customer, ordered(customer, CUSTOMER_FIELDS));
}

/** The address data model's default_billing/default_shipping flags come from the customer's ids. */
function markDefaultAddresses(customer: Json): void {
  const addresses = (customer.addresses as Json[] | undefined) ?? [];
  for (const address of addresses) {
    const next: Json = { ...address };
    delete next.default_billing;
    delete next.default_shipping;
    if (customer.default_shipping !== undefined && String(customer.default_shipping) === String(address.id)) next.default_shipping = true;
    if (customer.default_billing !== undefined && String(customer.default_billing) === String(address.id)) next.default_billing = true;
    replaceContents(address, ordered(next, ADDRESS_FIELDS));
  }
}

export const customerRoutes = [
  defineRoute('GET', '/V1/customers/search', 'Magento_Customer::customer', (ctx) =>
    applySearch(ctx.state.customers, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/customers/:customerId', 'Magento_Customer::customer', (ctx) => {
    const id = intParam(ctx, 'customerId');
    const customer = ctx.state.customers.find((c) => c.id === id);
    if (!customer) throw noSuchEntity('customerId', Number.isNaN(id) ? ctx.params.customerId : id);
    return customer;
  }),
  defineRoute('PUT', '/V1/customers/:customerId', 'Magento_Customer::manage', updateCustomer),
  defineRoute('GET', '/V1/customerGroups/search', 'Magento_Customer::group', (ctx) =>
    applySearch(ctx.state.customerGroups, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/customerGroups/:id', 'Magento_Customer::group', (ctx) => {
    const id = intParam(ctx, 'id');
    const group = ctx.state.customerGroups.find((g) => g.id === id);
    if (!group) throw noSuchEntity('id', Number.isNaN(id) ? ctx.params.id : id);
    return group;
  }),
  defineRoute('GET', '/V1/taxRates/search', 'Magento_Tax::manage_tax', (ctx) =>
    applySearch(ctx.state.taxRates, parseSearchCriteria(ctx.query, true))),
];

import { buildDemoWorld, type DemoWorld, type DemoWorldOptions } from '../demo-world';
import { SandboxState, type Json, type SbAttribute, type SbCategory } from './state';

/**
 * Fills a SandboxState from the shared demo world: the same SKUs, customers and tax rates the
 * Odoo sandbox knows. Ids follow a fresh Magento 2.4 install (root category 1, "Default Category" 2,
 * attribute set 4 "Default", customer groups 0-3, website/store/view 1, admin scope 0).
 */

/** Magento's directory_country_region ids for the regions the demo world uses */
export const REGIONS: Record<string, { id: number; code: string }> = {
  'US/Texas': { id: 57, code: 'TX' },
  'US/Oregon': { id: 49, code: 'OR' },
  'US/New York': { id: 43, code: 'NY' },
  'US/Michigan': { id: 33, code: 'MI' },
  'US/California': { id: 12, code: 'CA' },
};

export function regionOf(countryId: string, region: string | null): { region_id: number; region_code: string; region: string } | undefined {
  if (!region) return undefined;
  const known = REGIONS[`${countryId}/${region}`];
  return known ? { region_id: known.id, region_code: known.code, region } : undefined;
}

const ATTRIBUTE_IDS: Record<string, number> = { color: 93, size: 144 };

function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function seedState(state: SandboxState, world: DemoWorld): void {
  const now = state.now();

  state.websites = [
    { id: 0, code: 'admin', name: 'Admin', default_group_id: 0 },
    { id: 1, code: 'base', name: 'Main Website', default_group_id: 1 },
  ];
  state.storeGroups = [
    { id: 0, website_id: 0, root_category_id: 0, default_store_id: 0, name: 'Default', code: 'default' },
    { id: 1, website_id: 1, root_category_id: 2, default_store_id: 1, name: 'Main Website Store', code: 'main_website_store' },
  ];
  state.storeViews = [
    { id: 0, code: 'admin', name: 'Admin', website_id: 0, store_group_id: 0, is_active: 1 },
    { id: 1, code: 'default', name: 'Default Store View', website_id: 1, store_group_id: 1, is_active: 1 },
  ];
  // the demo shop weighs in kilograms (its products' weights are kg, as Odoo's are)
  state.weightUnit = 'kgs';
  // a stock 2.4 install with MSI: one default source in the default stock, which sells to base
  state.sources = [{ source_code: 'default', name: 'Default Source', enabled: true, description: 'Default Source', country_id: 'US', postcode: '00000', use_default_carrier_config: true }];
  state.stocks = [{ stock_id: 1, name: 'Default Stock', sales_channels: [{ type: 'website', code: 'base' }] }];
  state.stockSourceLinks = [{ stock_id: 1, source_code: 'default', priority: 1 }];
  state.startSequenceAt('inventory_stock', 2);
  state.customerGroups = [
    { id: 0, code: 'NOT LOGGED IN', tax_class_id: 3, tax_class_name: 'Retail Customer' },
    { id: 1, code: 'General', tax_class_id: 3, tax_class_name: 'Retail Customer' },
    { id: 2, code: 'Wholesale', tax_class_id: 3, tax_class_name: 'Retail Customer' },
    { id: 3, code: 'Retailer', tax_class_id: 3, tax_class_name: 'Retail Customer' },
  ];
  state.taxRates = world.taxRates.map((rate) => {
    const region = regionOf(rate.countryId, rate.region);
    return {
      id: state.nextId('tax_rate'),
      tax_country_id: rate.countryId,
      ...(region ? { tax_region_id: region.region_id, region_name: region.region_code } : { tax_region_id: 0 }),
      tax_postcode: rate.postcode,
      rate: rate.rate,
      code: rate.code,
      titles: [],
    };
  });

  state.customers = world.customers.map((c) => {
    const id = state.nextId('customer');
    let defaultBilling: string | undefined;
    let defaultShipping: string | undefined;
    const addresses = c.addresses.map((a) => {
      const addressId = state.nextId('customer_address');
      if (a.defaultBilling) defaultBilling = String(addressId);
      if (a.defaultShipping) defaultShipping = String(addressId);
      const region = regionOf(a.countryId, a.region);
      return {
        id: addressId,
        customer_id: id,
        region: region ? { region_code: region.region_code, region: region.region, region_id: region.region_id } : { region_code: null, region: null, region_id: 0 },
        region_id: region?.region_id ?? 0,
        country_id: a.countryId,
        street: a.street,
        telephone: a.telephone,
        postcode: a.postcode,
        city: a.city,
        firstname: a.firstname,
        lastname: a.lastname,
        ...(a.defaultShipping ? { default_shipping: true } : {}),
        ...(a.defaultBilling ? { default_billing: true } : {}),
      };
    });
    return {
      id,
      group_id: c.groupId,
      ...(defaultBilling ? { default_billing: defaultBilling } : {}),
      ...(defaultShipping ? { default_shipping: defaultShipping } : {}),
      created_at: now,
      updated_at: now,
      created_in: 'Default Store View',
      email: c.email,
      firstname: c.firstname,
      lastname: c.lastname,
      store_id: 1,
      website_id: 1,
      addresses,
      disable_auto_group_change: 0,
      extension_attributes: { is_subscribed: false },
    };
  });

  seedCatalog(state, world, now);
}

function seedCatalog(state: SandboxState, world: DemoWorld, now: string): void {
  const root: SbCategory = { id: 1, parent_id: 0, name: 'Root Catalog', is_active: true, position: 0, level: 0, path: '1', include_in_menu: true, created_at: now, updated_at: now, custom_attributes: [] };
  const defaultCategory: SbCategory = { id: 2, parent_id: 1, name: 'Default Category', is_active: true, position: 1, level: 1, path: '1/2', include_in_menu: true, created_at: now, updated_at: now, custom_attributes: [] };
  state.categories = [root, defaultCategory];
  state.startSequenceAt('category', 3);
  const categoryIdByKey = new Map<string, number>();
  for (const cat of world.categories) {
    const parent = cat.parentKey ? state.categories.find((c) => c.id === categoryIdByKey.get(cat.parentKey!))! : defaultCategory;
    const id = state.nextId('category');
    categoryIdByKey.set(cat.key, id);
    const siblings = state.categories.filter((c) => c.parent_id === parent.id).length;
    state.categories.push({
      id, parent_id: parent.id, name: cat.name, is_active: true, position: siblings + 1, level: parent.level + 1,
      path: `${parent.path}/${id}`, include_in_menu: true, created_at: now, updated_at: now,
      custom_attributes: [{ attribute_code: 'url_key', value: slug(cat.name) }],
    });
  }

  let optionId = 5470;
  state.attributes = world.attributes.map((attr): SbAttribute => ({
    attribute_id: ATTRIBUTE_IDS[attr.code] ?? state.nextId('eav_attribute', 200),
    attribute_code: attr.code,
    frontend_input: 'select',
    entity_type_id: '4',
    is_required: false,
    is_user_defined: true,
    default_frontend_label: attr.label,
    frontend_labels: [],
    backend_type: 'int',
    scope: 'global',
    is_filterable: true,
    is_visible: true,
    options: [
      { value: '', label: ' ', sort_order: 0, is_default: false, store_labels: [] },
      ...attr.values.map((label, i) => ({ value: String(optionId++), label, sort_order: i + 1, is_default: false, store_labels: [] })),
    ],
  }));
  state.startSequenceAt('eav_attribute_option', optionId);

  state.attributeSets = [{ attribute_set_id: 4, attribute_set_name: 'Default', sort_order: 1, entity_type_id: 4 }];
  // the demo's variant attributes sit in the Default set's "Product Details" group, as a merchant
  // who made them in the admin would have put them
  state.entityAttributes = state.attributes.map((attribute, i) => ({
    entity_attribute_id: state.nextId('eav_entity_attribute', 1000), attribute_set_id: 4, attribute_group_id: 7, attribute_id: attribute.attribute_id, sort_order: 100 + i,
  }));
  state.startSequenceAt('attribute_set', 10);
  state.attributeGroups = [
    { attribute_group_id: '7', attribute_group_name: 'Product Details', attribute_set_id: 4, extension_attributes: { attribute_group_code: 'product-details', sort_order: '1' } },
    { attribute_group_id: '8', attribute_group_name: 'Content', attribute_set_id: 4, extension_attributes: { attribute_group_code: 'content', sort_order: '2' } },
    { attribute_group_id: '9', attribute_group_name: 'Images', attribute_set_id: 4, extension_attributes: { attribute_group_code: 'image-management', sort_order: '3' } },
  ];

  const optionValue = (code: string, label: string): string | undefined =>
    state.attribute(code)?.options.find((o) => o.label === label)?.value;

  for (const demo of world.products) {
    const categoryId = String(categoryIdByKey.get(demo.categoryKey) ?? 2);
    const common = (sku: string, name: string, price: number, weight: number, visibility: number, extra: Array<{ attribute_code: string; value: unknown }>) => ({
      id: state.nextId('product'),
      sku,
      name,
      attribute_set_id: 4,
      price,
      status: demo.active ? 1 : 2,
      visibility,
      created_at: now,
      updated_at: now,
      weight,
      custom_attributes: [
        { attribute_code: 'description', value: `<p>${demo.description}</p>` },
        { attribute_code: 'url_key', value: slug(name) },
        { attribute_code: 'tax_class_id', value: '2' },
        { attribute_code: 'category_ids', value: [categoryId] },
        ...extra,
      ],
    });
    if (demo.kind === 'simple') {
      const variant = demo.variants[0]!;
      state.products.push({
        ...common(demo.sku, demo.name, variant.price, variant.weight, 4, []),
        type_id: 'simple',
        extension_attributes: { website_ids: [1], category_links: [{ position: 0, category_id: categoryId }] },
      });
      state.sourceItems.push({ sku: demo.sku, source_code: 'default', quantity: variant.qtyOnHand, status: variant.qtyOnHand > 0 ? 1 : 0 });
      continue;
    }
    const childIds: number[] = [];
    for (const variant of demo.variants) {
      const extra = Object.entries(variant.attributes).map(([code, label]) => ({ attribute_code: code, value: optionValue(code, label) ?? '' }));
      const child = {
        ...common(variant.sku, `${demo.name}-${Object.values(variant.attributes).join('-')}`, variant.price, variant.weight, 1, extra),
        type_id: 'simple',
        extension_attributes: { website_ids: [1], category_links: [{ position: 0, category_id: categoryId }] },
      };
      childIds.push(child.id);
      state.products.push(child);
      state.sourceItems.push({ sku: variant.sku, source_code: 'default', quantity: variant.qtyOnHand, status: variant.qtyOnHand > 0 ? 1 : 0 });
    }
    const parent: Json = { ...common(demo.sku, demo.name, demo.price, demo.weight, 4, []), type_id: 'configurable' };
    const usedCodes = world.attributes.filter((a) => demo.variants.some((v) => v.attributes[a.code] !== undefined));
    parent.extension_attributes = {
      website_ids: [1],
      category_links: [{ position: 0, category_id: categoryId }],
      configurable_product_options: usedCodes.map((attr, position) => ({
        id: state.nextId('configurable_option'),
        attribute_id: String(state.attribute(attr.code)!.attribute_id),
        label: attr.label,
        position,
        values: [...new Set(demo.variants.map((v) => v.attributes[attr.code]!))].map((label) => ({ value_index: Number(optionValue(attr.code, label)) })),
        product_id: parent.id,
      })),
      configurable_product_links: childIds,
    };
    state.products.push(parent);
  }
}

export interface SeedOptions extends DemoWorldOptions {
  clock?: () => Date;
}

export function createSeededState(options: SeedOptions = {}): { state: SandboxState; world: DemoWorld } {
  const world = buildDemoWorld(options);
  const state = new SandboxState(options.seed ?? 42, options.clock);
  seedState(state, world);
  return { state, world };
}

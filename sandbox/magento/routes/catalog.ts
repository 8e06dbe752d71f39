import { badRequest, MagentoError, noSuchEntity, notFound, PRODUCT_NOT_FOUND } from '../magento-error';
import { renderCategory, renderCategoryTree, renderProduct } from '../render';
import { defineRoute, intParam, requireBodyParam, type RequestContext } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json, SandboxState, SbCategory } from '../state';

/** ProductInterface's own fields; anything else belongs in custom_attributes */
const PRODUCT_FIELDS = new Set([
  'id', 'sku', 'name', 'attribute_set_id', 'price', 'status', 'visibility', 'type_id', 'created_at', 'updated_at',
  'weight', 'extension_attributes', 'product_links', 'options', 'media_gallery_entries', 'tier_prices', 'custom_attributes',
]);

const upperCamel = (snake: string): string => snake.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function productOf(state: SandboxState, sku: string): Json {
  const product = state.productBySku(sku);
  if (!product) throw notFound(PRODUCT_NOT_FOUND);
  return product;
}

function configurableOf(state: SandboxState, sku: string): Json {
  const product = productOf(state, sku);
  if (product.type_id !== 'configurable') throw badRequest('This is implemented for the "%1" configurable product only.', [sku]);
  return product;
}

function ext(product: Json): Json {
  if (!product.extension_attributes || typeof product.extension_attributes !== 'object') product.extension_attributes = {};
  return product.extension_attributes as Json;
}

/** ProductRepository::save: create, or merge into the product with this SKU */
function saveProduct(ctx: RequestContext, input: Json): Json {
  for (const key of Object.keys(input)) {
    if (!PRODUCT_FIELDS.has(key)) {
      throw badRequest('"%fieldName" is not supported. Correct the field name and try again.', { fieldName: upperCamel(key) });
    }
  }
  const sku = typeof input.sku === 'string' ? input.sku.trim() : '';
  if (!sku) throw badRequest('The "%1" attribute value is empty. Set the attribute and try again.', ['sku']);
  const { state } = ctx;
  const now = state.now();
  const incoming = { ...input };
  delete incoming.id;
  delete incoming.created_at;
  delete incoming.updated_at;
  const incomingExt = (incoming.extension_attributes as Json | undefined) ?? {};
  delete incoming.extension_attributes;
  const incomingCustom = (incoming.custom_attributes as Json[] | undefined) ?? [];
  delete incoming.custom_attributes;

  // Magento keeps url_key unique per store (url_rewrite): saving a second product with a taken
  // key is refused with this message, before anything is written.
  const urlKey = incomingCustom.find((c) => c.attribute_code === 'url_key')?.value;
  if (typeof urlKey === 'string' && urlKey !== '') {
    const taken = state.products.some((p) => String(p.sku).toLowerCase() !== sku.toLowerCase()
      && ((p.custom_attributes as Json[] | undefined) ?? []).some((c) => c.attribute_code === 'url_key' && c.value === urlKey));
    if (taken) throw badRequest('URL key for specified store already exists.');
  }

  let product = state.productBySku(sku);
  if (!product) {
    product = { id: state.nextId('product'), sku, attribute_set_id: 4, status: 1, visibility: 4, type_id: 'simple', created_at: now, custom_attributes: [], extension_attributes: { website_ids: [1] } };
    state.products.push(product);
    if (incoming.type_id !== 'configurable') state.sourceItems.push({ sku, source_code: 'default', quantity: 0, status: 0 });
  }
  Object.assign(product, incoming, { sku: product.sku, updated_at: now });
  const custom = [...((product.custom_attributes as Json[] | undefined) ?? [])];
  for (const attr of incomingCustom) {
    const i = custom.findIndex((c) => c.attribute_code === attr.attribute_code);
    if (i >= 0) custom[i] = attr;
    else custom.push(attr);
  }
  product.custom_attributes = custom;

  const stock = incomingExt.stock_item as Json | undefined;
  delete incomingExt.stock_item;
  const links = incomingExt.configurable_product_links;
  if (Array.isArray(links)) {
    for (const id of links) {
      if (!state.productById(Number(id))) throw badRequest('The product that was requested doesn\'t exist. Verify the product and try again.');
    }
  }
  Object.assign(ext(product), incomingExt);
  if (stock && stock.qty !== undefined) setLegacyStock(state, product, stock);
  return renderProduct(state, product);
}

/** With MSI on, the legacy stock item is the default source's item. */
export function setLegacyStock(state: SandboxState, product: Json, stock: Json): void {
  const qty = Number(stock.qty);
  const inStock = stock.is_in_stock === undefined ? qty > 0 : Boolean(stock.is_in_stock);
  let source = state.sourceItems.find((s) => s.sku === product.sku && s.source_code === 'default');
  if (!source) {
    source = { sku: String(product.sku), source_code: 'default', quantity: 0, status: 0 };
    state.sourceItems.push(source);
  }
  source.quantity = qty;
  source.status = inStock ? 1 : 0;
}

function categoryOf(state: SandboxState, id: number): SbCategory {
  const category = state.categories.find((c) => c.id === id);
  if (!category) throw noSuchEntity('id', id);
  return category;
}

export const catalogRoutes = [
  defineRoute('GET', '/V1/products', 'Magento_Catalog::products', (ctx) =>
    applySearch(ctx.state.products.map((p) => renderProduct(ctx.state, p)), parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/products/:sku', 'Magento_Catalog::products', (ctx) => renderProduct(ctx.state, productOf(ctx.state, ctx.params.sku!))),
  defineRoute('POST', '/V1/products', 'Magento_Catalog::products', (ctx) => saveProduct(ctx, requireBodyParam(ctx, 'product') as Json)),
  defineRoute('PUT', '/V1/products/:sku', 'Magento_Catalog::products', (ctx) => {
    // ParamsOverrider: the URL SKU is written into the body's product.
    const product = { ...(requireBodyParam(ctx, 'product') as Json), sku: ctx.params.sku };
    return saveProduct(ctx, product);
  }),
  defineRoute('GET', '/V1/configurable-products/:sku/children', 'Magento_Catalog::products', (ctx) => {
    const parent = productOf(ctx.state, ctx.params.sku!);
    if (parent.type_id !== 'configurable') return [];
    const ids = (ext(parent).configurable_product_links as number[] | undefined) ?? [];
    return ids.map((id) => ctx.state.productById(id)).filter((p): p is Json => Boolean(p)).map((p) => renderProduct(ctx.state, p));
  }),
  defineRoute('POST', '/V1/configurable-products/:sku/child', 'Magento_Catalog::products', (ctx) => {
    const parent = productOf(ctx.state, ctx.params.sku!);
    const child = productOf(ctx.state, String(requireBodyParam(ctx, 'childSku')));
    const links = (ext(parent).configurable_product_links as number[] | undefined) ?? [];
    if (links.includes(child.id as number)) throw new MagentoError(400, 'The product is already attached.');
    const options = ext(parent).configurable_product_options as Json[] | undefined;
    if (!options || options.length === 0) throw new MagentoError(400, "The parent product doesn't have configurable product options.");
    ext(parent).configurable_product_links = [...links, child.id as number];
    parent.updated_at = ctx.state.now();
    return true;
  }),
  defineRoute('GET', '/V1/configurable-products/:sku/options/all', 'Magento_Catalog::products', (ctx) =>
    ((ext(configurableOf(ctx.state, ctx.params.sku!)).configurable_product_options as Json[] | undefined) ?? []).map((o) => ({ ...o }))),
  defineRoute('POST', '/V1/configurable-products/:sku/options', 'Magento_Catalog::products', (ctx) => {
    const parent = configurableOf(ctx.state, ctx.params.sku!);
    const option = requireBodyParam(ctx, 'option') as Json;
    const attribute = ctx.state.attributes.find((a) => String(a.attribute_id) === String(option.attribute_id));
    if (!attribute) throw badRequest('Provided attribute can not be used with configurable product.');
    const options = (ext(parent).configurable_product_options as Json[] | undefined) ?? [];
    if (options.some((o) => String(o.attribute_id) === String(option.attribute_id))) throw badRequest('Something went wrong while saving option.');
    const id = ctx.state.nextId('configurable_option', 1000);
    options.push({
      id,
      attribute_id: String(attribute.attribute_id),
      label: String(option.label ?? attribute.default_frontend_label),
      position: Number(option.position ?? options.length),
      values: ((option.values as Json[] | undefined) ?? []).map((v) => ({ value_index: Number(v.value_index) })),
      product_id: parent.id,
    });
    ext(parent).configurable_product_options = options;
    parent.updated_at = ctx.state.now();
    return id;
  }),
  defineRoute('GET', '/V1/categories', 'Magento_Catalog::categories', (ctx) => {
    const rootId = ctx.query.rootCategoryId !== undefined ? Number(ctx.query.rootCategoryId) : 2;
    const depth = ctx.query.depth !== undefined ? Number(ctx.query.depth) : undefined;
    return renderCategoryTree(ctx.state, categoryOf(ctx.state, rootId), depth);
  }),
  defineRoute('GET', '/V1/categories/list', 'Magento_Catalog::categories', (ctx) =>
    applySearch(ctx.state.categories.map((c) => renderCategory(ctx.state, c)), parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/categories/:categoryId', 'Magento_Catalog::categories', (ctx) =>
    renderCategory(ctx.state, categoryOf(ctx.state, intParam(ctx, 'categoryId')))),
  defineRoute('POST', '/V1/categories', 'Magento_Catalog::categories', (ctx) => {
    const input = requireBodyParam(ctx, 'category') as Json;
    if (!input.name) throw badRequest('The "%1" attribute value is empty. Set the attribute and try again.', ['name']);
    const parent = categoryOf(ctx.state, Number(input.parent_id ?? 2));
    const id = ctx.state.nextId('category');
    const now = ctx.state.now();
    const category: SbCategory = {
      id,
      parent_id: parent.id,
      name: String(input.name),
      is_active: input.is_active === undefined ? true : Boolean(input.is_active),
      position: Number(input.position ?? ctx.state.categories.filter((c) => c.parent_id === parent.id).length + 1),
      level: parent.level + 1,
      path: `${parent.path}/${id}`,
      include_in_menu: input.include_in_menu === undefined ? true : Boolean(input.include_in_menu),
      created_at: now,
      updated_at: now,
      custom_attributes: (input.custom_attributes as SbCategory['custom_attributes'] | undefined) ?? [],
    };
    ctx.state.categories.push(category);
    return renderCategory(ctx.state, category);
  }),
  defineRoute('PUT', '/V1/categories/:id', 'Magento_Catalog::categories', (ctx) => {
    const category = categoryOf(ctx.state, intParam(ctx, 'id'));
    const input = requireBodyParam(ctx, 'category') as Json;
    if (input.name !== undefined) category.name = String(input.name);
    if (input.is_active !== undefined) category.is_active = Boolean(input.is_active);
    if (input.include_in_menu !== undefined) category.include_in_menu = Boolean(input.include_in_menu);
    if (input.position !== undefined) category.position = Number(input.position);
    if (Array.isArray(input.custom_attributes)) {
      for (const attr of input.custom_attributes as SbCategory['custom_attributes']) {
        const i = category.custom_attributes.findIndex((c) => c.attribute_code === attr.attribute_code);
        if (i >= 0) category.custom_attributes[i] = attr;
        else category.custom_attributes.push(attr);
      }
    }
    category.updated_at = ctx.state.now();
    return renderCategory(ctx.state, category);
  }),
  defineRoute('GET', '/V1/products/attributes', 'Magento_Catalog::attributes_attributes', (ctx) =>
    applySearch(ctx.state.attributes.map((a) => ({ ...a }) as Json), parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/products/attributes/:attributeCode', 'Magento_Catalog::attributes_attributes', (ctx) => {
    const attribute = ctx.state.attribute(ctx.params.attributeCode!);
    if (!attribute) throw notFound('The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.', [ctx.params.attributeCode!]);
    return { ...attribute };
  }),
  defineRoute('GET', '/V1/products/attributes/:attributeCode/options', 'Magento_Catalog::attributes_attributes', (ctx) => {
    const attribute = ctx.state.attribute(ctx.params.attributeCode!);
    if (!attribute) throw notFound('The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.', [ctx.params.attributeCode!]);
    return attribute.options.map((o) => ({ ...o }));
  }),
  defineRoute('POST', '/V1/products/attributes/:attributeCode/options', 'Magento_Catalog::attributes_attributes', (ctx) => {
    const attribute = ctx.state.attribute(ctx.params.attributeCode!);
    if (!attribute) throw notFound('The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.', [ctx.params.attributeCode!]);
    const option = requireBodyParam(ctx, 'option') as Json;
    const label = String(option.label ?? '').trim();
    if (!label) throw badRequest('The attribute option label is empty. Enter the value and try again.');
    if (attribute.options.some((o) => o.label.toLowerCase() === label.toLowerCase())) {
      throw badRequest('Admin store attribute option label "%1" is already exists.', [label]);
    }
    const id = ctx.state.nextId('eav_attribute_option');
    attribute.options.push({
      value: String(id),
      label,
      sort_order: Number(option.sort_order ?? attribute.options.length),
      is_default: Boolean(option.is_default),
      store_labels: ((option.store_labels as Json[] | undefined) ?? []).map((l) => ({ store_id: Number(l.store_id), label: String(l.label) })),
    });
    return String(id);
  }),
  defineRoute('GET', '/V1/products/attribute-sets/sets/list', 'Magento_Catalog::sets', (ctx) =>
    applySearch(ctx.state.attributeSets, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/products/attribute-sets/groups/list', 'Magento_Catalog::sets', (ctx) =>
    applySearch(ctx.state.attributeGroups, parseSearchCriteria(ctx.query, true))),
];

import { badRequest, MagentoError, noSuchEntity, notFound, PRODUCT_NOT_FOUND, requiredField } from '../magento-error';
import { renderCategory, renderCategoryTree, renderProduct } from '../render';
import { bodyParam, defineRoute, intParam, requireBodyParam, type RequestContext } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json, SandboxState, SbAttribute, SbAttributeOption, SbCategory } from '../state';

/** ProductInterface's own fields; anything else belongs in custom_attributes */
const PRODUCT_FIELDS = new Set([
  'id', 'sku', 'name', 'attribute_set_id', 'price', 'status', 'visibility', 'type_id', 'created_at', 'updated_at',
  'weight', 'extension_attributes', 'product_links', 'options', 'media_gallery_entries', 'tier_prices', 'custom_attributes',
]);

const upperCamel = (snake: string): string => snake.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * ServiceInputProcessor on a nested data object: every key must name a getter of the interface
 * (snake_case, or the camelCase spelling, which resolves to the same setter); any other key is a
 * 400 naming the UpperCamelCase property. Returns the object with snake_case keys.
 */
export function dataObjectInput(input: unknown, fields: readonly string[]): Json {
  const byCamel = new Map(fields.map((f) => [upperCamel(f), f]));
  const out: Json = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return out;
  for (const [key, value] of Object.entries(input as Json)) {
    const field = byCamel.get(upperCamel(key));
    if (!field) throw badRequest('"%fieldName" is not supported. Correct the field name and try again.', { fieldName: upperCamel(key) });
    out[field] = value;
  }
  return out;
}

/** InputException::INVALID_FIELD_VALUE */
function invalidFieldValue(fieldName: string, value: unknown): MagentoError {
  return badRequest('Invalid value of "%value" provided for the %fieldName field.', { fieldName, value: value ?? null });
}

/** Magento\Catalog\Api\Data\ProductAttributeInterface (fields.json) */
const ATTRIBUTE_FIELDS = [
  'extension_attributes', 'is_wysiwyg_enabled', 'is_html_allowed_on_front', 'used_for_sort_by', 'is_filterable', 'is_filterable_in_search',
  'is_used_in_grid', 'is_visible_in_grid', 'is_filterable_in_grid', 'position', 'apply_to', 'is_searchable', 'is_visible_in_advanced_search',
  'is_comparable', 'is_used_for_promo_rules', 'is_visible_on_front', 'used_in_product_listing', 'is_visible', 'scope', 'attribute_id',
  'attribute_code', 'frontend_input', 'entity_type_id', 'is_required', 'options', 'is_user_defined', 'default_frontend_label',
  'frontend_labels', 'note', 'backend_type', 'backend_model', 'source_model', 'default_value', 'is_unique', 'frontend_class',
  'validation_rules', 'custom_attributes',
];
/** Magento\Eav\Api\Data\AttributeOptionInterface */
const OPTION_FIELDS = ['label', 'value', 'sort_order', 'is_default', 'store_labels'];
/** AttributeOptionLabelInterface / AttributeFrontendLabelInterface */
const LABEL_FIELDS = ['store_id', 'label'];

/** Eav\Model\Adminhtml\System\Config\Source\Inputtype\Validator: the input types a product attribute may have */
const FRONTEND_INPUTS = new Set([
  'text', 'textarea', 'texteditor', 'pagebuilder', 'date', 'datetime', 'boolean', 'multiselect', 'select', 'price', 'media_image', 'weight',
  'swatch_visual', 'swatch_text',
]);

/** Eav\Model\Entity\Attribute::getBackendTypeByInput */
function backendTypeByInput(input: string): string {
  switch (input) {
    case 'text': case 'gallery': case 'media_image': case 'multiselect': return 'varchar';
    case 'image': case 'textarea': case 'texteditor': case 'pagebuilder': return 'text';
    case 'date': case 'datetime': return 'datetime';
    case 'select': case 'boolean': case 'swatch_visual': case 'swatch_text': return 'int';
    case 'price': case 'weight': return 'decimal';
    default: return 'static';
  }
}

/** Product\Attribute\Repository::generateCode: the code Magento derives from the label when none is sent */
function generateAttributeCode(label: string): string {
  const translit = label.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const code = translit.replace(/[^a-z_0-9]/g, '_').slice(0, 60);
  return /^[a-z][a-z_0-9]{0,29}[a-z0-9]$/.test(code) ? code : `attr_${code || Date.now().toString(16).slice(-8)}`;
}

/**
 * ProductAttributeRepository::save for a new attribute (2.4.7): label required, input type and code
 * validated, the code generated from the label when absent, a taken code refused by the
 * resource model's unique check (AbstractDb::_checkUnique), options created with new ids.
 */
function createAttribute(ctx: RequestContext, raw: unknown): Json {
  const { state } = ctx;
  const input = dataObjectInput(raw, ATTRIBUTE_FIELDS);
  const frontendLabels = Array.isArray(input.frontend_labels) ? (input.frontend_labels as unknown[]).map((l) => dataObjectInput(l, LABEL_FIELDS)) : [];
  const options = Array.isArray(input.options) ? (input.options as unknown[]).map((o) => dataObjectInput(o, OPTION_FIELDS)) : [];

  if (frontendLabels.length === 0 && !input.default_frontend_label) throw requiredField('frontend_label');
  // updateDefaultFrontendLabel: without default_frontend_label the admin (store 0) label is used
  const label = input.default_frontend_label
    ? String(input.default_frontend_label)
    : frontendLabels.find((l) => Number(l.store_id) === 0 && l.label)?.label;
  if (!label) throw invalidFieldValue('frontend_label', null);

  const frontendInput = typeof input.frontend_input === 'string' ? input.frontend_input : undefined;
  if (!frontendInput || !FRONTEND_INPUTS.has(frontendInput)) throw invalidFieldValue('frontend_input', input.frontend_input);

  const code = input.attribute_code ? String(input.attribute_code) : generateAttributeCode(String(label));
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(code) || code.length > 60) throw invalidFieldValue('attribute_code', code);

  const backendType = backendTypeByInput(frontendInput);
  if (input.backend_type && input.backend_type !== backendType) throw invalidFieldValue('backend_type', input.backend_type);

  // eav_attribute is unique on (attribute_code, entity_type_id); MySQL compares case-insensitively
  if (state.attributes.some((a) => a.attribute_code.toLowerCase() === code.toLowerCase())) {
    throw badRequest('%1 already exists.', ['Attribute with the same code']);
  }
  for (const option of options) {
    // Eav ResourceModel\Entity\Attribute::_checkDefaultOptionValue: every option needs its admin label
    if (option.label === undefined || option.label === null) throw badRequest("The default option isn't defined. Set the option and try again.");
  }

  const attribute: SbAttribute = {
    attribute_id: state.nextId('eav_attribute', 200),
    attribute_code: code,
    frontend_input: frontendInput,
    entity_type_id: '4',
    is_required: Boolean(input.is_required ?? false),
    is_user_defined: true,
    default_frontend_label: String(label),
    // store 0's label is the attribute's own frontend_label; eav_attribute_label keeps the others
    frontend_labels: frontendLabels
      .filter((l) => Number(l.store_id) !== 0 && l.label !== undefined && l.label !== null && String(l.label) !== '')
      .map((l) => ({ store_id: Number(l.store_id), label: String(l.label) })),
    backend_type: backendType,
    scope: typeof input.scope === 'string' ? input.scope : 'global',
    is_filterable: Boolean(input.is_filterable ?? false),
    is_visible: Boolean(input.is_visible ?? true),
    options: [],
  };
  for (const key of ['is_searchable', 'is_comparable', 'is_visible_on_front', 'used_in_product_listing', 'is_unique', 'note'] as const) {
    if (input[key] !== undefined && input[key] !== null) attribute[key] = String(input[key]);
  }
  if (input.is_filterable_in_search !== undefined) attribute.is_filterable_in_search = Boolean(input.is_filterable_in_search);
  if (input.position !== undefined) attribute.position = Number(input.position);
  if (Array.isArray(input.apply_to)) attribute.apply_to = (input.apply_to as unknown[]).map(String);

  if (frontendInput === 'select' || frontendInput === 'multiselect' || frontendInput.startsWith('swatch_')) {
    // Table source getAllOptions(): the empty option first, then by sort_order
    let counter = 0;
    const created: SbAttributeOption[] = options.map((o) => ({
      value: String(state.nextId('eav_attribute_option')),
      label: String(o.label),
      // Repository::save: `$option->getSortOrder() ?: $sortOrder++`
      sort_order: Number(o.sort_order) || counter++,
      is_default: Boolean(o.is_default),
      store_labels: Array.isArray(o.store_labels)
        ? (o.store_labels as unknown[]).map((l) => dataObjectInput(l, LABEL_FIELDS)).map((l) => ({ store_id: Number(l.store_id), label: String(l.label ?? '') }))
        : [],
    }));
    created.sort((a, b) => a.sort_order - b.sort_order || Number(a.value) - Number(b.value));
    attribute.options = [{ value: '', label: ' ', sort_order: 0, is_default: false, store_labels: [] }, ...created];
    const defaults = created.filter((o) => o.is_default).map((o) => o.value);
    if (defaults.length > 0) attribute.default_value = frontendInput === 'multiselect' ? defaults.join(',') : defaults.at(-1)!;
  } else if (frontendInput === 'boolean') {
    attribute.options = [
      { value: '1', label: 'Yes', sort_order: 0, is_default: false, store_labels: [] },
      { value: '0', label: 'No', sort_order: 0, is_default: false, store_labels: [] },
    ];
  }
  if (attribute.default_value === undefined && input.default_value !== undefined && input.default_value !== null) attribute.default_value = String(input.default_value);

  state.attributes.push(attribute);
  return { ...attribute };
}

/**
 * ProductAttributeManagement::assign → Eav AttributeManagement::assign. saveInSetIncluding deletes
 * the (attribute, set) row and inserts it again, so a repeated assignment succeeds, moves the
 * attribute to the given group and answers the id of the new row. The id comes from fetchOne, a
 * string of digits.
 */
function assignAttributeToSet(ctx: RequestContext): string {
  const { state } = ctx;
  const setId = Number(requireBodyParam(ctx, 'attributeSetId'));
  const groupId = Number(requireBodyParam(ctx, 'attributeGroupId'));
  const code = String(requireBodyParam(ctx, 'attributeCode'));
  const sortOrder = Number(requireBodyParam(ctx, 'sortOrder'));

  const set = state.attributeSets.find((s) => Number(s.attribute_set_id) === setId);
  if (!set) throw notFound('The AttributeSet with a "%1" ID doesn\'t exist. Verify the attributeSet and try again.', [setId]);
  if (Number(set.entity_type_id) !== 4) throw badRequest('The attribute set ID is incorrect. Verify the ID and try again.');
  const group = state.attributeGroups.find((g) => Number(g.attribute_group_id) === groupId);
  if (!group) throw notFound('The group with the "%1" ID doesn\'t exist. Verify the ID and try again.', [groupId]);
  if (Number(group.attribute_set_id) !== setId) throw badRequest("The attribute group doesn't belong to the attribute set.");
  const attribute = state.attribute(code);
  if (!attribute) throw notFound('The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.', [code]);

  state.entityAttributes = state.entityAttributes.filter((e) => !(e.attribute_id === attribute.attribute_id && e.attribute_set_id === setId));
  const row = {
    entity_attribute_id: state.nextId('eav_entity_attribute', 1000),
    attribute_set_id: setId,
    attribute_group_id: groupId,
    attribute_id: attribute.attribute_id,
    // the attribute model carries no group, so _getMaxSortOrder() is 0: a 0 sortOrder becomes 1
    sort_order: sortOrder || 1,
  };
  state.entityAttributes.push(row);
  return String(row.entity_attribute_id);
}

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

/**
 * CategoryManagement::move, then Category::move → ResourceModel\Category::changeParent. Every row
 * the SQL changes gets a new updated_at (catalog_category_entity.updated_at is ON UPDATE
 * CURRENT_TIMESTAMP): the moved category, its descendants, the siblings whose position shifted and
 * both ancestor lines (their children_count changes).
 */
function moveCategory(ctx: RequestContext): true {
  const { state } = ctx;
  const parentId = Number(requireBodyParam(ctx, 'parentId'));
  const category = categoryOf(state, intParam(ctx, 'categoryId'));
  const parent = categoryOf(state, parentId);
  const rawAfter = bodyParam(ctx, 'afterId');
  let afterId = rawAfter === undefined || rawAfter === null ? null : Number(rawAfter);

  // getChildren(): the parent's active direct children, no ORDER BY (so by id); a missing afterId,
  // or one past the last child's id, means "after the last child".
  const childIds = state.categories.filter((c) => c.parent_id === parent.id && c.is_active).map((c) => c.id).sort((a, b) => a - b);
  const lastId = childIds.at(-1);
  if (lastId !== undefined && (afterId === null || afterId > lastId)) afterId = lastId;

  // strpos($parentPath, $path) === 0: a plain prefix test (it also refuses 1/2/5 under 1/2/55, as Magento does)
  if (parent.path.startsWith(category.path)) throw badRequest('Operation do not allow to move a parent category to any of children category');

  const byId = (id: number) => state.categories.find((c) => c.id === id);
  const touched = new Set<SbCategory>();
  const ancestorIds = [...category.path.split('/').slice(0, -1), ...parent.path.split('/')].map(Number);
  for (const id of ancestorIds) {
    const c = byId(id);
    if (c) touched.add(c);
  }
  // _processPositions: close the gap under the old parent, open one under the new parent
  for (const s of state.categories) {
    if (s.parent_id === category.parent_id && s.position > category.position) {
      s.position -= 1;
      touched.add(s);
    }
  }
  const position = afterId ? (byId(afterId)?.position ?? 0) + 1 : 0;
  for (const s of state.categories) {
    if (s.parent_id === parent.id && s.position >= position) {
      s.position += 1;
      touched.add(s);
    }
  }
  const oldPath = category.path;
  const newPath = `${parent.path}/${category.id}`;
  const levelShift = parent.level + 1 - category.level;
  for (const d of state.categories) {
    if (d.path.startsWith(`${oldPath}/`)) {
      d.path = newPath + d.path.slice(oldPath.length);
      d.level += levelShift;
      touched.add(d);
    }
  }
  category.parent_id = parent.id;
  category.path = newPath;
  category.level = parent.level + 1;
  category.position = position;
  touched.add(category);
  const now = state.now();
  for (const c of touched) c.updated_at = now;
  return true;
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
  defineRoute('PUT', '/V1/categories/:categoryId/move', 'Magento_Catalog::categories', moveCategory),
  defineRoute('GET', '/V1/products/attributes', 'Magento_Catalog::attributes_attributes', (ctx) => {
    // AttributeRepository::getList left-joins eav_entity_attribute, so attribute_set_id and
    // attribute_group_id can be filtered on (an attribute matches through any of its sets); they
    // are not fields of the answer.
    const rows = ctx.state.attributes.map((a): Json => {
      const sets = ctx.state.entityAttributes.filter((e) => e.attribute_id === a.attribute_id);
      return {
        ...a,
        attribute_set_id: sets.length ? sets.map((e) => e.attribute_set_id) : undefined,
        attribute_group_id: sets.length ? sets.map((e) => e.attribute_group_id) : undefined,
      };
    });
    const result = applySearch(rows, parseSearchCriteria(ctx.query, true));
    return { ...result, items: result.items.map(({ attribute_set_id: _set, attribute_group_id: _group, ...attribute }) => attribute) };
  }),
  defineRoute('POST', '/V1/products/attributes', 'Magento_Catalog::attributes_attributes', (ctx) => createAttribute(ctx, requireBodyParam(ctx, 'attribute'))),
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
  defineRoute('PUT', '/V1/products/attributes/:attributeCode/options/:optionId', 'Magento_Catalog::attributes_attributes', (ctx) => {
    const code = ctx.params.attributeCode!;
    const attribute = ctx.state.attribute(code);
    if (!attribute) throw notFound('The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.', [code]);
    const optionId = ctx.params.optionId!;
    const existing = attribute.options.find((o) => o.value !== '' && o.value === optionId);
    if (!existing) throw notFound("The '%1' attribute doesn't include an option id '%2'.", [code, optionId]);
    const option = requireBodyParam(ctx, 'option') as Json;
    const label = String(option.label ?? '').trim();
    if (!label) throw badRequest('The attribute option label is empty. Enter the value and try again.');
    if (attribute.options.some((o) => o !== existing && o.label.toLowerCase() === label.toLowerCase())) {
      throw badRequest('Admin store attribute option label "%1" is already exists.', [label]);
    }
    existing.label = label;
    if (option.sort_order !== undefined) existing.sort_order = Number(option.sort_order);
    return true;
  }),
  defineRoute('GET', '/V1/products/attribute-sets/sets/list', 'Magento_Catalog::sets', (ctx) =>
    applySearch(ctx.state.attributeSets, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/products/attribute-sets/groups/list', 'Magento_Catalog::sets', (ctx) =>
    applySearch(ctx.state.attributeGroups, parseSearchCriteria(ctx.query, true))),
  defineRoute('POST', '/V1/products/attribute-sets/attributes', 'Magento_Catalog::sets', assignAttributeToSet),
];

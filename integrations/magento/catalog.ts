import { z } from 'zod';
import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import {
  AttributeGroupSearchResultSchema,
  AttributeOptionSchema,
  AttributeSetSearchResultSchema,
  BooleanResultSchema,
  CategorySchema,
  CategorySearchResultSchema,
  CategoryTreeSchema,
  ConfigurableOptionSchema,
  EntityIdResultSchema,
  integer,
  ProductAttributeSchema,
  ProductAttributeSearchResultSchema,
  ProductSchema,
  ProductSearchResultSchema,
  type AttributeOption,
  type Category,
  type CategoryTree,
  type ConfigurableOption,
  type Product,
  type ProductAttribute,
} from './schemas';
import { SearchCriteria } from './search-criteria';

/** What may be sent as a product: ProductInterface field names, sku required. */
export type ProductInput = { sku: string } & Partial<Omit<Product, 'sku'>>;
export type CategoryInput = Partial<Category> & { name: string };

export interface AttributeOptionInput {
  label: string;
  sortOrder?: number;
  isDefault?: boolean;
  storeLabels?: Array<{ storeId: number; label: string }>;
}

/**
 * POST /V1/products/attributes: a new product attribute, ProductAttributeInterface field names.
 * A label is required: default_frontend_label, or the store 0 entry of frontend_labels (the other
 * entries are the store view labels). Options of a select/multiselect are created with it; their
 * value (the option id) is assigned by Magento, so leave it out.
 */
export interface ProductAttributeInput {
  attribute_code: string;
  /** select, multiselect, text, textarea, boolean, date, price, weight, media_image, … */
  frontend_input: string;
  default_frontend_label?: string;
  frontend_labels?: Array<{ store_id: number; label: string }>;
  /** catalog_eav_attribute.is_global: 'global' unless told */
  scope?: 'global' | 'website' | 'store';
  is_required?: boolean;
  is_user_defined?: boolean;
  is_unique?: string;
  is_visible?: boolean;
  is_filterable?: boolean;
  is_filterable_in_search?: boolean;
  is_searchable?: string;
  is_comparable?: string;
  is_visible_on_front?: string;
  used_in_product_listing?: string;
  position?: number;
  apply_to?: string[];
  default_value?: string;
  note?: string;
  options?: Array<{
    label: string;
    sort_order?: number;
    is_default?: boolean;
    store_labels?: Array<{ store_id: number; label: string }>;
  }>;
}

export interface AttributeSetAssignmentInput {
  attributeSetId: number;
  /** a group of that set (searchAttributeGroups filtered on attribute_set_id) */
  attributeGroupId: number;
  attributeCode: string;
  /** position inside the group; 0 (the default) lets Magento use 1 */
  sortOrder?: number;
}

export interface ConfigurableOptionInput {
  attributeId: string | number;
  label: string;
  position?: number;
  isUseDefault?: boolean;
  /** attribute option ids */
  valueIndexes: number[];
}

/** Products, configurable links, categories, attributes and attribute sets. */
export class CatalogApi {
  constructor(private readonly http: MagentoHttp) {}

  getProduct(sku: string, options: { storeId?: number; editMode?: boolean } = {}): Promise<Product> {
    const query: Array<[string, string]> = [];
    if (options.editMode !== undefined) query.push(['editMode', options.editMode ? 'true' : 'false']);
    if (options.storeId !== undefined) query.push(['storeId', String(options.storeId)]);
    return this.http.call(ROUTES.products.get, { path: { sku }, query }, ProductSchema);
  }

  searchProducts(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.products.search, { query: criteria.toQueryPairs() }, ProductSearchResultSchema);
  }

  productPages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Product>> {
    return paginate((c) => this.searchProducts(c), criteria, pageSize);
  }

  /** POST /V1/products: create, or update the product with this SKU (ProductRepository::save matches on SKU) */
  saveProduct(product: ProductInput, options: { saveOptions?: boolean } = {}): Promise<Product> {
    return this.http.call(ROUTES.products.save, { body: { product, saveOptions: options.saveOptions ?? false } }, ProductSchema);
  }

  /** PUT /V1/products/:sku: the URL SKU overwrites product.sku, so this cannot rename */
  updateProduct(sku: string, product: Partial<ProductInput>, options: { saveOptions?: boolean } = {}): Promise<Product> {
    return this.http.call(ROUTES.products.update, { path: { sku }, body: { product, saveOptions: options.saveOptions ?? false } }, ProductSchema);
  }

  configurableChildren(sku: string): Promise<Product[]> {
    return this.http.call(ROUTES.products.children, { path: { sku } }, z.array(ProductSchema));
  }

  /** the parent must already have configurable options for the child's attributes */
  addConfigurableChild(sku: string, childSku: string): Promise<boolean> {
    return this.http.call(ROUTES.products.addChild, { path: { sku }, body: { childSku } }, BooleanResultSchema);
  }

  configurableOptions(sku: string): Promise<ConfigurableOption[]> {
    return this.http.call(ROUTES.products.configurableOptions, { path: { sku } }, z.array(ConfigurableOptionSchema));
  }

  /** returns the new option id */
  addConfigurableOption(sku: string, input: ConfigurableOptionInput): Promise<number> {
    const option = {
      attribute_id: String(input.attributeId),
      label: input.label,
      position: input.position ?? 0,
      is_use_default: input.isUseDefault ?? true,
      values: input.valueIndexes.map((value_index) => ({ value_index })),
    };
    return this.http.call(ROUTES.products.addConfigurableOption, { path: { sku }, body: { option } }, integer);
  }

  /** GET /V1/categories: the tree under rootCategoryId (the store's root when omitted) */
  categoryTree(options: { rootCategoryId?: number; depth?: number } = {}): Promise<CategoryTree> {
    const query: Array<[string, string]> = [];
    if (options.rootCategoryId !== undefined) query.push(['rootCategoryId', String(options.rootCategoryId)]);
    if (options.depth !== undefined) query.push(['depth', String(options.depth)]);
    return this.http.call(ROUTES.categories.tree, { query }, CategoryTreeSchema);
  }

  searchCategories(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.categories.search, { query: criteria.toQueryPairs() }, CategorySearchResultSchema);
  }

  getCategory(categoryId: number): Promise<Category> {
    return this.http.call(ROUTES.categories.get, { path: { categoryId } }, CategorySchema);
  }

  createCategory(category: CategoryInput): Promise<Category> {
    return this.http.call(ROUTES.categories.create, { body: { category } }, CategorySchema);
  }

  updateCategory(id: number, category: Partial<CategoryInput>): Promise<Category> {
    return this.http.call(ROUTES.categories.update, { path: { id }, body: { category } }, CategorySchema);
  }

  /**
   * PUT /V1/categories/:categoryId/move (CategoryManagement::move): re-parents the category, whose
   * path and level change with those of its descendants. afterId is the sibling to place it after:
   * 0 puts it first; omitted (or null) puts it after the new parent's last child. Moving a category
   * under itself or one of its descendants is refused (400), an unknown id is not_found.
   */
  moveCategory(categoryId: number, parentId: number, afterId?: number | null): Promise<boolean> {
    const body = afterId === undefined || afterId === null ? { parentId } : { parentId, afterId };
    return this.http.call(ROUTES.categories.move, { path: { categoryId }, body }, BooleanResultSchema);
  }

  searchAttributes(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.attributes.search, { query: criteria.toQueryPairs() }, ProductAttributeSearchResultSchema);
  }

  getAttribute(attributeCode: string): Promise<ProductAttribute> {
    return this.http.call(ROUTES.attributes.get, { path: { attributeCode } }, ProductAttributeSchema);
  }

  /**
   * POST /V1/products/attributes: creates the attribute and its options and returns it as GET
   * does (attribute_id and option ids assigned). A code already in use is a validation error
   * ("Attribute with the same code already exists."): Magento 2.4.7 does not update through POST.
   */
  createAttribute(attribute: ProductAttributeInput): Promise<ProductAttribute> {
    return this.http.call(ROUTES.attributes.create, { body: { attribute } }, ProductAttributeSchema);
  }

  /** the first entry is usually the empty option (value "") */
  attributeOptions(attributeCode: string): Promise<AttributeOption[]> {
    return this.http.call(ROUTES.attributes.options, { path: { attributeCode } }, z.array(AttributeOptionSchema));
  }

  /** returns the new option id (Magento sends it as a string of digits, e.g. "42") */
  addAttributeOption(attributeCode: string, input: AttributeOptionInput): Promise<string> {
    const option = {
      label: input.label,
      sort_order: input.sortOrder ?? 0,
      is_default: input.isDefault ?? false,
      store_labels: (input.storeLabels ?? []).map((l) => ({ store_id: l.storeId, label: l.label })),
    };
    return this.http.call(
      ROUTES.attributes.addOption,
      { path: { attributeCode }, body: { option } },
      z.union([z.string(), z.number()]).transform((v) => String(v).replace(/^id_/, '')),
    );
  }

  /** PUT: relabels an option in place (its id, and every product using it, stay) */
  updateAttributeOption(attributeCode: string, optionId: number, input: AttributeOptionInput): Promise<boolean> {
    // Only what is given: an omitted sort order or store label keeps its value.
    const option = {
      label: input.label,
      value: String(optionId),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      ...(input.isDefault !== undefined ? { is_default: input.isDefault } : {}),
      ...(input.storeLabels ? { store_labels: input.storeLabels.map((l) => ({ store_id: l.storeId, label: l.label })) } : {}),
    };
    return this.http.call(ROUTES.attributes.updateOption, { path: { attributeCode, optionId }, body: { option } }, BooleanResultSchema);
  }

  searchAttributeSets(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.attributes.searchSets, { query: criteria.toQueryPairs() }, AttributeSetSearchResultSchema);
  }

  /** filter attribute_set_id to get the groups of one set */
  searchAttributeGroups(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.attributes.searchGroups, { query: criteria.toQueryPairs() }, AttributeGroupSearchResultSchema);
  }

  /**
   * POST /V1/products/attribute-sets/attributes: puts the attribute into the set's group and
   * returns the eav_entity_attribute id (Magento sends the digits as a string). Assigning again is
   * accepted: the row is replaced (moved to the given group) and the new row's id returned.
   */
  assignAttributeToSet(input: AttributeSetAssignmentInput): Promise<number> {
    const body = {
      attributeSetId: input.attributeSetId,
      attributeGroupId: input.attributeGroupId,
      attributeCode: input.attributeCode,
      sortOrder: input.sortOrder ?? 0,
    };
    return this.http.call(ROUTES.attributes.assignToSet, { body }, EntityIdResultSchema);
  }
}

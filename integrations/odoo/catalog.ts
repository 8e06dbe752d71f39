import { z } from 'zod';
import { parseRecords } from './answers';
import type { Domain, OdooClient } from './client';
import { many2oneId } from './many2one';
import { attributeLineCreates, type AttributeLineInput } from './product-attributes';
import { tagCommands, type TagChange } from './product-tags';
import { Ids, Many2one, OptionalText } from './schemas';
import { pageByWriteDate, positionOf, positionText, type SearchPage } from './write-date-pages';

/**
 * The catalog's product side of Odoo: categories (product.category), templates
 * (product.template) and their variants (product.product), read in the pages the catalog streams
 * walk and written as the Magento-master catalog needs. Archived records are read too
 * (active_test off): an archived product is one to disable in Magento, not one that is gone.
 */

const ODOO_ALL = { active_test: false };

// ---- categories -------------------------------------------------------------------------------

export interface ProductCategory {
  id: number;
  name: string;
  parentId: number | null;
}

const CategorySchema = z.looseObject({ id: z.number().int(), name: z.union([z.string(), z.literal(false)]), parent_id: Many2one });

/** every category, oldest first */
export async function productCategories(odoo: OdooClient): Promise<ProductCategory[]> {
  const rows = await odoo.searchRead('product.category', [], { fields: ['name', 'parent_id'], order: 'id asc' });
  return parseRecords(CategorySchema, rows, 'product.category.search_read').map((r) => ({ id: r.id, name: r.name || '', parentId: many2oneId(r.parent_id) }));
}

/** the first top-level category ("All"), or null */
export async function rootProductCategory(odoo: OdooClient): Promise<number | null> {
  const [root] = await odoo.searchRead('product.category', [['parent_id', '=', false]], { fields: ['id'], order: 'id asc', limit: 1 });
  return root?.id ?? null;
}

/** the category with exactly this name under this parent (false: top level), or null */
export async function productCategoryNamed(odoo: OdooClient, name: string, parentId: number | false): Promise<number | null> {
  const [same] = await odoo.searchRead(
    'product.category',
    [
      ['name', '=', name],
      ['parent_id', '=', parentId],
    ],
    { fields: ['id'], limit: 1 },
  );
  return same?.id ?? null;
}

export async function createProductCategory(odoo: OdooClient, name: string, parentId: number | false): Promise<number> {
  const [id] = await odoo.create('product.category', [{ name, parent_id: parentId }]);
  return id as number;
}

/** renames and moves a category */
export async function updateProductCategory(odoo: OdooClient, id: number, name: string, parentId: number | false): Promise<void> {
  await odoo.write('product.category', [id], { name, parent_id: parentId });
}

// ---- templates changed since a watermark (Odoo master) ------------------------------------------

/** the template fields the Odoo-master catalog builds Magento products from */
export const TemplateRowSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  default_code: OptionalText,
  list_price: z.number(),
  weight: z.number(),
  description_sale: OptionalText,
  categ_id: Many2one,
  active: z.boolean(),
  write_date: z.string(),
  attribute_line_ids: Ids,
});
export type TemplateRow = z.infer<typeof TemplateRowSchema>;
const TEMPLATE_FIELDS = ['name', 'default_code', 'list_price', 'weight', 'description_sale', 'categ_id', 'active', 'write_date', 'attribute_line_ids'];

/**
 * Which templates a catalog run takes: goods (services are not catalog products), written after
 * `since`, or only those whose own or whose variants' SKU is among `keys` (the real-time path).
 */
export interface TemplateFilter {
  since?: string | null;
  keys?: string[] | null;
}

function filterDomain(filter: TemplateFilter): Domain {
  const domain: Domain = [['type', '!=', 'service']];
  if (filter.keys) domain.push('|', ['default_code', 'in', filter.keys], ['product_variant_ids.default_code', 'in', filter.keys]);
  return domain;
}

/** the templates a run will read, for its progress (from the watermark's second: an estimate by a few) */
export async function countTemplatesToSync(odoo: OdooClient, filter: TemplateFilter): Promise<number> {
  const domain = filterDomain(filter);
  if (filter.since) domain.push(['write_date', '>=', positionOf(filter.since).second]);
  return odoo.searchCount('product.template', domain, ODOO_ALL);
}

/**
 * One page of the filter's templates in (write_date second, id) order, after `cursor` (the
 * previous page's "<second>|<id>"), else after the watermark (`since`: "<second>|<id>", or a bare
 * second, that second included), else from the first; and the next page's cursor (null: none).
 */
export async function templatesToSyncPage(
  odoo: OdooClient,
  filter: TemplateFilter,
  cursor: string | null,
  limit: number,
): Promise<{ rows: TemplateRow[]; nextCursor: string | null }> {
  const after = cursor !== null ? positionOf(cursor) : filter.since ? positionOf(filter.since) : null;
  const search: SearchPage = (domain, order, size) =>
    odoo.searchRead('product.template', domain, { fields: TEMPLATE_FIELDS, order, limit: size, context: ODOO_ALL });
  const { rows, next } = await pageByWriteDate(search, filterDomain(filter), after, limit);
  return { rows: parseRecords(TemplateRowSchema, rows, 'product.template.search_read'), nextCursor: next ? positionText(next) : null };
}

/**
 * Templates the watermark's domain does not reach although a variant of theirs changed since it:
 * their own write_date is older, the variant's is not.
 */
export async function templatesWithMovedVariants(odoo: OdooClient, since: string): Promise<TemplateRow[]> {
  // A settled watermark ("<second>|<id>") saw everything written in its second; a bare one did not.
  const bar = since.lastIndexOf('|');
  const changedSince = bar < 0 ? since : since.slice(0, bar);
  const domain = [
    ['type', '!=', 'service'],
    ['attribute_line_ids', '!=', false],
    ['product_variant_ids.write_date', bar < 0 ? '>=' : '>', changedSince],
    ['write_date', '<=', changedSince],
  ];
  const rows = await odoo.searchRead('product.template', domain, { fields: TEMPLATE_FIELDS, order: 'id asc', context: ODOO_ALL });
  return parseRecords(TemplateRowSchema, rows, 'product.template.search_read');
}

// ---- variants ------------------------------------------------------------------------------------

export const VariantRowSchema = z.looseObject({
  id: z.number().int(),
  default_code: OptionalText,
  active: z.boolean(),
  lst_price: z.number(),
  product_template_attribute_value_ids: Ids,
  product_tmpl_id: Many2one,
});
export type VariantRow = z.infer<typeof VariantRowSchema>;

/** every variant of these templates (archived too), oldest first */
export async function variantsOfTemplates(odoo: OdooClient, templateIds: number[]): Promise<VariantRow[]> {
  const rows = await odoo.searchRead('product.product', [['product_tmpl_id', 'in', templateIds]], {
    fields: ['default_code', 'active', 'lst_price', 'product_template_attribute_value_ids', 'product_tmpl_id'],
    order: 'id asc',
    context: ODOO_ALL,
  });
  return parseRecords(VariantRowSchema, rows, 'product.product.search_read');
}

/**
 * Variants with a SKU of templates with attribute lines, written at or after `since`'s second
 * (a watermark "<write_date>|<id>" or a bare write_date): a variant's own image changes the
 * variant, not its template.
 */
export async function configurableVariantsChangedSince(
  odoo: OdooClient,
  since: string,
): Promise<Array<{ id: number; sku: string; templateId: number | null; templateName: string }>> {
  const bar = since.lastIndexOf('|');
  const changedSince = bar < 0 ? since : since.slice(0, bar);
  const rows = await odoo.searchRead(
    'product.product',
    [
      ['write_date', '>=', changedSince],
      ['default_code', '!=', false],
      ['product_tmpl_id.attribute_line_ids', '!=', false],
    ],
    { fields: ['default_code', 'product_tmpl_id'], context: ODOO_ALL },
  );
  const Schema = z.looseObject({ id: z.number().int(), default_code: OptionalText, product_tmpl_id: Many2one });
  return parseRecords(Schema, rows, 'product.product.search_read').map((r) => ({
    id: r.id,
    sku: (r.default_code || '').trim(),
    templateId: many2oneId(r.product_tmpl_id),
    templateName: Array.isArray(r.product_tmpl_id) ? r.product_tmpl_id[1] : '',
  }));
}

/** the template of the first variant (archived too) with one of these SKUs, or null; no SKUs, no call */
export async function templateOfVariantSkus(odoo: OdooClient, skus: string[]): Promise<number | null> {
  if (skus.length === 0) return null;
  const [same] = await odoo.searchRead('product.product', [['default_code', 'in', skus]], { fields: ['product_tmpl_id'], limit: 1, context: ODOO_ALL });
  return many2oneId(same?.product_tmpl_id);
}

/** a template's first variant (archived too), or null */
export async function firstVariantOf(odoo: OdooClient, templateId: number): Promise<number | null> {
  const [variant] = await odoo.searchRead('product.product', [['product_tmpl_id', '=', templateId]], { fields: ['id'], limit: 1, context: ODOO_ALL });
  return variant?.id ?? null;
}

/** a template's variants (archived too) with the attribute values that make each */
export async function variantCombinationsOf(odoo: OdooClient, templateId: number): Promise<Array<{ id: number; templateValueIds: number[]; active: boolean }>> {
  const rows = await odoo.searchRead('product.product', [['product_tmpl_id', '=', templateId]], {
    fields: ['product_template_attribute_value_ids', 'active'],
    context: ODOO_ALL,
  });
  const Schema = z.looseObject({ id: z.number().int(), product_template_attribute_value_ids: Ids, active: z.boolean() });
  return parseRecords(Schema, rows, 'product.product.search_read').map((r) => ({
    id: r.id,
    templateValueIds: r.product_template_attribute_value_ids,
    active: r.active,
  }));
}

export async function updateVariants(odoo: OdooClient, ids: number[], values: Record<string, unknown>): Promise<void> {
  await odoo.write('product.product', ids, values);
}

/** variants nobody may order any more (they stay, for the orders that had them) */
export async function archiveVariants(odoo: OdooClient, ids: number[]): Promise<void> {
  await odoo.write('product.product', ids, { active: false });
}

// ---- templates written by the Magento-master catalog --------------------------------------------

/** a new template; a new template only gains tags, so `tags.unlink` is not sent */
export async function createProductTemplate(
  odoo: OdooClient,
  values: Record<string, unknown>,
  extra: { tags: TagChange; attributeLines?: AttributeLineInput[] },
): Promise<number> {
  const [id] = await odoo.create('product.template', [
    {
      ...values,
      product_tag_ids: tagCommands({ link: extra.tags.link, unlink: [] }),
      ...(extra.attributeLines ? { attribute_line_ids: attributeLineCreates(extra.attributeLines) } : {}),
    },
  ]);
  return id as number;
}

export async function updateProductTemplate(odoo: OdooClient, id: number, values: Record<string, unknown>, tags: TagChange): Promise<void> {
  await odoo.write('product.template', [id], { ...values, product_tag_ids: tagCommands(tags) });
}

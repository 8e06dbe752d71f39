import { z } from 'zod';
import { parseRecords } from './answers';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { Ids, Many2one } from './schemas';

/**
 * Product attributes as the catalog uses them: attributes (product.attribute) and their values
 * (product.attribute.value), and on a template its attribute lines
 * (product.template.attribute.line) and the values those lines make
 * (product.template.attribute.value, "ptav"), which is where a value's price extra lives.
 */

const ODOO_ALL = { active_test: false };

export interface AttributeValue {
  id: number;
  name: string;
  attributeId: number | null;
}

/** one value of a template's attribute line */
export interface TemplateAttributeValue {
  id: number;
  attributeId: number | null;
  valueId: number | null;
  valueName: string;
}

/** an attribute line to give a template: the attribute and the values its variants take */
export interface AttributeLineInput {
  attributeId: number;
  valueIds: number[];
}

export interface AttributeLine {
  id: number;
  attributeId: number | null;
  valueIds: number[];
}

const NamedSchema = z.looseObject({ id: z.number().int(), name: z.string() });
const ValueSchema = z.looseObject({ id: z.number().int(), name: z.string(), attribute_id: Many2one });
const PtavSchema = z.looseObject({ id: z.number().int(), product_attribute_value_id: Many2one, attribute_id: Many2one });
const PtavExtraSchema = z.looseObject({ id: z.number().int(), product_attribute_value_id: Many2one, price_extra: z.number() });
const LineSchema = z.looseObject({ id: z.number().int(), attribute_id: Many2one, value_ids: Ids });

const m2oName = (value: unknown): string => (Array.isArray(value) ? String(value[1] ?? '') : '');

/** the attributes that make variants (create_variant always or dynamic), oldest first */
export async function variantAttributes(odoo: OdooClient): Promise<Array<{ id: number; name: string }>> {
  const rows = await odoo.searchRead('product.attribute', [['create_variant', '!=', 'no_variant']], { fields: ['name'], order: 'id asc' });
  return parseRecords(NamedSchema, rows, 'product.attribute.search_read').map((r) => ({ id: r.id, name: r.name }));
}

/** every attribute value of every attribute, oldest first */
export async function allAttributeValues(odoo: OdooClient): Promise<AttributeValue[]> {
  const rows = await odoo.searchRead('product.attribute.value', [], { fields: ['name', 'attribute_id'], order: 'id asc' });
  return parseRecords(ValueSchema, rows, 'product.attribute.value.search_read').map((r) => ({
    id: r.id,
    name: r.name,
    attributeId: many2oneId(r.attribute_id),
  }));
}

/** the attribute with exactly this name, or null */
export async function attributeNamed(odoo: OdooClient, name: string): Promise<number | null> {
  const [same] = await odoo.searchRead('product.attribute', [['name', '=', name]], { fields: ['id'], limit: 1 });
  return same?.id ?? null;
}

/** an attribute that always makes variants, shown as radio buttons */
export async function createVariantAttribute(odoo: OdooClient, name: string): Promise<number> {
  const [id] = await odoo.create('product.attribute', [{ name, create_variant: 'always', display_type: 'radio' }]);
  return id as number;
}

export async function valuesOfAttribute(odoo: OdooClient, attributeId: number): Promise<Array<{ id: number; name: string }>> {
  const rows = await odoo.searchRead('product.attribute.value', [['attribute_id', '=', attributeId]], { fields: ['name'] });
  return parseRecords(NamedSchema, rows, 'product.attribute.value.search_read').map((r) => ({ id: r.id, name: r.name }));
}

export async function createAttributeValue(odoo: OdooClient, attributeId: number, name: string): Promise<number> {
  const [id] = await odoo.create('product.attribute.value', [{ attribute_id: attributeId, name }]);
  return id as number;
}

/** the attribute values of these templates' lines (archived templates too); no templates, no call */
export async function templateAttributeValuesOf(odoo: OdooClient, templateIds: number[]): Promise<TemplateAttributeValue[]> {
  if (templateIds.length === 0) return [];
  const rows = await odoo.searchRead('product.template.attribute.value', [['product_tmpl_id', 'in', templateIds]], {
    fields: ['product_attribute_value_id', 'attribute_id'],
    context: ODOO_ALL,
  });
  return parseRecords(PtavSchema, rows, 'product.template.attribute.value.search_read').map((r) => ({
    id: r.id,
    attributeId: many2oneId(r.attribute_id),
    valueId: many2oneId(r.product_attribute_value_id),
    valueName: m2oName(r.product_attribute_value_id),
  }));
}

/** a template's attribute values with their price extras */
export async function templateValueExtras(odoo: OdooClient, templateId: number): Promise<Array<{ id: number; valueId: number | null; priceExtra: number }>> {
  const rows = await odoo.searchRead('product.template.attribute.value', [['product_tmpl_id', '=', templateId]], {
    fields: ['product_attribute_value_id', 'price_extra'],
  });
  return parseRecords(PtavExtraSchema, rows, 'product.template.attribute.value.search_read').map((r) => ({
    id: r.id,
    valueId: many2oneId(r.product_attribute_value_id),
    priceExtra: r.price_extra,
  }));
}

export async function setValuePriceExtra(odoo: OdooClient, templateValueId: number, priceExtra: number): Promise<void> {
  await odoo.write('product.template.attribute.value', [templateValueId], { price_extra: priceExtra });
}

export async function attributeLinesOf(odoo: OdooClient, templateId: number): Promise<AttributeLine[]> {
  const rows = await odoo.searchRead('product.template.attribute.line', [['product_tmpl_id', '=', templateId]], { fields: ['attribute_id', 'value_ids'] });
  return parseRecords(LineSchema, rows, 'product.template.attribute.line.search_read').map((r) => ({
    id: r.id,
    attributeId: many2oneId(r.attribute_id),
    valueIds: r.value_ids,
  }));
}

/** links more values to an existing line; Odoo then makes the variants they add */
export async function addValuesToAttributeLine(odoo: OdooClient, lineId: number, valueIds: number[]): Promise<void> {
  await odoo.write('product.template.attribute.line', [lineId], { value_ids: valueIds.map((v) => [4, v]) });
}

/** new lines on an existing template */
export async function addAttributeLines(odoo: OdooClient, templateId: number, lines: AttributeLineInput[]): Promise<void> {
  await odoo.write('product.template', [templateId], { attribute_line_ids: attributeLineCreates(lines) });
}

/** x2many commands creating these lines (on a new template or an existing one) */
export function attributeLineCreates(lines: AttributeLineInput[]): unknown[] {
  return lines.map((l) => [0, 0, { attribute_id: l.attributeId, value_ids: [[6, 0, l.valueIds]] }]);
}

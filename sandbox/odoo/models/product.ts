import { createRecords, getValue, round2, writeRecords, type Env, type Rec, type Store } from '../orm';
import { binary, bool, char, computed, constant, float, html, idsOf, int, m2m, m2o, o2m, sel, text } from './fields';
import { productStock } from './stock';

/** product.product fields that live on the template (Odoo's `related` fields) */
const TEMPLATE_FIELDS = ['name', 'type', 'is_storable', 'categ_id', 'list_price', 'standard_price', 'taxes_id', 'supplier_taxes_id', 'uom_id', 'invoice_policy', 'weight', 'volume', 'sale_ok', 'purchase_ok', 'description_sale', 'description', 'image_1920', 'tracking'] as const;

function templateFields(): Record<string, ReturnType<typeof char>> {
  return {
    name: char('Name', { required: true }),
    type: sel('Product Type', ['consu', 'service', 'combo'], { default: constant('consu'), required: true }),
    is_storable: bool('Track Inventory'),
    categ_id: m2o('product.category', 'Product Category', { default: constant(1), required: true }),
    list_price: float('Sales Price', { default: constant(1) }),
    standard_price: float('Cost'),
    taxes_id: m2m('account.tax', 'Sales Taxes', {
      // The company's default sale tax, as a fresh database sets it.
      default: (env) => env.db.where('account.tax', (t) => t.type_tax_use === 'sale').slice(0, 1).map((t) => t.id),
    }),
    supplier_taxes_id: m2m('account.tax', 'Purchase Taxes'),
    uom_id: m2o('uom.uom', 'Unit', { default: constant(1), required: true }),
    invoice_policy: sel('Invoicing Policy', ['order', 'delivery'], { default: constant('order') }),
    weight: float('Weight'), volume: float('Volume'),
    sale_ok: bool('Sales', { default: constant(true) }), purchase_ok: bool('Purchase', { default: constant(true) }),
    description_sale: text('Sales Description'),
    description: html('Description'),
    image_1920: binary('Image'),
    tracking: sel('Tracking', ['serial', 'lot', 'none'], { default: constant('none') }),
  };
}

/** stock's compute_is_storable: only goods (type consu) track inventory */
function untrackNonGoods(rec: Rec): void {
  if (rec.type !== 'consu' && rec.is_storable) rec.is_storable = false;
}

export function defineProductModels(db: Store): void {
  db.define({
    name: 'product.category', description: 'Product Category', order: 'complete_name',
    displayName: (env, rec) => String(getValue(env, 'product.category', rec, 'complete_name')),
    fields: {
      name: char('Name', { required: true }),
      parent_id: m2o('product.category', 'Parent Category'),
      child_id: o2m('product.category', 'parent_id', 'Child Categories'),
      complete_name: {
        ...char('Complete Name'),
        ...computed((env, rec) => {
          const parent = typeof rec.parent_id === 'number' ? env.db.get('product.category', rec.parent_id) : undefined;
          return parent ? `${String(getValue(env, 'product.category', parent, 'complete_name'))} / ${String(rec.name)}` : String(rec.name);
        }),
      },
      property_cost_method: sel('Costing Method', ['standard', 'fifo', 'average'], { default: constant('standard') }),
      property_valuation: sel('Inventory Valuation', ['manual_periodic', 'real_time'], { default: constant('manual_periodic') }),
    },
  });
  db.define({
    name: 'product.attribute', description: 'Product Attribute', order: 'sequence, id',
    fields: {
      name: char('Attribute', { required: true }),
      create_variant: sel('Variant Creation', ['always', 'dynamic', 'no_variant'], { default: constant('always'), required: true }),
      display_type: sel('Display Type', ['radio', 'pills', 'select', 'color', 'multi'], { default: constant('radio'), required: true }),
      value_ids: o2m('product.attribute.value', 'attribute_id', 'Values'),
      sequence: int('Sequence', { default: constant(20) }),
    },
  });
  db.define({
    name: 'product.attribute.value', description: 'Attribute Value', order: 'attribute_id, sequence, id',
    displayName: (env, rec) => `${String(env.db.get('product.attribute', rec.attribute_id as number)?.name ?? '')}: ${String(rec.name)}`,
    fields: {
      name: char('Value', { required: true }),
      attribute_id: m2o('product.attribute', 'Attribute', { required: true }),
      html_color: char('Color'),
      sequence: int('Sequence', { default: constant(10) }),
    },
  });
  // product's tags; names are unique (product_tag_name_uniq)
  db.define({
    name: 'product.tag', description: 'Product Tag', order: 'sequence, id',
    fields: { name: char('Name', { required: true }), sequence: int('Sequence', { default: constant(10) }), color: char('Color', { default: constant('#3C3C3C') }) },
  });
  db.define({
    name: 'product.template', description: 'Product', order: 'name',
    displayName: (_env, rec) => (rec.default_code ? `[${String(rec.default_code)}] ${String(rec.name)}` : String(rec.name)),
    fields: {
      ...templateFields(),
      default_code: char('Internal Reference'),
      barcode: char('Barcode'),
      active: bool('Active', { default: constant(true) }),
      product_tag_ids: m2m('product.tag', 'Tags'),
      attribute_line_ids: o2m('product.template.attribute.line', 'product_tmpl_id', 'Product Attributes'),
      product_variant_ids: o2m('product.product', 'product_tmpl_id', 'Products'),
      product_variant_count: { ...int('# Product Variants'), ...computed((env, rec) => env.db.whereEq('product.product', 'product_tmpl_id', rec.id, (p) => p.active !== false).length) },
      qty_available: { ...float('Quantity On Hand'), ...computed((env, rec) => sumVariants(env, rec, 'qty_available')) },
      virtual_available: { ...float('Forecasted Quantity'), ...computed((env, rec) => sumVariants(env, rec, 'virtual_available')) },
    },
    afterCreate: (env, rec) => {
      untrackNonGoods(rec);
      if (!env.context.create_product_product) syncVariants(env, rec.id);
    },
    afterWrite: (env, recs, vals) => {
      for (const rec of recs) untrackNonGoods(rec);
      if ('default_code' in vals) {
        for (const rec of recs) {
          const variants = env.db.whereEq('product.product', 'product_tmpl_id', rec.id);
          if (variants.length === 1) (variants[0] as Rec).default_code = vals.default_code;
        }
      }
      if ('attribute_line_ids' in vals) for (const rec of recs) syncVariants(env, rec.id);
    },
  });
  db.define({
    name: 'product.template.attribute.line', description: 'Product Template Attribute Line',
    displayName: (env, rec) => String(env.db.get('product.attribute', rec.attribute_id as number)?.name ?? ''),
    fields: {
      product_tmpl_id: m2o('product.template', 'Product Template', { required: true }),
      attribute_id: m2o('product.attribute', 'Attribute', { required: true }),
      value_ids: m2m('product.attribute.value', 'Values'),
      product_template_value_ids: o2m('product.template.attribute.value', 'attribute_line_id', 'Product Attribute Values'),
    },
    afterWrite: (env, recs) => {
      for (const tmpl of new Set(recs.map((r) => r.product_tmpl_id as number))) syncVariants(env, tmpl);
    },
  });
  db.define({
    name: 'product.template.attribute.value', description: 'Product Template Attribute Value',
    displayName: (env, rec) => `${String(env.db.get('product.attribute', rec.attribute_id as number)?.name ?? '')}: ${String(rec.name)}`,
    fields: {
      product_attribute_value_id: m2o('product.attribute.value', 'Attribute Value', { required: true }),
      attribute_line_id: m2o('product.template.attribute.line', 'Attribute Line', { required: true }),
      attribute_id: m2o('product.attribute', 'Attribute'),
      product_tmpl_id: m2o('product.template', 'Product Template'),
      price_extra: float('Extra Price'),
      ptav_active: bool('Active', { default: constant(true) }),
      name: { ...char('Value'), ...computed((env, rec) => env.db.get('product.attribute.value', rec.product_attribute_value_id as number)?.name ?? false) },
      ptav_product_variant_ids: {
        ...m2m('product.product', 'Related Variants'),
        ...computed((env, rec) => env.db.where('product.product', (p) => idsOf(p.product_template_attribute_value_ids).includes(rec.id)).map((p) => p.id)),
      },
    },
  });
  const related = Object.fromEntries(
    Object.entries(templateFields()).map(([name, def]) => [
      name,
      { ...def, required: false, default: undefined, ...computed((env, rec) => getValue(env, 'product.template', env.db.must('product.template', rec.product_tmpl_id as number), name)) },
    ]),
  );
  db.define({
    name: 'product.product', description: 'Product Variant', order: 'default_code, name, id',
    displayName: (env, rec) => {
      const tmpl = env.db.get('product.template', rec.product_tmpl_id as number);
      const values = idsOf(rec.product_template_attribute_value_ids)
        .map((id) => env.db.get('product.template.attribute.value', id))
        .filter((v): v is Rec => !!v)
        .map((v) => String(getValue(env, 'product.template.attribute.value', v, 'name')));
      const base = `${rec.default_code ? `[${String(rec.default_code)}] ` : ''}${String(tmpl?.name ?? '')}`;
      return values.length ? `${base} (${values.join(', ')})` : base;
    },
    fields: {
      ...related,
      product_tmpl_id: m2o('product.template', 'Product Template', {
        required: true,
        // Creating a variant directly creates its template from the template's fields.
        default: (env, vals) => {
          const tmplVals = Object.fromEntries(TEMPLATE_FIELDS.filter((f) => vals[f] !== undefined).map((f) => [f, vals[f]]));
          const [id] = createRecords({ ...env, context: { ...env.context, create_product_product: true } }, 'product.template', [tmplVals]);
          return id;
        },
      }),
      default_code: char('Internal Reference'),
      barcode: char('Barcode'),
      active: bool('Active', { default: constant(true) }),
      // the variant's own image; Odoo shows the template's when it has none
      image_variant_1920: binary('Variant Image'),
      product_template_attribute_value_ids: m2m('product.template.attribute.value', 'Attribute Values'),
      product_template_variant_value_ids: {
        ...m2m('product.template.attribute.value', 'Variant Values'),
        ...computed((_env, rec) => idsOf(rec.product_template_attribute_value_ids)),
      },
      combination_indices: { ...char('Combination Indices'), ...computed((_env, rec) => idsOf(rec.product_template_attribute_value_ids).sort((a, b) => a - b).join(',')) },
      price_extra: { ...float('Variant Price Extra'), ...computed((env, rec) => priceExtra(env, rec)) },
      lst_price: {
        ...float('Sales Price'),
        ...computed((env, rec) => round2(Number(env.db.must('product.template', rec.product_tmpl_id as number).list_price ?? 0) + priceExtra(env, rec))),
      },
      qty_available: { ...float('Quantity On Hand'), ...computed((env, rec) => productStock(env, rec.id).qty_available) },
      free_qty: { ...float('Free To Use Quantity'), ...computed((env, rec) => productStock(env, rec.id).free_qty) },
      virtual_available: { ...float('Forecasted Quantity'), ...computed((env, rec) => productStock(env, rec.id).virtual_available) },
      incoming_qty: { ...float('Incoming'), ...computed((env, rec) => productStock(env, rec.id).incoming_qty) },
      outgoing_qty: { ...float('Outgoing'), ...computed((env, rec) => productStock(env, rec.id).outgoing_qty) },
    },
    afterCreate: (env, rec, vals) => {
      const tmpl = env.db.must('product.template', rec.product_tmpl_id as number);
      if (vals.default_code === undefined && tmpl.default_code) rec.default_code = tmpl.default_code;
    },
    beforeWrite: (env, recs, vals) => {
      // Writes to template fields go to the template, as Odoo's related fields do.
      const forTemplate: Record<string, unknown> = {};
      for (const f of TEMPLATE_FIELDS) if (f in vals) { forTemplate[f] = vals[f]; delete vals[f]; }
      if (Object.keys(forTemplate).length > 0) writeRecords(env, 'product.template', [...new Set(recs.map((r) => r.product_tmpl_id as number))], forTemplate);
    },
    afterWrite: (env, recs, vals) => {
      if (!('default_code' in vals)) return;
      for (const rec of recs) {
        const siblings = env.db.whereEq('product.product', 'product_tmpl_id', rec.product_tmpl_id);
        if (siblings.length === 1) env.db.must('product.template', rec.product_tmpl_id as number).default_code = vals.default_code;
      }
    },
  });
}

function sumVariants(env: Env, tmpl: Rec, field: 'qty_available' | 'virtual_available'): number {
  return env.db.whereEq('product.product', 'product_tmpl_id', tmpl.id).reduce((s, p) => s + productStock(env, p.id)[field], 0);
}

function priceExtra(env: Env, rec: Rec): number {
  return idsOf(rec.product_template_attribute_value_ids).reduce((sum, id) => sum + Number(env.db.get('product.template.attribute.value', id)?.price_extra ?? 0), 0);
}

/**
 * Makes the template's variants match its attribute lines: one ptav per line value, one
 * variant per combination of "always" attributes. Existing variants are kept.
 */
export function syncVariants(env: Env, tmplId: number): void {
  const lines = env.db.whereEq('product.template.attribute.line', 'product_tmpl_id', tmplId).sort((a, b) => a.id - b.id);
  const axes: number[][] = [];
  for (const line of lines) {
    const ptavIds: number[] = [];
    for (const valueId of idsOf(line.value_ids)) {
      let ptav = env.db.whereEq('product.template.attribute.value', 'attribute_line_id', line.id, (p) => p.product_attribute_value_id === valueId)[0];
      if (!ptav) {
        const [id] = createRecords(env, 'product.template.attribute.value', [
          { product_attribute_value_id: valueId, attribute_line_id: line.id, attribute_id: line.attribute_id, product_tmpl_id: tmplId },
        ]);
        ptav = env.db.must('product.template.attribute.value', id as number);
      }
      ptavIds.push(ptav.id);
    }
    const attribute = env.db.get('product.attribute', line.attribute_id as number);
    if (attribute?.create_variant !== 'no_variant' && ptavIds.length > 0) axes.push(ptavIds);
  }
  const combos = axes.reduce<number[][]>((acc, axis) => acc.flatMap((c) => axis.map((v) => [...c, v])), [[]]);
  const existing = env.db.whereEq('product.product', 'product_tmpl_id', tmplId);
  const key = (ids: number[]) => [...ids].sort((a, b) => a - b).join(',');
  const have = new Set(existing.map((p) => key(idsOf(p.product_template_attribute_value_ids))));
  const tmpl = env.db.must('product.template', tmplId);
  for (const combo of combos) {
    if (have.has(key(combo))) continue;
    createRecords({ ...env, context: { ...env.context, create_product_product: true } }, 'product.product', [
      { product_tmpl_id: tmplId, product_template_attribute_value_ids: [[6, 0, combo]], default_code: combos.length === 1 && combo.length === 0 ? tmpl.default_code ?? false : false },
    ]);
  }
}

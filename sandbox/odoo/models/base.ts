import { accessError, validationError } from '../exceptions';
import { displayName, type Env, type Rec, type Store } from '../orm';
import { bool, char, computed, constant, date, datetime, float, html, int, m2o, o2m, sel } from './fields';

export function defineBaseModels(db: Store): void {
  db.define({
    name: 'res.company', description: 'Companies',
    fields: {
      name: char('Company Name', { required: true }),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      country_id: m2o('res.country', 'Country'),
      partner_id: m2o('res.partner', 'Partner'),
      chart_template: sel('Chart Template', ['generic_coa'], { default: constant('generic_coa') }),
      account_fiscal_country_id: { ...m2o('res.country', 'Fiscal Country'), ...computed((_env, rec) => rec.country_id ?? false) },
      // stock_sms: texts customers on delivery; warns once per company before the first one
      stock_move_sms_validation: bool('SMS Validation with stock move', { default: constant(true) }),
      has_received_warning_stock_sms: bool('Has received warning stock sms', { default: constant(false) }),
    },
  });
  db.define({
    name: 'res.users', description: 'User',
    fields: {
      login: char('Login', { required: true }),
      name: char('Name'),
      partner_id: m2o('res.partner', 'Related Partner'),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
      lang: char('Language', { default: constant('en_US') }),
      tz: char('Timezone'),
      active: bool('Active', { default: constant(true) }),
    },
  });
  db.define({
    name: 'res.partner', description: 'Contact', order: 'display_name, id desc',
    displayName: (env, rec) => {
      const parent = typeof rec.parent_id === 'number' ? env.db.get('res.partner', rec.parent_id) : undefined;
      const own = typeof rec.name === 'string' ? rec.name : '';
      if (!parent) return own;
      const parentName = displayName(env, 'res.partner', parent);
      return own ? `${parentName}, ${own}` : parentName;
    },
    fields: {
      name: char('Name'),
      is_company: bool('Is a Company'),
      company_type: { ...sel('Company Type', ['person', 'company']), ...computed((_e, r) => (r.is_company ? 'company' : 'person')) },
      parent_id: m2o('res.partner', 'Related Company'),
      child_ids: o2m('res.partner', 'parent_id', 'Contact'),
      type: sel('Address Type', ['contact', 'invoice', 'delivery', 'other'], { default: constant('contact') }),
      street: char('Street'), street2: char('Street2'), city: char('City'), zip: char('Zip'),
      state_id: m2o('res.country.state', 'State'),
      country_id: m2o('res.country', 'Country'),
      email: char('Email'), phone: char('Phone'),
      mobile: char('Mobile', { only: 18 }),
      vat: char('Tax ID'), ref: char('Reference'), lang: char('Language', { default: constant('en_US') }),
      comment: html('Notes'),
      active: bool('Active', { default: constant(true) }),
      customer_rank: int('Customer Rank'),
      company_id: m2o('res.company', 'Company'),
      commercial_partner_id: {
        ...m2o('res.partner', 'Commercial Entity'),
        ...computed((env, rec) => commercialPartner(env, rec)),
      },
      // company-dependent in Odoo, writable; 1 is the company's default pricelist
      property_product_pricelist: m2o('product.pricelist', 'Pricelist', { default: constant(1) }),
    },
    beforeWrite: (env, recs, vals) => {
      if (typeof vals.parent_id === 'number') {
        for (const rec of recs) {
          let cursor: number | false = vals.parent_id;
          while (typeof cursor === 'number') {
            if (cursor === rec.id) throw validationError('You cannot create recursive Partner hierarchies.');
            cursor = (env.db.get('res.partner', cursor)?.parent_id as number | false) ?? false;
          }
        }
      }
    },
  });
  db.define({ name: 'res.country', description: 'Country', order: 'name', fields: { name: char('Country Name', { required: true }), code: char('Country Code') } });
  db.define({
    name: 'res.country.state', description: 'Country state',
    fields: { name: char('State Name', { required: true }), code: char('State Code', { required: true }), country_id: m2o('res.country', 'Country', { required: true }) },
  });
  db.define({
    name: 'res.currency', description: 'Currency',
    fields: { name: char('Currency', { required: true }), symbol: char('Symbol'), active: bool('Active', { default: constant(true) }), rate: { ...float('Current Rate'), ...computed(() => 1) } },
  });
  db.define({
    name: 'res.currency.rate', description: 'Currency Rate',
    fields: { name: date('Date'), rate: float('Technical Rate'), currency_id: m2o('res.currency', 'Currency', { required: true }), company_id: m2o('res.company', 'Company', { default: constant(1) }) },
  });
  db.define({ name: 'uom.category', description: 'Product UoM Categories', fields: { name: char('Unit of Measure Category') } });
  db.define({
    name: 'uom.uom', description: 'Product Unit of Measure',
    fields: {
      name: char('Unit Name', { required: true }),
      category_id: m2o('uom.category', 'Category', { only: 18 }),
      relative_uom_id: m2o('uom.uom', 'Reference Unit', { only: 19 }),
      relative_factor: float('Contains', { only: 19 }),
      factor: float('Ratio'),
    },
  });
  db.define({
    name: 'product.pricelist', description: 'Pricelist',
    displayName: (env, rec) => {
      const cur = typeof rec.currency_id === 'number' ? env.db.get('res.currency', rec.currency_id) : undefined;
      return cur ? `${String(rec.name)} (${String(cur.name)})` : String(rec.name);
    },
    fields: { name: char('Pricelist Name', { required: true }), currency_id: m2o('res.currency', 'Currency', { default: constant(1) }), active: bool('Active', { default: constant(true) }) },
  });
  // stored as given (the sandbox does not price orders by pricelist; real Odoo does, see the tier)
  db.define({
    name: 'product.pricelist.item', description: 'Pricelist Rule',
    fields: {
      pricelist_id: m2o('product.pricelist', 'Pricelist'),
      applied_on: sel('Apply On', ['3_global', '2_product_category', '1_product', '0_product_variant'], { default: constant('3_global'), required: true }),
      product_tmpl_id: m2o('product.template', 'Product'),
      product_id: m2o('product.product', 'Product Variant'),
      min_quantity: float('Min. Quantity', { default: constant(0) }),
      compute_price: sel('Computation', ['percentage', 'formula', 'fixed'], { default: constant('fixed'), required: true }),
      fixed_price: float('Fixed Price'),
      percent_price: float('Percentage Price'),
      date_start: datetime('Start Date'),
      date_end: datetime('End Date'),
    },
  });
  db.define({
    name: 'ir.model.data', description: 'Model Data',
    displayName: (_env, rec) => `${String(rec.module)}.${String(rec.name)}`,
    fields: {
      name: char('External Identifier', { required: true }),
      module: char('Module', { required: true }),
      model: char('Model Name', { required: true }),
      res_id: int('Record ID'),
      noupdate: bool('Non Updatable'),
      complete_name: { ...char('Complete ID'), ...computed((_e, r) => `${String(r.module)}.${String(r.name)}`) },
    },
    afterCreate: (env, rec) => {
      const duplicate = env.db.where('ir.model.data', (r) => r.id !== rec.id && r.module === rec.module && r.name === rec.name);
      if (duplicate.length > 0) {
        env.db.remove('ir.model.data', rec.id);
        throw validationError(
          `The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\nDETAIL:  Key (module, name)=(${String(rec.module)}, ${String(rec.name)}) already exists.\n`,
        );
      }
    },
  });
}

export function commercialPartner(env: Env, rec: Rec): number {
  let current: Rec = rec;
  while (!current.is_company && typeof current.parent_id === 'number') {
    const parent = env.db.get('res.partner', current.parent_id);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}

/** res.partner.address_get: for each type, the first matching contact at or below the partner */
export function addressGet(env: Env, partnerId: number, types: string[]): Record<string, number | false> {
  const partner = env.db.must('res.partner', partnerId);
  const children = env.db.where('res.partner', (r) => r.parent_id === partnerId && r.active !== false).sort((a, b) => a.id - b.id);
  const result: Record<string, number | false> = {};
  const wanted = [...new Set([...types, 'contact'])];
  for (const type of wanted) {
    if ((partner.type ?? 'contact') === type) result[type] = partner.id;
    else result[type] = children.find((c) => c.type === type)?.id ?? false;
  }
  for (const type of wanted) if (result[type] === false) result[type] = result.contact ?? partner.id;
  return Object.fromEntries(types.map((t) => [t, result[t] ?? partner.id]));
}

export function forbidPrivate(model: string, method: string): never {
  throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
}

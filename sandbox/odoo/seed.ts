import { buildDemoWorld, type DemoWorldOptions } from '../demo-world';
import { createRecords, type Env, type Store, type Version } from './orm';

/**
 * The records of a fresh Odoo database without demo data (ids as observed on the real 18.0
 * server: WH/Stock 8, Customers 5, Bank journal 6, the 15% sale tax 1, carrier 1), then,
 * unless `fresh`, the shared demo merchant's catalog, stock, taxes, carriers and journals.
 */
export function seedFresh(env: Env): void {
  const { db } = env;
  const c = (model: string, vals: Array<Record<string, unknown>>, ids?: number[]) => createRecords(env, model, vals, ids);
  c('res.currency', [{ name: 'USD', symbol: '$' }, { name: 'EUR', symbol: '€', active: false }], [1, 125]);
  c('res.country', [
    { name: 'Belgium', code: 'BE' }, { name: 'Germany', code: 'DE' }, { name: 'France', code: 'FR' }, { name: 'Italy', code: 'IT' },
    { name: 'Netherlands', code: 'NL' }, { name: 'United Kingdom', code: 'GB' }, { name: 'United States', code: 'US' },
  ], [20, 57, 75, 109, 165, 231, 233]);
  c('res.country.state', [
    { name: 'California', code: 'CA', country_id: 233 }, { name: 'Oregon', code: 'OR', country_id: 233 }, { name: 'Texas', code: 'TX', country_id: 233 },
  ], [13, 48, 54]);
  c('res.partner', [
    { name: 'My Company', is_company: true, country_id: 233 },
    { name: 'OdooBot', active: false },
    { name: 'Administrator', email: 'admin@example.com' },
  ], [1, 2, 3]);
  db.bumpIds('res.partner', 7);
  c('res.company', [{ name: 'My Company', currency_id: 1, country_id: 233, partner_id: 1 }], [1]);
  c('ir.model.data', [{ module: 'base', name: 'main_company', model: 'res.company', res_id: 1, noupdate: true }]);
  c('res.users', [{ login: 'admin', name: 'Administrator', partner_id: 3, company_id: 1 }], [2]);
  db.bumpIds('res.users', 6);
  c('uom.category', [{ name: 'Unit' }], [1]);
  c('uom.uom', [env.version === 18 ? { name: 'Units', category_id: 1, factor: 1 } : { name: 'Units', relative_factor: 1, factor: 1 }], [1]);
  c('product.pricelist', [{ name: 'Default', currency_id: 1 }], [1]);
  c('crm.team', [{ name: 'Sales', company_id: 1 }], [1]);
  c('account.payment.term', ['Immediate Payment', '15 Days', '21 Days', '30 Days', '45 Days', 'End of Following Month'].map((name, i) => ({ name, sequence: i })), [1, 2, 3, 4, 5, 6]);
  c('product.category', [{ name: 'All' }], [1]);
  c('product.category', [{ name: 'Deliveries', parent_id: 1 }], [3]);
  db.bumpIds('product.category', 5);
  c('stock.location', [
    { name: 'Physical Locations', usage: 'view' }, { name: 'Partners', usage: 'view' }, { name: 'Virtual Locations', usage: 'view' },
    { name: 'Vendors', usage: 'supplier', location_id: 2 }, { name: 'Customers', usage: 'customer', location_id: 2 },
  ], [1, 2, 3, 4, 5]);
  c('stock.location', [{ name: 'WH', usage: 'view', location_id: 1 }, { name: 'Stock', usage: 'internal', location_id: 7 }], [7, 8]);
  c('stock.location', [{ name: 'Inventory adjustment', usage: 'inventory', location_id: 3 }], [14]);
  db.bumpIds('stock.location', 17);
  c('stock.warehouse', [{ name: 'My Company', code: 'WH', view_location_id: 7, lot_stock_id: 8, in_type_id: 1, out_type_id: 2 }], [1]);
  c('stock.picking.type', [
    { name: 'Receipts', code: 'incoming', sequence_code: 'IN', warehouse_id: 1, default_location_src_id: 4, default_location_dest_id: 8 },
    { name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', warehouse_id: 1, default_location_src_id: 8, default_location_dest_id: 5 },
  ], [1, 2]);
  db.bumpIds('stock.picking.type', 9);
  c('account.account', [{ name: 'Account Receivable', code: '121000', account_type: 'asset_receivable' }, { name: 'Product Sales', code: '400000', account_type: 'income' }], [1, 2]);
  c('account.tax.group', [{ name: 'Tax 15%', country_id: 233 }], [1]);
  c('account.tax', [{ name: '15%', amount: 15, type_tax_use: 'sale' }, { name: '15%', amount: 15, type_tax_use: 'purchase' }], [1, 2]);
  c('account.journal', [
    { name: env.version === 18 ? 'Customer Invoices' : 'Sales', code: 'INV', type: 'sale', sequence: 5 },
    { name: env.version === 18 ? 'Vendor Bills' : 'Purchases', code: 'BILL', type: 'purchase', sequence: 6 },
    { name: 'Miscellaneous Operations', code: 'MISC', type: 'general', sequence: 9 },
    { name: 'Exchange Difference', code: 'EXCH', type: 'general', sequence: 9 },
    { name: 'Cash Basis Taxes', code: 'CABA', type: 'general', sequence: 9 },
    { name: 'Bank', code: 'BNK1', type: 'bank', sequence: 7 },
    { name: 'Cash', code: 'CSH1', type: 'cash', sequence: 8 },
  ], [1, 2, 3, 4, 5, 6, 7]);
  c('account.payment.method', [{ name: 'Manual Payment', code: 'manual', payment_type: 'inbound' }, { name: 'Manual Payment', code: 'manual', payment_type: 'outbound' }], [1, 2]);
  c('account.payment.method.line', [
    { name: 'Manual Payment', payment_method_id: 1, journal_id: 6 }, { name: 'Manual Payment', payment_method_id: 2, journal_id: 6 },
    { name: 'Manual Payment', payment_method_id: 1, journal_id: 7 }, { name: 'Manual Payment', payment_method_id: 2, journal_id: 7 },
  ], [1, 2, 3, 4]);
  c('product.template', [{ name: 'Standard delivery', type: 'service', default_code: 'Delivery_007', categ_id: 3, list_price: 0, taxes_id: [], sale_ok: false, purchase_ok: false }], [1]);
  c('delivery.carrier', [{ name: 'Standard delivery', delivery_type: 'fixed', product_id: 1, fixed_price: 0 }], [1]);
}

export function seedDemoWorld(env: Env, options: DemoWorldOptions = {}): void {
  const world = buildDemoWorld(options);
  const c = (model: string, vals: Record<string, unknown>) => createRecords(env, model, [vals])[0] as number;

  const categories = new Map<string, number>();
  for (const cat of world.categories) {
    categories.set(cat.key, c('product.category', { name: cat.name, parent_id: cat.parentKey ? categories.get(cat.parentKey) : 1 }));
  }
  const attributes = new Map<string, { id: number; values: Map<string, number> }>();
  for (const attr of world.attributes) {
    const id = c('product.attribute', { name: attr.label, create_variant: 'always', display_type: attr.code === 'color' ? 'color' : 'radio', value_ids: attr.values.map((v) => [0, 0, { name: v }]) });
    const values = new Map(env.db.whereEq('product.attribute.value', 'attribute_id', id).map((v) => [String(v.name), v.id]));
    attributes.set(attr.code, { id, values });
  }
  // The demo merchant is a US company registered for VAT in the EU countries it sells to (OSS):
  // a fiscal position with a foreign VAT number and a tax group per country, without which real
  // Odoo refuses both the tax and the invoice.
  const company = env.db.must('res.company', 1);
  for (const code of new Set(world.taxRates.map((r) => r.countryId))) {
    const country = env.db.whereEq('res.country', 'code', code)[0];
    if (!country || country.id === company.country_id) continue;
    c('account.tax.group', { name: `VAT ${code}`, country_id: country.id });
    c('account.fiscal.position', { name: `${String(country.name)} (OSS)`, country_id: country.id, foreign_vat: `${code}000000000`, auto_apply: true });
  }
  for (const rate of world.taxRates) {
    const country = env.db.whereEq('res.country', 'code', rate.countryId)[0];
    c('account.tax', { name: `${rate.rate}% ${rate.code}`, amount: rate.rate, amount_type: 'percent', type_tax_use: 'sale', country_id: country?.id ?? false, description: rate.code });
  }
  for (const carrier of world.carriers) {
    for (const method of carrier.methods) {
      const name = carrier.methods.length > 1 ? `${carrier.title} (${method})` : carrier.title;
      const tmpl = c('product.template', { name, type: 'service', default_code: `SHIP-${carrier.magentoCode}-${method}`.toUpperCase(), categ_id: 3, list_price: 0, taxes_id: [] });
      const product = env.db.whereEq('product.product', 'product_tmpl_id', tmpl)[0];
      c('delivery.carrier', { name, delivery_type: 'fixed', product_id: product?.id, fixed_price: 0 });
    }
  }
  world.paymentMethods.forEach((method, i) => {
    const journal = c('account.journal', { name: `Magento ${method.title}`, code: `MG${i + 1}`, type: 'bank', sequence: 20 + i });
    c('account.payment.method.line', { name: method.title, payment_method_id: 1, journal_id: journal });
    c('account.payment.method.line', { name: method.title, payment_method_id: 2, journal_id: journal });
  });
  const saleTax = 1;
  for (const product of world.products) {
    const base = {
      name: product.name, type: 'consu', is_storable: true, categ_id: categories.get(product.categoryKey) ?? 1, list_price: product.price,
      weight: product.weight, invoice_policy: product.invoicePolicy, description_sale: product.description, taxes_id: [[6, 0, [saleTax]]], active: product.active,
    };
    if (product.kind === 'simple') {
      const tmpl = c('product.template', { ...base, default_code: product.sku });
      const variant = env.db.whereEq('product.product', 'product_tmpl_id', tmpl)[0];
      if (variant) setStock(env, variant.id, product.variants[0]?.qtyOnHand ?? 0);
      continue;
    }
    const codes = Object.keys(product.variants[0]?.attributes ?? {});
    const lines = codes.map((code) => {
      const attr = attributes.get(code);
      const used = [...new Set(product.variants.map((v) => v.attributes[code] as string))];
      return [0, 0, { attribute_id: attr?.id, value_ids: [[6, 0, used.map((u) => attr?.values.get(u))]] }];
    });
    const tmpl = c('product.template', { ...base, attribute_line_ids: lines });
    for (const variant of product.variants) {
      const wanted = new Set(codes.map((code) => attributes.get(code)?.values.get(variant.attributes[code] as string)));
      const match = env.db.where('product.product', (p) => {
        if (p.product_tmpl_id !== tmpl) return false;
        const valueIds = (p.product_template_attribute_value_ids as number[]).map((id) => env.db.must('product.template.attribute.value', id).product_attribute_value_id);
        return valueIds.length === wanted.size && valueIds.every((v) => wanted.has(v as number));
      })[0];
      if (!match) continue;
      match.default_code = variant.sku;
      setStock(env, match.id, variant.qtyOnHand);
    }
  }
}

function setStock(env: Env, productId: number, qty: number): void {
  if (qty <= 0) return;
  createRecords(env, 'stock.quant', [{ product_id: productId, location_id: 8, quantity: qty }]);
}

export function seed(db: Store, version: Version, mode: 'demo' | 'fresh', demo?: DemoWorldOptions): void {
  const env: Env = { db, version, uid: 2, context: {} };
  seedFresh(env);
  if (mode === 'demo') seedDemoWorld(env, demo);
}

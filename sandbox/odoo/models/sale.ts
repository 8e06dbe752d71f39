import { userError } from '../exceptions';
import { createRecords, displayName, getValue, nowString, round2, type Env, type Rec, type Store } from '../orm';
import { addressGet } from './base';
import { bool, char, computed, constant, datetime, float, idsOf, int, m2m, m2o, money, o2m, sel, text } from './fields';
import { cancelMove, CUSTOMERS_LOCATION, moveName, reduceDemand, reserveMove } from './stock';
import { computeTaxes } from './account';

export function lineTaxField(env: Env): 'tax_id' | 'tax_ids' {
  return env.version === 18 ? 'tax_id' : 'tax_ids';
}

function lineAmounts(env: Env, line: Rec) {
  if (line.display_type) return { subtotal: 0, tax: 0, total: 0 };
  const price = Number(line.price_unit ?? 0) * (1 - Number(line.discount ?? 0) / 100);
  return computeTaxes(env, idsOf(line[lineTaxField(env)]), price, Number(line.product_uom_qty ?? 0));
}

/**
 * The order's totals. Per line (each line rounded, then added) as real Odoo does in the company
 * currency; real 19.0 sums an order in another currency before rounding (untaxed = round(Σ line
 * bases), each tax = round(Σ its bases × rate)), which moves such orders by a cent now and then.
 */
function orderAmounts(env: Env, order: Rec): { untaxed: number; tax: number; total: number } {
  const lines = orderLines(env, order.id).filter((l) => !l.display_type);
  const currency = getValue(env, 'sale.order', order, 'currency_id');
  const company = env.db.get('res.company', 1)?.currency_id ?? 1;
  const taxesOf = (l: Rec) => idsOf(l[lineTaxField(env)]).map((id) => env.db.get('account.tax', id)).filter((t): t is Rec => !!t);
  const foreign = env.version === 19 && currency !== company && !lines.some((l) => taxesOf(l).some((t) => t.price_include_override === 'tax_included'));
  if (!foreign) {
    const untaxed = round2(lines.reduce((s, l) => s + lineAmounts(env, l).subtotal, 0));
    const tax = round2(lines.reduce((s, l) => s + lineAmounts(env, l).tax, 0));
    return { untaxed, tax, total: round2(untaxed + tax) };
  }
  const raw = (l: Rec) => Number(l.price_unit ?? 0) * (1 - Number(l.discount ?? 0) / 100) * Number(l.product_uom_qty ?? 0);
  const untaxed = round2(lines.reduce((s, l) => s + raw(l), 0));
  const byTax = new Map<number, number>();
  for (const l of lines) for (const t of taxesOf(l)) if (t.amount_type === 'percent') byTax.set(Number(t.amount), (byTax.get(Number(t.amount)) ?? 0) + raw(l));
  const tax = round2([...byTax].reduce((s, [rate, base]) => s + round2((base * rate) / 100), 0));
  return { untaxed, tax, total: round2(untaxed + tax) };
}

function orderLines(env: Env, orderId: number): Rec[] {
  return env.db.whereEq('sale.order.line', 'order_id', orderId).sort((a, b) => Number(a.sequence ?? 10) - Number(b.sequence ?? 10) || a.id - b.id);
}

function qtyDelivered(env: Env, line: Rec): number {
  const moves = env.db.whereEq('stock.move', 'sale_line_id', line.id, (m) => m.state === 'done');
  if (moves.length === 0) return 0;
  return round2(moves.reduce((sum, m) => {
    const toCustomer = m.location_dest_id === CUSTOMERS_LOCATION;
    if (toCustomer) return sum + Number(m.quantity);
    return m.to_refund ? sum - Number(m.quantity) : sum;
  }, 0));
}

function qtyInvoiced(env: Env, line: Rec): number {
  const invoiceLines = env.db.where('account.move.line', (l) => idsOf(l.sale_line_ids).includes(line.id));
  return round2(invoiceLines.reduce((sum, l) => {
    const move = env.db.get('account.move', l.move_id as number);
    if (!move || move.state === 'cancel') return sum;
    return sum + (move.move_type === 'out_refund' ? -1 : 1) * Number(l.quantity ?? 0);
  }, 0));
}

export function qtyToInvoice(env: Env, line: Rec): number {
  const order = env.db.must('sale.order', line.order_id as number);
  if (line.display_type || order.state !== 'sale') return 0;
  const product = typeof line.product_id === 'number' ? env.db.get('product.product', line.product_id) : undefined;
  const policy = product ? getValue(env, 'product.product', product, 'invoice_policy') : 'order';
  const basis = policy === 'delivery' ? qtyDelivered(env, line) : Number(line.product_uom_qty ?? 0);
  return round2(basis - qtyInvoiced(env, line));
}

function invoiceStatus(env: Env, order: Rec): string {
  if (order.state !== 'sale') return 'no';
  const lines = orderLines(env, order.id).filter((l) => !l.display_type);
  if (lines.some((l) => qtyToInvoice(env, l) > 0)) return 'to invoice';
  if (lines.length > 0 && lines.every((l) => qtyInvoiced(env, l) >= Number(l.product_uom_qty ?? 0))) return 'invoiced';
  return 'no';
}

function orderPickings(env: Env, orderId: number): Rec[] {
  return env.db.whereEq('stock.picking', 'sale_id', orderId);
}

function deliveryStatus(env: Env, order: Rec): string | false {
  const states = orderPickings(env, order.id).map((p) => String(getValue(env, 'stock.picking', p, 'state')));
  if (states.length === 0 || states.every((s) => s === 'cancel')) return false;
  if (states.every((s) => s === 'done' || s === 'cancel')) return 'full';
  if (states.some((s) => s === 'done')) return 'partial';
  return 'pending';
}

function orderInvoices(env: Env, orderId: number): number[] {
  const lineIds = new Set(orderLines(env, orderId).map((l) => l.id));
  const moveIds = new Set<number>();
  for (const l of env.db.all('account.move.line')) if (idsOf(l.sale_line_ids).some((id) => lineIds.has(id))) moveIds.add(l.move_id as number);
  return [...moveIds].sort((a, b) => b - a);
}

export function defineSaleModels(db: Store): void {
  db.define({
    name: 'delivery.carrier', description: 'Shipping Methods', order: 'sequence, id',
    fields: {
      name: char('Delivery Method', { required: true }),
      delivery_type: sel('Provider', ['fixed', 'base_on_rule'], { default: constant('fixed'), required: true }),
      product_id: m2o('product.product', 'Delivery Product', { required: true }),
      fixed_price: float('Fixed Price'),
      invoice_policy: sel('Invoicing Policy', ['estimated', 'real'], { default: constant('estimated') }),
      integration_level: sel('Integration Level', ['rate', 'rate_and_ship'], { default: constant('rate_and_ship') }),
      margin: float('Margin'), free_over: bool('Free if order amount is above'), amount: float('Amount'),
      active: bool('Active', { default: constant(true) }),
      sequence: int('Sequence', { default: constant(10) }),
      company_id: m2o('res.company', 'Company'),
    },
  });
  // the sales team and payment term of a quotation (a fresh database has the team "Sales" and
  // account's standard terms)
  db.define({ name: 'crm.team', description: 'Sales Team', order: 'sequence, id', fields: { name: char('Sales Team', { required: true }), sequence: int('Sequence', { default: constant(10) }), company_id: m2o('res.company', 'Company') } });
  db.define({ name: 'account.payment.term', description: 'Payment Terms', order: 'sequence, id', fields: { name: char('Payment Terms', { required: true }), sequence: int('Sequence', { default: constant(10) }), company_id: m2o('res.company', 'Company') } });
  // sales_team's tags (the "Tags" of a quotation); names are unique (crm_tag_name_uniq)
  db.define({
    name: 'crm.tag', description: 'CRM Tag', order: 'name',
    fields: { name: char('Tag Name', { required: true }), color: int('Color') },
  });
  db.define({
    name: 'sale.order', description: 'Sales Order', order: 'date_order desc, id desc',
    fields: {
      name: char('Order Reference', { required: true, default: (env) => `S${String(env.db.nextSequence('sale.order')).padStart(5, '0')}` }),
      partner_id: m2o('res.partner', 'Customer', { required: true }),
      partner_invoice_id: m2o('res.partner', 'Invoice Address', { required: true, default: (env, vals) => (typeof vals.partner_id === 'number' ? addressGet(env, vals.partner_id, ['invoice']).invoice : undefined) }),
      partner_shipping_id: m2o('res.partner', 'Delivery Address', { required: true, default: (env, vals) => (typeof vals.partner_id === 'number' ? addressGet(env, vals.partner_id, ['delivery']).delivery : undefined) }),
      client_order_ref: char('Customer Reference'),
      origin: char('Source Document'),
      date_order: datetime('Order Date', { required: true, default: () => nowString() }),
      validity_date: datetime('Expiration'),
      commitment_date: datetime('Delivery Date'),
      pricelist_id: m2o('product.pricelist', 'Pricelist', { default: constant(1) }),
      currency_id: { ...m2o('res.currency', 'Currency'), ...computed((env, rec) => env.db.get('product.pricelist', rec.pricelist_id as number)?.currency_id ?? 1) },
      warehouse_id: m2o('stock.warehouse', 'Warehouse', { default: constant(1) }),
      carrier_id: m2o('delivery.carrier', 'Delivery Method'),
      user_id: m2o('res.users', 'Salesperson', { default: (env) => env.uid }),
      company_id: m2o('res.company', 'Company', { required: true, default: constant(1) }),
      // _compute_fiscal_position_id: an automatically applied position for the delivery country
      fiscal_position_id: m2o('account.fiscal.position', 'Fiscal Position', { default: (env, vals) => autoFiscalPosition(env, vals.partner_shipping_id) }),
      note: text('Terms and conditions'),
      picking_policy: sel('Shipping Policy', ['direct', 'one'], { required: true, default: constant('direct') }),
      state: sel('Status', ['draft', 'sent', 'sale', 'cancel'], { default: constant('draft') }),
      locked: bool('Locked'),
      tag_ids: m2m('crm.tag', 'Tags'),
      team_id: m2o('crm.team', 'Sales Team', { default: constant(1) }),
      payment_term_id: m2o('account.payment.term', 'Payment Terms'),
      order_line: o2m('sale.order.line', 'order_id', 'Order Lines'),
      invoice_status: { ...sel('Invoice Status', ['upselling', 'invoiced', 'to invoice', 'no']), ...computed((env, rec) => invoiceStatus(env, rec)) },
      delivery_status: { ...sel('Delivery Status', ['pending', 'started', 'partial', 'full']), ...computed((env, rec) => deliveryStatus(env, rec)) },
      amount_untaxed: { ...money('Untaxed Amount'), ...computed((env, rec) => orderAmounts(env, rec).untaxed) },
      amount_tax: { ...money('Taxes'), ...computed((env, rec) => orderAmounts(env, rec).tax) },
      amount_total: { ...money('Total'), ...computed((env, rec) => orderAmounts(env, rec).total) },
      amount_to_invoice: { ...money('Un-invoiced Balance'), ...computed((env, rec) => round2(orderLines(env, rec.id).reduce((s, l) => s + qtyToInvoice(env, l) * Number(l.price_unit ?? 0), 0))) },
      amount_invoiced: { ...money('Already invoiced'), ...computed((env, rec) => round2(orderInvoices(env, rec.id).reduce((s, id) => s + Number(getValue(env, 'account.move', env.db.must('account.move', id), 'amount_total')), 0))) },
      picking_ids: { ...m2m('stock.picking', 'Transfers'), ...computed((env, rec) => orderPickings(env, rec.id).map((p) => p.id).sort((a, b) => a - b)) },
      invoice_ids: { ...m2m('account.move', 'Invoices'), ...computed((env, rec) => orderInvoices(env, rec.id)) },
      effective_date: {
        ...datetime('Effective Date'),
        ...computed((env, rec) => orderPickings(env, rec.id).map((p) => p.date_done).filter((d): d is string => typeof d === 'string').sort()[0] ?? false),
      },
    },
    beforeUnlink: (_env, recs) => {
      if (recs.some((r) => r.state !== 'draft' && r.state !== 'cancel')) throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
    },
  });
  db.define({
    name: 'sale.order.line', description: 'Sales Order Line', order: 'order_id, sequence, id',
    displayName: (env, rec) => {
      const order = env.db.get('sale.order', rec.order_id as number);
      const partner = order ? env.db.get('res.partner', order.partner_id as number) : undefined;
      const ref = partner?.ref ? ` (${String(partner.ref)})` : '';
      return `${String(order?.name ?? '')} - ${String(rec.name ?? '')}${ref}`;
    },
    fields: {
      order_id: m2o('sale.order', 'Order Reference', { required: true }),
      sequence: int('Sequence', { default: constant(10) }),
      product_id: m2o('product.product', 'Product'),
      name: text('Description', {
        required: true,
        default: (env, vals) => (typeof vals.product_id === 'number' ? displayName(env, 'product.product', env.db.must('product.product', vals.product_id)) : undefined),
      }),
      display_type: sel('Display Type', ['line_section', 'line_note']),
      is_delivery: bool('Is a Delivery'),
      product_uom_qty: float('Quantity', { required: true, default: (_env, vals) => (vals.display_type ? 0 : 1) }),
      product_uom: m2o('uom.uom', 'Unit', { only: 18, default: (_env, vals) => (vals.display_type ? false : 1) }),
      product_uom_id: m2o('uom.uom', 'Unit', { only: 19, default: (_env, vals) => (vals.display_type ? false : 1) }),
      price_unit: float('Unit Price', {
        required: false,
        digits: 2,
        default: (env, vals) => (typeof vals.product_id === 'number' ? getValue(env, 'product.product', env.db.must('product.product', vals.product_id), 'lst_price') : 0),
      }),
      discount: float('Discount (%)', { digits: 2 }),
      tax_id: m2m('account.tax', 'Taxes', { only: 18, default: (env, vals) => defaultTaxes(env, vals) }),
      tax_ids: m2m('account.tax', 'Taxes', { only: 19, default: (env, vals) => defaultTaxes(env, vals) }),
      customer_lead: float('Lead Time'),
      price_subtotal: { ...money('Subtotal'), ...computed((env, rec) => lineAmounts(env, rec).subtotal) },
      price_tax: { ...float('Total Tax'), ...computed((env, rec) => lineAmounts(env, rec).tax) },
      price_total: { ...money('Total'), ...computed((env, rec) => lineAmounts(env, rec).total) },
      qty_delivered: { ...float('Delivery Quantity'), ...computed((env, rec) => qtyDelivered(env, rec)) },
      qty_invoiced: { ...float('Invoiced Quantity'), ...computed((env, rec) => qtyInvoiced(env, rec)) },
      qty_to_invoice: { ...float('Quantity To Invoice'), ...computed((env, rec) => qtyToInvoice(env, rec)) },
      move_ids: o2m('stock.move', 'sale_line_id', 'Stock Moves'),
      invoice_lines: { ...m2m('account.move.line', 'Invoice Lines'), ...computed((env, rec) => env.db.where('account.move.line', (l) => idsOf(l.sale_line_ids).includes(rec.id)).map((l) => l.id)) },
      state: { ...sel('Order Status', ['draft', 'sent', 'sale', 'cancel']), ...computed((env, rec) => env.db.get('sale.order', rec.order_id as number)?.state ?? 'draft') },
      currency_id: { ...m2o('res.currency', 'Currency'), ...computed(() => 1) },
    },
    afterCreate: (_env, rec) => {
      if (rec.display_type) Object.assign(rec, { product_uom_qty: 0, price_unit: 0 });
    },
    beforeWrite: (env, recs, vals) => {
      if (vals.product_uom_qty === undefined) return;
      const wanted = Number(vals.product_uom_qty);
      for (const line of recs) {
        if (env.db.get('sale.order', line.order_id as number)?.state !== 'sale') continue;
        // sale_stock's _update_line_quantity
        if (wanted < qtyDelivered(env, line) - 1e-9) {
          throw userError('The ordered quantity of a sale order line cannot be decreased below the amount already delivered. Instead, create a return in your inventory.');
        }
        const before = Number(line.product_uom_qty ?? 0);
        if (wanted > before + 1e-9) throw userError('sandbox: raising the quantity of a confirmed sale order line is not emulated');
        if (wanted < before - 1e-9) reduceDemand(env, line.id, round2(before - wanted));
      }
    },
  });
  db.define({
    name: 'sale.order.cancel', description: 'Sales Order Cancel', only: 18,
    fields: { order_id: m2o('sale.order', 'Sale Order', { required: true }), subject: char('Subject'), body: text('Contents') },
  });
  db.define({
    name: 'choose.delivery.carrier', description: 'Delivery Method Selection Wizard',
    fields: {
      order_id: m2o('sale.order', 'Order', { required: true }),
      carrier_id: m2o('delivery.carrier', 'Shipping Method', { required: true }),
      delivery_price: float('Cost'),
      display_price: float('Display Price'),
      delivery_type: { ...sel('Provider', ['fixed', 'base_on_rule']), ...computed((env, rec) => env.db.get('delivery.carrier', rec.carrier_id as number)?.delivery_type ?? false) },
      delivery_message: text('Message'),
    },
  });
  db.define({
    name: 'sale.advance.payment.inv', description: 'Sales Advance Payment Invoice',
    fields: {
      advance_payment_method: sel('Create Invoice', ['delivered', 'percentage', 'fixed'], { default: constant('delivered'), required: true }),
      sale_order_ids: m2m('sale.order', 'Sales Orders', { default: (env) => (env.context.active_model === 'sale.order' ? (env.context.active_ids as number[]) ?? [] : []) }),
      amount: float('Down Payment'),
      fixed_amount: money('Down Payment Amount (Fixed)'),
      deduct_down_payments: bool('Deduct down payments', { default: constant(true) }),
      consolidated_billing: bool('Consolidated Billing', { default: constant(true) }),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
  });
}

function defaultTaxes(env: Env, vals: Record<string, unknown>): number[] | undefined {
  if (typeof vals.product_id !== 'number') return [];
  return idsOf(getValue(env, 'product.product', env.db.must('product.product', vals.product_id), 'taxes_id'));
}

export function confirmOrders(env: Env, ids: number[]): true {
  const orders = ids.map((id) => env.db.must('sale.order', id));
  if (orders.some((o) => o.state !== 'draft' && o.state !== 'sent')) throw userError('Some orders are not in a state requiring confirmation.');
  for (const order of orders) {
    Object.assign(order, { state: 'sale', date_order: nowString() });
    const warehouse = env.db.must('stock.warehouse', (order.warehouse_id as number) || 1);
    let lines = orderLines(env, order.id).filter((l) => {
      if (l.display_type || l.is_delivery || typeof l.product_id !== 'number') return false;
      return getValue(env, 'product.product', env.db.must('product.product', l.product_id), 'type') === 'consu';
    });
    // As _get_qty_procurement: a line re-confirmed after a cancel procures only what its moves
    // that were not cancelled (a done delivery among them) do not cover yet.
    const toProcure = new Map(lines.map((l) => {
      const planned = env.db.where('stock.move', (m) => m.sale_line_id === l.id && m.state !== 'cancel').reduce((sum, m) => sum + Number(m.product_uom_qty ?? 0), 0);
      return [l.id, Number(l.product_uom_qty) - planned];
    }));
    lines = lines.filter((l) => (toProcure.get(l.id) ?? 0) > 0);
    if (lines.length === 0) continue;
    const origin = env.version === 18 && order.client_order_ref ? `${String(order.name)} - ${String(order.client_order_ref)}` : String(order.name);
    const [pickingId] = createRecords(env, 'stock.picking', [{
      picking_type_id: warehouse.out_type_id, location_id: warehouse.lot_stock_id, location_dest_id: CUSTOMERS_LOCATION,
      partner_id: order.partner_shipping_id, origin, sale_id: order.id, carrier_id: order.carrier_id ?? false,
      move_ids: lines.map((l) => [0, 0, { product_id: l.product_id, product_uom_qty: toProcure.get(l.id), sale_line_id: l.id, origin: order.name, ...moveName(env, l.name), location_id: warehouse.lot_stock_id, location_dest_id: CUSTOMERS_LOCATION }]),
    }]);
    for (const move of env.db.whereEq('stock.move', 'picking_id', pickingId)) reserveMove(env, move);
  }
  return true;
}

/** what 18.0 answers instead of cancelling a confirmed order */
function cancelWizardAction(orderId: number) {
  return {
    name: 'Cancel Sales Order', view_mode: 'form', res_model: 'sale.order.cancel', view_id: 1126, type: 'ir.actions.act_window',
    context: { default_template_id: 14, default_order_id: orderId, mark_so_as_canceled: true, default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature', model_description: 'Sales Order' },
    target: 'new',
  };
}

export function cancelOrders(env: Env, ids: number[]): unknown {
  const orders = ids.map((id) => env.db.must('sale.order', id));
  if (orders.some((o) => o.locked)) throw userError('You cannot cancel a locked order. Please unlock it first.');
  if (env.version === 18 && !env.context.disable_cancel_warning && orders.some((o) => o.state !== 'draft')) {
    return cancelWizardAction(orders[0]?.id as number);
  }
  for (const order of orders) {
    // Odoo keeps done pickings and posted invoices: only what is still open is cancelled.
    for (const picking of orderPickings(env, order.id)) {
      for (const move of env.db.whereEq('stock.move', 'picking_id', picking.id, (m) => m.state !== 'done' && m.state !== 'cancel')) cancelMove(env, move);
    }
    for (const invoiceId of orderInvoices(env, order.id)) {
      const invoice = env.db.must('account.move', invoiceId);
      if (invoice.state === 'draft') invoice.state = 'cancel';
    }
    order.state = 'cancel';
  }
  return true;
}

export function addDeliveryLine(env: Env, wizardId: number): null {
  const wizard = env.db.must('choose.delivery.carrier', wizardId);
  const order = env.db.must('sale.order', wizard.order_id as number);
  const carrier = env.db.must('delivery.carrier', wizard.carrier_id as number);
  for (const line of env.db.whereEq('sale.order.line', 'order_id', order.id, (l) => l.is_delivery === true)) env.db.remove('sale.order.line', line.id);
  const product = env.db.must('product.product', carrier.product_id as number);
  createRecords(env, 'sale.order.line', [{
    order_id: order.id, product_id: product.id, name: carrier.name, product_uom_qty: 1, price_unit: Number(wizard.delivery_price ?? 0), is_delivery: true, sequence: 1000,
    [lineTaxField(env)]: [[6, 0, idsOf(getValue(env, 'product.product', product, 'taxes_id'))]],
  }]);
  order.carrier_id = carrier.id;
  return null;
}

export { orderLines, lineAmounts };

function autoFiscalPosition(env: Env, partnerId: unknown): number | false {
  const partner = typeof partnerId === 'number' ? env.db.get('res.partner', partnerId) : undefined;
  if (!partner?.country_id) return false;
  const position = env.db.where('account.fiscal.position', (p) => p.auto_apply === true && p.active !== false && p.country_id === partner.country_id).sort((a, b) => Number(a.sequence ?? 10) - Number(b.sequence ?? 10) || a.id - b.id)[0];
  return position?.id ?? false;
}

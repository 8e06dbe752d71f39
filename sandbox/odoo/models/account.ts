import { userError, validationError } from '../exceptions';
import { createRecords, getValue, round2, today, type Env, type Rec, type Store } from '../orm';
import { bool, char, computed, constant, date, float, idOf, idsOf, int, m2m, m2o, money, o2m, sel } from './fields';
import { lineTaxField, orderLines, qtyToInvoice } from './sale';

export const RECEIVABLE_ACCOUNT = 1;

/** Odoo's tax computation per line (round per line), with price-included taxes */
export function computeTaxes(env: Env, taxIds: number[], priceUnit: number, quantity: number) {
  const taxes = taxIds.map((id) => env.db.get('account.tax', id)).filter((t): t is Rec => !!t && t.amount_type === 'percent');
  const gross = priceUnit * quantity;
  const included = taxes.filter((t) => t.price_include_override === 'tax_included').reduce((s, t) => s + Number(t.amount), 0);
  const excluded = taxes.filter((t) => t.price_include_override !== 'tax_included').reduce((s, t) => s + Number(t.amount), 0);
  const subtotal = round2(gross / (1 + included / 100));
  const tax = round2(round2(gross - subtotal) + subtotal * (excluded / 100));
  return { subtotal, tax, total: round2(subtotal + tax) };
}

function moveLines(env: Env, moveId: number, kinds = ['product']): Rec[] {
  return env.db.where('account.move.line', (l) => l.move_id === moveId && kinds.includes(String(l.display_type ?? 'product'))).sort((a, b) => a.id - b.id);
}

function lineAmounts(env: Env, line: Rec) {
  if ((line.display_type ?? 'product') !== 'product') return { subtotal: 0, tax: 0, total: 0 };
  return computeTaxes(env, idsOf(line.tax_ids), Number(line.price_unit ?? 0) * (1 - Number(line.discount ?? 0) / 100), Number(line.quantity ?? 0));
}

function moveTotals(env: Env, move: Rec) {
  const lines = moveLines(env, move.id);
  const subtotal = round2(lines.reduce((s, l) => s + lineAmounts(env, l).subtotal, 0));
  const tax = round2(lines.reduce((s, l) => s + lineAmounts(env, l).tax, 0));
  return { subtotal, tax, total: round2(subtotal + tax) };
}

function residual(env: Env, move: Rec): number {
  if (move.state !== 'posted') return moveTotals(env, move).total;
  return Number(move.amount_residual_stored ?? 0);
}

function paymentState(env: Env, move: Rec): string {
  if (!String(move.move_type).startsWith('out_') || move.state !== 'posted') return 'not_paid';
  const total = moveTotals(env, move).total;
  const left = residual(env, move);
  if (total > 0 && left <= 0.001) return 'paid';
  if (left < total) return 'partial';
  return 'not_paid';
}

const MOVE_PREFIX: Record<string, string> = { out_invoice: 'INV', out_refund: 'RINV', in_invoice: 'BILL', in_refund: 'RBILL', entry: 'MISC' };

export function defineAccountModels(db: Store): void {
  db.define({
    name: 'account.account', description: 'Account',
    displayName: (_env, rec) => `${String(rec.code)} ${String(rec.name)}`,
    fields: { name: char('Account Name', { required: true }), code: char('Code'), account_type: sel('Type', ['asset_receivable', 'asset_cash', 'income', 'liability_payable', 'liability_current']) },
  });
  db.define({
    name: 'account.tax.group', description: 'Tax Group', order: 'sequence asc, id',
    fields: {
      name: char('Name', { required: true }),
      sequence: int('Sequence', { default: constant(10) }),
      country_id: m2o('res.country', 'Country'),
      company_id: m2o('res.company', 'Company', { default: constant(1), required: true }),
    },
  });
  db.define({
    name: 'account.fiscal.position', description: 'Fiscal Position', order: 'sequence, id',
    fields: {
      name: char('Fiscal Position', { required: true }),
      sequence: int('Sequence', { default: constant(10) }),
      country_id: m2o('res.country', 'Country'),
      foreign_vat: char('Foreign Tax ID'),
      auto_apply: bool('Detect Automatically'),
      active: bool('Active', { default: constant(true) }),
      company_id: m2o('res.company', 'Company', { default: constant(1), required: true }),
    },
  });
  db.define({
    name: 'account.tax', description: 'Tax', order: 'sequence, id',
    fields: {
      name: char('Tax Name', { required: true }),
      // Real Odoo (_compute_tax_group_id): a group of the tax's country, else one with no
      // country; none at all leaves the required field empty and the create fails.
      tax_group_id: m2o('account.tax.group', 'Tax Group', { required: true, default: (env, vals) => defaultTaxGroup(env, vals) }),
      amount: float('Amount'),
      amount_type: sel('Tax Computation', ['group', 'fixed', 'percent', 'division'], { default: constant('percent'), required: true }),
      type_tax_use: sel('Tax Type', ['sale', 'purchase', 'none'], { default: constant('sale'), required: true }),
      price_include: { ...bool('Included in Price'), ...computed((_env, rec) => rec.price_include_override === 'tax_included') },
      price_include_override: sel('Included in Price', ['tax_included', 'tax_excluded']),
      include_base_amount: bool('Affect Base of Subsequent Taxes'),
      description: char('Label on Invoices'),
      invoice_label: char('Label on Invoices'),
      country_id: m2o('res.country', 'Country'),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
      active: bool('Active', { default: constant(true) }),
      sequence: int('Sequence', { default: constant(1) }),
    },
  });
  db.define({
    name: 'account.journal', description: 'Journal', order: 'sequence, type, code',
    fields: {
      name: char('Journal Name', { required: true }),
      code: char('Short Code', { required: true }),
      type: sel('Type', ['sale', 'purchase', 'cash', 'bank', 'credit', 'general'], { required: true }),
      default_account_id: m2o('account.account', 'Default Account'),
      inbound_payment_method_line_ids: { ...o2m('account.payment.method.line', 'journal_id', 'Inbound Payment Methods'), ...computed((env, rec) => methodLines(env, rec.id, 'inbound')) },
      outbound_payment_method_line_ids: { ...o2m('account.payment.method.line', 'journal_id', 'Outbound Payment Methods'), ...computed((env, rec) => methodLines(env, rec.id, 'outbound')) },
      currency_id: m2o('res.currency', 'Currency'),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
      sequence: int('Sequence', { default: constant(10) }),
      active: bool('Active', { default: constant(true) }),
    },
  });
  db.define({
    name: 'account.payment.method', description: 'Payment Methods',
    fields: { name: char('Name', { required: true }), code: char('Code', { required: true }), payment_type: sel('Type', ['inbound', 'outbound'], { required: true }) },
  });
  db.define({
    name: 'account.payment.method.line', description: 'Payment Methods', order: 'sequence, id',
    displayName: (env, rec) => `${String(rec.name)} (${String(env.db.get('account.journal', rec.journal_id as number)?.name ?? '')})`,
    fields: {
      name: char('Name'),
      sequence: int('Sequence', { default: constant(10) }),
      payment_method_id: m2o('account.payment.method', 'Payment Method', { required: true }),
      journal_id: m2o('account.journal', 'Journal'),
      payment_account_id: m2o('account.account', 'Outstanding Payments Account'),
      payment_type: { ...sel('Payment Type', ['inbound', 'outbound']), ...computed((env, rec) => env.db.get('account.payment.method', rec.payment_method_id as number)?.payment_type ?? false) },
      code: { ...char('Code'), ...computed((env, rec) => env.db.get('account.payment.method', rec.payment_method_id as number)?.code ?? false) },
    },
  });
  db.define({
    name: 'account.move', description: 'Journal Entry', order: 'date desc, name desc, id desc',
    displayName: (_env, rec) => {
      const name = typeof rec.name === 'string' && rec.name !== '/' ? rec.name : `Draft (* ${rec.id})`;
      const ref = rec.ref || rec.memo_for_display;
      return ref ? `${name} (${String(ref)})` : name;
    },
    fields: {
      name: char('Number'),
      date: date('Date', { default: () => today() }),
      move_type: sel('Type', ['entry', 'out_invoice', 'out_refund', 'in_invoice', 'in_refund', 'out_receipt', 'in_receipt'], { default: constant('entry'), required: true }),
      state: sel('Status', ['draft', 'posted', 'cancel'], { default: constant('draft'), required: true }),
      partner_id: m2o('res.partner', 'Partner'),
      partner_shipping_id: m2o('res.partner', 'Delivery Address'),
      commercial_partner_id: { ...m2o('res.partner', 'Commercial Entity'), ...computed((_env, rec) => rec.partner_id ?? false) },
      invoice_date: date('Invoice/Bill Date'),
      invoice_date_due: date('Due Date'),
      invoice_origin: char('Origin'),
      ref: char('Reference'),
      payment_reference: char('Payment Reference'),
      journal_id: m2o('account.journal', 'Journal', { required: true, default: (env, vals) => (String(vals.move_type ?? 'entry').startsWith('out_') ? 1 : 3) }),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      line_ids: o2m('account.move.line', 'move_id', 'Journal Items'),
      invoice_line_ids: { ...o2m('account.move.line', 'move_id', 'Invoice lines'), ...computed((env, rec) => moveLines(env, rec.id, ['product', 'line_section', 'line_note']).map((l) => l.id)) },
      amount_untaxed: { ...money('Untaxed Amount'), ...computed((env, rec) => moveTotals(env, rec).subtotal) },
      amount_tax: { ...money('Tax'), ...computed((env, rec) => moveTotals(env, rec).tax) },
      amount_total: { ...money('Total'), ...computed((env, rec) => moveTotals(env, rec).total) },
      amount_residual: { ...money('Amount Due'), ...computed((env, rec) => round2(residual(env, rec))) },
      payment_state: { ...sel('Payment Status', ['not_paid', 'in_payment', 'paid', 'partial', 'reversed', 'blocked', 'invoicing_legacy']), ...computed((env, rec) => paymentState(env, rec)) },
      reversed_entry_id: m2o('account.move', 'Reversal of'),
      reversal_move_ids: o2m('account.move', 'reversed_entry_id', 'Reversal Move'),
      invoice_payment_term_id: m2o('account.account', 'Payment Terms'),
      fiscal_position_id: m2o('account.fiscal.position', 'Fiscal Position'),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
  });
  db.define({
    name: 'account.move.line', description: 'Journal Item',
    displayName: (env, rec) => String(rec.name || env.db.get('account.move', rec.move_id as number)?.name || ''),
    fields: {
      move_id: m2o('account.move', 'Journal Entry', { required: true }),
      product_id: m2o('product.product', 'Product'),
      name: char('Label', { default: (env, vals) => (typeof vals.product_id === 'number' ? String(getValue(env, 'product.product', env.db.must('product.product', vals.product_id), 'display_name')) : undefined) }),
      quantity: float('Quantity', { default: constant(1) }),
      price_unit: float('Unit Price', { default: (env, vals) => (typeof vals.product_id === 'number' ? getValue(env, 'product.product', env.db.must('product.product', vals.product_id), 'lst_price') : 0) }),
      discount: float('Discount (%)', { digits: 2 }),
      tax_ids: m2m('account.tax', 'Taxes', { default: (env, vals) => (typeof vals.product_id === 'number' && (vals.display_type ?? 'product') === 'product' ? idsOf(getValue(env, 'product.product', env.db.must('product.product', vals.product_id), 'taxes_id')) : []) }),
      price_subtotal: { ...money('Subtotal'), ...computed((env, rec) => lineAmounts(env, rec).subtotal) },
      price_total: { ...money('Total'), ...computed((env, rec) => lineAmounts(env, rec).total) },
      sale_line_ids: m2m('sale.order.line', 'Sales Order Lines'),
      display_type: sel('Display Type', ['product', 'cogs', 'tax', 'discount', 'rounding', 'payment_term', 'line_section', 'line_note', 'epd'], { default: constant('product') }),
      account_id: m2o('account.account', 'Account', { default: (_env, vals) => ((vals.display_type ?? 'product') === 'payment_term' ? RECEIVABLE_ACCOUNT : 2) }),
      reconciled: bool('Reconciled'),
    },
  });
  db.define({
    name: 'account.payment', description: 'Payments', order: 'date desc, name desc',
    fields: {
      name: char('Number'),
      state: sel('Status', ['draft', 'in_process', 'paid', 'canceled', 'rejected'], { default: constant('draft') }),
      amount: money('Amount'),
      payment_type: sel('Payment Type', ['outbound', 'inbound']),
      partner_type: sel('Partner Type', ['customer', 'supplier']),
      partner_id: m2o('res.partner', 'Customer/Vendor'),
      journal_id: m2o('account.journal', 'Journal'),
      payment_method_line_id: m2o('account.payment.method.line', 'Payment Method'),
      date: date('Date', { default: () => today() }),
      memo: char('Memo'),
      move_id: m2o('account.move', 'Journal Entry'),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      is_reconciled: bool('Is Reconciled'),
      reconciled_invoice_ids: m2m('account.move', 'Reconciled Invoices'),
    },
  });
  db.define({
    name: 'account.payment.register', description: 'Pay',
    fields: {
      line_ids: m2m('account.move.line', 'Journal items', {
        default: (env) => activeMoves(env).flatMap((m) => moveLines(env, m.id, ['payment_term']).map((l) => l.id)),
      }),
      payment_date: date('Payment Date', { required: true, default: () => today() }),
      amount: money('Amount', { default: (env) => round2(activeMoves(env).reduce((s, m) => s + residual(env, m), 0)) }),
      communication: char('Memo', { default: (env) => activeMoves(env).map((m) => String(m.ref || m.name)).join(' ') }),
      group_payment: bool('Group Payments', { default: constant(true) }),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      journal_id: m2o('account.journal', 'Journal', { default: (env) => env.db.where('account.journal', (j) => j.type === 'bank')[0]?.id ?? false }),
      partner_id: m2o('res.partner', 'Customer/Vendor', { default: (env) => activeMoves(env)[0]?.partner_id ?? false }),
      payment_type: sel('Payment Type', ['outbound', 'inbound'], { default: (env) => (activeMoves(env)[0]?.move_type === 'out_refund' ? 'outbound' : 'inbound') }),
      partner_type: sel('Partner Type', ['customer', 'supplier'], { default: constant('customer') }),
      payment_method_line_id: m2o('account.payment.method.line', 'Payment Method', {
        default: (env, vals) => {
          const journal = typeof vals.journal_id === 'number' ? vals.journal_id : env.db.where('account.journal', (j) => j.type === 'bank')[0]?.id;
          const type = activeMoves(env)[0]?.move_type === 'out_refund' ? 'outbound' : 'inbound';
          return methodLines(env, journal as number, type)[0] ?? false;
        },
      }),
      payment_difference: { ...money('Payment Difference'), ...computed((env, rec) => round2(activeMovesOf(env, rec).reduce((s, m) => s + residual(env, m), 0) - Number(rec.amount ?? 0))) },
      payment_difference_handling: sel('Payment Difference Handling', ['open', 'reconcile'], { default: constant('open') }),
      writeoff_account_id: m2o('account.account', 'Difference Account'),
      writeoff_label: char('Journal Item Label'),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
    afterCreate: (env, rec) => {
      rec.move_ids_for_payment = activeMoves(env).map((m) => m.id);
    },
  });
  db.define({
    name: 'account.move.reversal', description: 'Account Move Reversal',
    fields: {
      move_ids: m2m('account.move', 'Move', {
        default: (env) => {
          const moves = activeMoves(env);
          if (moves.some((m) => m.state !== 'posted')) throw userError('You can only reverse posted moves.');
          return moves.map((m) => m.id);
        },
      }),
      new_move_ids: m2m('account.move', 'New Move'),
      date: date('Reversal date', { default: () => today() }),
      reason: char('Reason displayed on Credit Note'),
      journal_id: m2o('account.journal', 'Journal', { required: true }),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
  });
}

function methodLines(env: Env, journalId: number, type: string): number[] {
  return env.db
    .where('account.payment.method.line', (l) => l.journal_id === journalId && env.db.get('account.payment.method', l.payment_method_id as number)?.payment_type === type)
    .map((l) => l.id);
}

function activeMoves(env: Env): Rec[] {
  if (env.context.active_model !== 'account.move') {
    if (env.context.active_model === 'account.move.line') {
      const ids = idsOf(env.context.active_ids).map((id) => env.db.get('account.move.line', id)?.move_id as number);
      return [...new Set(ids)].map((id) => env.db.must('account.move', id));
    }
    return [];
  }
  return idsOf(env.context.active_ids).map((id) => env.db.must('account.move', id));
}

function activeMovesOf(env: Env, wizard: Rec): Rec[] {
  return idsOf(wizard.move_ids_for_payment).map((id) => env.db.must('account.move', id));
}

/** sale.advance.payment.inv.create_invoices */
export function createInvoices(env: Env, wizardId: number): Record<string, unknown> {
  const wizard = env.db.must('sale.advance.payment.inv', wizardId);
  const orderIds = idsOf(wizard.sale_order_ids);
  const invoiceIds: number[] = [];
  for (const orderId of orderIds) {
    const order = env.db.must('sale.order', orderId);
    const taxField = lineTaxField(env);
    let lines: Array<Record<string, unknown>>;
    if (wizard.advance_payment_method === 'delivered') {
      lines = orderLines(env, orderId)
        .filter((l) => !l.display_type && qtyToInvoice(env, l) > 0)
        .map((l) => [0, 0, { product_id: l.product_id, name: l.name, quantity: qtyToInvoice(env, l), price_unit: l.price_unit, discount: l.discount ?? 0, tax_ids: [[6, 0, idsOf(l[taxField])]], sale_line_ids: [[6, 0, [l.id]]] }] as unknown as Record<string, unknown>);
    } else {
      const base = Number(getValue(env, 'sale.order', order, 'amount_untaxed'));
      const amount = wizard.advance_payment_method === 'percentage' ? round2((base * Number(wizard.amount ?? 0)) / 100) : Number(wizard.fixed_amount ?? 0);
      const taxes = idsOf(orderLines(env, orderId).find((l) => !l.display_type)?.[taxField]);
      lines = [[0, 0, { name: `Down payment of ${String(wizard.amount ?? amount)}%`, quantity: 1, price_unit: amount, tax_ids: [[6, 0, taxes]] }] as unknown as Record<string, unknown>];
    }
    if (lines.length === 0) continue;
    const [id] = createRecords(env, 'account.move', [{
      move_type: 'out_invoice', partner_id: order.partner_invoice_id, partner_shipping_id: order.partner_shipping_id,
      invoice_origin: order.name, ref: order.client_order_ref ?? false, journal_id: 1, currency_id: getValue(env, 'sale.order', order, 'currency_id'),
      fiscal_position_id: order.fiscal_position_id ?? false,
      invoice_line_ids: lines,
    }]);
    invoiceIds.push(id as number);
  }
  if (invoiceIds.length === 0) {
    throw userError(
      'Cannot create an invoice. No items are available to invoice.\n\nTo resolve this issue, please ensure that:\n   • The products have been delivered before attempting to invoice them.\n   • The invoicing policy of the product is configured correctly.\n\nIf you want to invoice based on ordered quantities instead:\n   • For consumable or storable products, open the product, go to the \'General Information\' tab and change the \'Invoicing Policy\' from \'Delivered Quantities\' to \'Ordered Quantities\'.\n   • For Services (and other products), change the \'Invoicing Policy\' to \'Prepaid/Fixed Price\'.\n',
    );
  }
  const first = env.db.must('sale.order', orderIds[0] as number);
  const action: Record<string, unknown> = {
    id: 262, name: 'Invoices', type: 'ir.actions.act_window', xml_id: 'account.action_move_out_invoice_type', path: 'invoicing',
    help: '<p class="o_view_nocontent_smiling_face">Create a customer invoice</p>', binding_model_id: false, binding_type: 'action',
    binding_view_types: 'list,form', display_name: 'Invoices', view_id: [708, 'account.out.invoice.list'],
    domain: "[('move_type', 'in', ['out_invoice', 'out_refund'])]",
    context: { default_move_type: 'out_invoice', default_partner_id: first.partner_id, default_partner_shipping_id: first.partner_shipping_id, default_invoice_payment_term_id: null, default_invoice_origin: first.name },
    res_model: 'account.move', target: 'current', view_mode: 'list,kanban,form,activity', mobile_view_mode: 'kanban',
    views: [[715, 'form'], [708, 'list'], [false, 'kanban'], [false, 'activity']], limit: 80, groups_id: [], search_view_id: [718, 'account.invoice.select'],
    embedded_action_ids: [], filter: false,
  };
  if (env.version === 19) {
    delete action.groups_id;
    action.group_ids = [];
    action.cache = true;
    delete (action.context as Record<string, unknown>).default_invoice_origin;
  }
  if (invoiceIds.length === 1) action.res_id = invoiceIds[0];
  return action;
}

export function postMoves(env: Env, ids: number[]): false {
  for (const id of ids) {
    const move = env.db.must('account.move', id);
    if (move.state !== 'draft') throw userError(`The entry ${String(move.name)} (id ${id}) must be in draft.`);
    validateTaxesCountry(env, move);
    const year = new Date().getUTCFullYear();
    const prefix = MOVE_PREFIX[String(move.move_type)] ?? 'MISC';
    move.name = `${prefix}/${year}/${String(env.db.nextSequence(`move.${prefix}.${year}`)).padStart(5, '0')}`;
    if (String(move.move_type).startsWith('out_') && !move.invoice_date) move.invoice_date = today();
    const total = moveTotals(env, move).total;
    move.state = 'posted';
    move.amount_residual_stored = total;
    if (String(move.move_type).startsWith('out_')) {
      createRecords(env, 'account.move.line', [{ move_id: id, name: String(move.name), display_type: 'payment_term', account_id: RECEIVABLE_ACCOUNT, quantity: 1, price_unit: 0 }]);
    }
    // A credit note posted against an open invoice is reconciled with it at once.
    if (typeof move.reversed_entry_id === 'number') {
      const origin = env.db.get('account.move', move.reversed_entry_id);
      if (origin && origin.state === 'posted') reconcile(env, origin, move);
    }
  }
  return false;
}

/** the company's fiscal country (account_fiscal_country_id; the company's country by default) */
export function fiscalCountry(env: Env, companyId = 1): number | false {
  return idOf(env.db.get('res.company', companyId)?.country_id);
}

function taxCountry(env: Env, tax: Rec): number | false {
  return idOf(tax.country_id) || fiscalCountry(env, idOf(tax.company_id) || 1);
}

function defaultTaxGroup(env: Env, vals: Record<string, unknown>): number | undefined {
  const country = idOf(vals.country_id) || fiscalCountry(env, idOf(vals.company_id) || 1);
  const groups = env.db.where('account.tax.group', () => true).sort((a, b) => Number(a.sequence ?? 10) - Number(b.sequence ?? 10) || a.id - b.id);
  return (groups.find((g) => g.country_id === country) ?? groups.find((g) => !g.country_id))?.id;
}

/**
 * account.move._validate_taxes_country: every tax on the entry belongs to its tax country, which
 * is the fiscal position's country when that position has a foreign VAT, else the company's.
 */
function validateTaxesCountry(env: Env, move: Rec): void {
  const position = typeof move.fiscal_position_id === 'number' ? env.db.get('account.fiscal.position', move.fiscal_position_id) : undefined;
  const expected = position?.foreign_vat ? idOf(position.country_id) : fiscalCountry(env, idOf(move.company_id) || 1);
  const taxIds = new Set(moveLines(env, move.id).flatMap((l) => idsOf(l.tax_ids)));
  const impacted = new Set([...taxIds].map((t) => env.db.get('account.tax', t)).filter((t): t is Rec => !!t).map((t) => taxCountry(env, t)));
  if (impacted.size === 0 || (impacted.size === 1 && impacted.has(expected))) return;
  if (position && !(impacted.size === 1 && impacted.has(idOf(position.country_id)))) {
    throw validationError('This entry contains taxes that are not compatible with your fiscal position. Check the country set in fiscal position and in your tax configuration.');
  }
  throw validationError('This entry contains one or more taxes that are incompatible with your fiscal country. Check company fiscal country in the settings and tax country in taxes configuration.');
}

function reconcile(env: Env, a: Rec, b: Rec): void {
  const amount = Math.min(residual(env, a), residual(env, b));
  if (amount <= 0) return;
  a.amount_residual_stored = round2(residual(env, a) - amount);
  b.amount_residual_stored = round2(residual(env, b) - amount);
  for (const m of [a, b]) if (residual(env, m) <= 0.001) for (const l of moveLines(env, m.id, ['payment_term'])) l.reconciled = true;
}

export function jsAssignOutstandingLine(env: Env, ids: number[], lineId: number): unknown {
  const line = env.db.must('account.move.line', lineId);
  if (line.reconciled) throw userError('You are trying to reconcile some entries that are already reconciled.');
  const other = env.db.must('account.move', line.move_id as number);
  for (const id of ids) reconcile(env, env.db.must('account.move', id), other);
  return true;
}

export function createPayments(env: Env, wizardId: number): Record<string, unknown> {
  const wizard = env.db.must('account.payment.register', wizardId);
  const moves = activeMovesOf(env, wizard);
  if (moves.length === 0 || moves.some((m) => m.state !== 'posted')) throw userError('You can only register payment for posted journal entries.');
  const journal = env.db.must('account.journal', wizard.journal_id as number);
  const year = new Date().getUTCFullYear();
  const name = `P${String(journal.code)}/${year}/${String(env.db.nextSequence(`payment.${String(journal.code)}.${year}`)).padStart(5, '0')}`;
  const memo = wizard.communication || false;
  const [entryId] = createRecords(env, 'account.move', [{ move_type: 'entry', journal_id: journal.id, partner_id: wizard.partner_id, ref: memo }]);
  const entry = env.db.must('account.move', entryId as number);
  Object.assign(entry, { name, state: 'posted', amount_residual_stored: 0 });
  let left = Number(wizard.amount ?? 0);
  for (const move of moves) {
    const take = Math.min(left, residual(env, move));
    move.amount_residual_stored = round2(residual(env, move) - take);
    if (residual(env, move) <= 0.001) for (const l of moveLines(env, move.id, ['payment_term'])) l.reconciled = true;
    left = round2(left - take);
  }
  const [paymentId] = createRecords(env, 'account.payment', [{
    name, state: 'paid', amount: wizard.amount, payment_type: wizard.payment_type, partner_type: wizard.partner_type, partner_id: wizard.partner_id,
    journal_id: journal.id, payment_method_line_id: wizard.payment_method_line_id, date: wizard.payment_date, memo, move_id: entryId,
    is_reconciled: true, reconciled_invoice_ids: [[6, 0, moves.map((m) => m.id)]],
  }]);
  return { name: 'Payments', type: 'ir.actions.act_window', res_model: 'account.payment', context: { create: false }, view_mode: 'form', res_id: paymentId };
}

export function refundMoves(env: Env, wizardId: number): Record<string, unknown> {
  const wizard = env.db.must('account.move.reversal', wizardId);
  const created: number[] = [];
  for (const moveId of idsOf(wizard.move_ids)) {
    const move = env.db.must('account.move', moveId);
    const lines = moveLines(env, moveId, ['product', 'line_section', 'line_note']).map((l) => [0, 0, {
      product_id: l.product_id, name: l.name, quantity: l.quantity, price_unit: l.price_unit, discount: l.discount ?? 0, tax_ids: [[6, 0, idsOf(l.tax_ids)]], sale_line_ids: [[6, 0, idsOf(l.sale_line_ids)]], display_type: l.display_type,
    }]);
    const [id] = createRecords(env, 'account.move', [{
      move_type: move.move_type === 'out_invoice' ? 'out_refund' : 'out_invoice', partner_id: move.partner_id, partner_shipping_id: move.partner_shipping_id,
      reversed_entry_id: moveId, invoice_origin: move.invoice_origin, journal_id: idOf(wizard.journal_id) || move.journal_id, fiscal_position_id: move.fiscal_position_id ?? false,
      ref: wizard.reason ? `Reversal of: ${String(move.name)}, ${String(wizard.reason)}` : `Reversal of: ${String(move.name)}`,
      invoice_line_ids: lines,
    }]);
    created.push(id as number);
  }
  wizard.new_move_ids = created;
  const action: Record<string, unknown> = { name: 'Reverse Moves', type: 'ir.actions.act_window', res_model: 'account.move' };
  if (created.length === 1) Object.assign(action, { view_mode: 'form', res_id: created[0], context: { default_move_type: 'out_refund' } });
  else Object.assign(action, { view_mode: 'list,form', domain: [['id', 'in', created]], context: { default_move_type: 'out_refund' } });
  return action;
}

export function reverseAction(): Record<string, unknown> {
  return {
    id: 247, name: 'Credit Note', type: 'ir.actions.act_window', xml_id: 'account.action_view_account_move_reversal', path: false, help: false,
    binding_model_id: [450, 'Journal Entry'], binding_type: 'action', binding_view_types: 'list', display_name: 'Reverse',
    view_id: [686, 'account.move.reversal.form'], domain: false, context: '{}', res_id: 0, res_model: 'account.move.reversal', target: 'new',
    view_mode: 'list,form', mobile_view_mode: 'kanban', views: [[686, 'form'], [false, 'list']], limit: 80, groups_id: [26], search_view_id: false,
    embedded_action_ids: [], filter: false,
  };
}

export function cancelDraftMoves(env: Env, ids: number[]): void {
  for (const id of ids) env.db.must('account.move', id).state = 'cancel';
}

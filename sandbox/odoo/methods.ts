import { valueError } from './exceptions';
import { addressGet } from './models/base';
import { createInvoices, createPayments, jsAssignOutstandingLine, postMoves, refundMoves, reverseAction } from './models/account';
import { addDeliveryLine, cancelOrders, confirmOrders } from './models/sale';
import { actionApplyInventory, answerSmsWarning, buttonValidate, cancelPickings, createQuants, createReturn, finishPickings, smsWarning } from './models/stock';
import { createRecords, displayName, fieldsGet, readGroup, readRecords, search, unlinkRecords, webRead, writeRecords, type Env, type Version, type WebSpec } from './orm';

/**
 * The sandbox's handler table: every (model, method) it answers, with the Python signature
 * Odoo binds the arguments to. Both protocols dispatch through it, and the contract test
 * checks each entry against the recorded Odoo contract.
 */
export interface Param { name: string; required?: boolean }
export interface MethodSpec {
  params: Param[];
  /** @api.model: called without ids (JSON-2 refuses ids for these) */
  apiModel?: boolean;
  /** the method takes **kwargs (unknown names fail deeper down, with a TypeError) */
  varkw?: string;
  run: (env: Env & { model: string; protocol: 'jsonrpc' | 'json2' }, ids: number[], args: Record<string, unknown>) => unknown;
}

const p = (name: string, required = false): Param => ({ name, required });
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null || v === false ? [] : [v]);

const ORM: Record<string, MethodSpec> = {
  create: {
    apiModel: true, params: [p('vals_list', true)],
    run: (env, _ids, { vals_list }) => {
      const single = !Array.isArray(vals_list);
      const ids = createRecords(env, env.model, (single ? [vals_list] : vals_list) as Array<Record<string, unknown>>);
      // execute_kw answers a bare id for a single dict; JSON-2 always answers the list.
      return single && env.protocol === 'jsonrpc' ? ids[0] : ids;
    },
  },
  write: { params: [p('vals', true)], run: (env, ids, { vals }) => (writeRecords(env, env.model, ids, vals as Record<string, unknown>), true) },
  read: { params: [p('fields'), p('load')], run: (env, ids, { fields }) => readRecords(env, env.model, ids, list(fields) as string[]) },
  unlink: { params: [], run: (env, ids) => (unlinkRecords(env, env.model, ids), true) },
  search: {
    apiModel: true, params: [p('domain', true), p('offset'), p('limit'), p('order')],
    run: (env, _ids, a) => search(env, env.model, list(a.domain), { offset: a.offset as number, limit: a.limit as number, order: a.order as string }),
  },
  search_read: {
    apiModel: true, params: [p('domain'), p('fields'), p('offset'), p('limit'), p('order')], varkw: 'read_kwargs',
    run: (env, _ids, a) => {
      const ids = search(env, env.model, list(a.domain), { offset: a.offset as number, limit: a.limit as number, order: a.order as string });
      return readRecords(env, env.model, ids, list(a.fields) as string[]);
    },
  },
  search_count: { apiModel: true, params: [p('domain', true), p('limit')], run: (env, _ids, a) => search(env, env.model, list(a.domain)).length },
  fields_get: { apiModel: true, params: [p('allfields'), p('attributes')], run: (env, _ids, a) => fieldsGet(env, env.model, a.allfields as string[], a.attributes as string[]) },
  name_search: {
    apiModel: true, params: [p('name'), p('domain'), p('operator'), p('limit')],
    run: (env, _ids, a) => {
      const name = String(a.name ?? '');
      const ids = search(env, env.model, list(a.domain)).filter((id) => displayName(env, env.model, env.db.must(env.model, id)).toLowerCase().includes(name.toLowerCase()));
      return ids.slice(0, (a.limit as number) ?? 100).map((id) => [id, displayName(env, env.model, env.db.must(env.model, id))]);
    },
  },
  // Odoo 17+ (addons/web/models/models.py): create on an empty recordset, else write; then web_read
  web_save: {
    params: [p('vals', true), p('specification', true), p('next_id')],
    run: (env, ids, { vals, specification, next_id }) => {
      let target = ids;
      if (target.length) writeRecords(env, env.model, target, vals as Record<string, unknown>);
      else target = createRecords(env, env.model, [vals as Record<string, unknown>]);
      if (typeof next_id === 'number') target = [next_id];
      return webRead(env, env.model, target, (specification ?? {}) as WebSpec);
    },
  },
  read_group: {
    apiModel: true, params: [p('domain', true), p('fields', true), p('groupby', true), p('offset'), p('limit'), p('orderby'), p('lazy')],
    run: (env, _ids, a) => readGroup(env, env.model, list(a.domain), list(a.fields) as string[], list(a.groupby) as string[]),
  },
};

const button = (run: (env: Env, ids: number[]) => unknown): MethodSpec => ({ params: [], run: (env, ids) => run(env, ids) });
const orm = (...names: string[]): Record<string, MethodSpec> => Object.fromEntries(names.map((n) => [n, ORM[n] as MethodSpec]));
const READS = ['read', 'search_read', 'search', 'search_count', 'fields_get'];

function wizardIds(ids: number[]): number {
  if (ids.length !== 1) throw valueError(`Expected singleton: ${JSON.stringify(ids)}`);
  return ids[0] as number;
}

export function buildHandlers(version: Version): Record<string, Record<string, MethodSpec>> {
  const table: Record<string, Record<string, MethodSpec>> = {
    'res.company': orm('read', 'search_read'),
    'crm.team': orm('search_read'),
    'account.payment.term': orm('search_read'),
    'res.users': {
      ...orm('read'),
      context_get: { apiModel: true, params: [], run: (env) => ({ lang: 'en_US', tz: false, uid: env.uid }) },
    },
    'res.partner': {
      ...orm(...READS, 'create', 'write', 'web_save', 'unlink', 'name_search'),
      address_get: { params: [p('adr_pref')], run: (env, ids, a) => addressGet(env, ids[0] as number, (list(a.adr_pref) as string[]).length ? (list(a.adr_pref) as string[]) : ['contact']) },
    },
    // what an Odoo admin does over JSON-RPC when setting up a shop (countries, states, carriers, journals)
    'res.country': orm('read', 'search_read', 'search', 'name_search', 'create'),
    'res.country.state': orm('read', 'search_read', 'search', 'create'),
    'res.currency': orm(...READS, 'write'),
    'res.currency.rate': orm('create'),
    'uom.uom': orm('search_read'),
    'product.pricelist': orm(...READS, 'create'),
    'product.pricelist.item': orm('search_read', 'create', 'unlink'),
    'ir.model.data': {
      ...orm('create', 'search_read'),
      check_object_reference: {
        apiModel: true, params: [p('module', true), p('xml_id', true), p('raise_on_access_error')],
        run: (env, _ids, a) => {
          const rec = env.db.where('ir.model.data', (r) => r.module === a.module && r.name === a.xml_id)[0];
          if (!rec) throw valueError(`External ID not found in the system: ${String(a.module)}.${String(a.xml_id)}`);
          return [rec.model, rec.res_id];
        },
      },
    },
    'product.category': orm(...READS, 'create', 'write'),
    'product.attribute': orm(...READS, 'create'),
    'product.attribute.value': orm('search_read', 'create'),
    'product.template': orm(...READS, 'create', 'write'),
    'product.template.attribute.line': orm('search_read', 'write'),
    'product.template.attribute.value': orm('search_read', 'search', 'write'),
    'product.product': orm(...READS, 'create', 'write'),
    // website_sale's extra images: answered only where the database has the app (server option modules)
    'product.image': orm('search_read', 'create', 'write', 'unlink'),
    'stock.warehouse': orm('read', 'search_read', 'create'),
    'stock.location': orm('search_read'),
    'stock.quant': {
      ...orm('search_read', 'write', 'read_group'),
      create: { ...(ORM.create as MethodSpec), run: (env, _ids, { vals_list }) => {
        const single = !Array.isArray(vals_list);
        const ids = createQuants(env, (single ? [vals_list] : vals_list) as Array<Record<string, unknown>>);
        return single && env.protocol === 'jsonrpc' ? ids[0] : ids;
      } },
      action_apply_inventory: button(actionApplyInventory),
    },
    'sale.order': {
      ...orm(...READS, 'create', 'write', 'web_save', 'unlink'),
      action_confirm: button(confirmOrders),
      action_cancel: button(cancelOrders),
      action_draft: button((env, ids) => {
        for (const id of ids) {
          const order = env.db.must('sale.order', id);
          if (order.state === 'cancel' || order.state === 'sent') order.state = 'draft';
        }
        return true;
      }),
      action_lock: button((env, ids) => { for (const id of ids) env.db.must('sale.order', id).locked = true; return null; }),
      action_unlock: button((env, ids) => { for (const id of ids) env.db.must('sale.order', id).locked = false; return null; }),
    },
    'sale.order.line': orm('search_read', 'write'),
    'crm.tag': orm('search_read', 'read', 'create'),
    'product.tag': orm('search_read', 'create', 'write'),
    'choose.delivery.carrier': { ...orm('create', 'read'), button_confirm: button((env, ids) => addDeliveryLine(env, wizardIds(ids))) },
    'delivery.carrier': orm(...READS, 'create'),
    'stock.picking': {
      ...orm('read', 'search_read', 'write', 'create'),
      button_validate: button(buttonValidate),
      action_cancel: button(cancelPickings),
    },
    'stock.move': orm('search_read', 'read', 'write'),
    'stock.move.line': orm('search_read'),
    'stock.backorder.confirmation': {
      ...orm('create', 'read'),
      // Both buttons validate again (skipping the backorder check), so stock_sms may still ask.
      process: button((env, ids) => {
        const picks = ids.flatMap((id) => env.db.must('stock.backorder.confirmation', id).pick_ids as number[]);
        return smsWarning(env, picks, true) ?? finishPickings(env, picks, true);
      }),
      process_cancel_backorder: button((env, ids) => {
        const picks = ids.flatMap((id) => env.db.must('stock.backorder.confirmation', id).pick_ids as number[]);
        return smsWarning(env, picks, false) ?? finishPickings(env, picks, false);
      }),
    },
    'confirm.stock.sms': {
      send_sms: button((env, ids) => answerSmsWarning(env, ids, true)),
      dont_send_sms: button((env, ids) => answerSmsWarning(env, ids, false)),
    },
    'stock.return.picking': { ...orm('create', 'read'), action_create_returns: button((env, ids) => createReturn(env, wizardIds(ids))) },
    'stock.return.picking.line': orm('search_read', 'read', 'write'),
    'sale.advance.payment.inv': { ...orm('create'), create_invoices: button((env, ids) => createInvoices(env, wizardIds(ids))) },
    'account.move': {
      ...orm('read', 'search_read', 'create', 'write'),
      action_post: button(postMoves),
      action_reverse: button(() => reverseAction()),
      js_assign_outstanding_line: { params: [p('line_id', true)], run: (env, ids, a) => jsAssignOutstandingLine(env, ids, a.line_id as number) },
    },
    'account.move.line': orm('search'),
    'account.payment.register': { ...orm('create', 'read'), action_create_payments: button((env, ids) => createPayments(env, wizardIds(ids))) },
    'account.payment': orm('read'),
    'account.move.reversal': { ...orm('create'), refund_moves: button((env, ids) => refundMoves(env, wizardIds(ids))) },
    'account.journal': orm(...READS, 'create'),
    'account.tax': orm('search_read', 'create', 'read'),
    'account.tax.group': orm('search_read', 'create', 'read'),
    'account.fiscal.position': orm('search_read', 'create', 'read'),
    'account.payment.method': orm('search_read'),
    'account.payment.method.line': orm('search_read'),
  };
  if (version === 18) {
    // 19.0 removed the wizard: action_cancel cancels directly there.
    table['sale.order.cancel'] = {
      ...orm('create'),
      action_cancel: button((env, ids) => {
        for (const id of ids) cancelOrders({ ...env, context: { ...env.context, disable_cancel_warning: true } }, [env.db.must('sale.order.cancel', id).order_id as number]);
        return true;
      }),
    };
  }
  return table;
}

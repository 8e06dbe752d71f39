import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startOdooSandbox, type OdooSandbox } from '../../sandbox/odoo/server';
import { buildHandlers } from '../../sandbox/odoo/methods';
import { transcriptFiles } from '../unit/odoo-contract-files';

/**
 * Replays the requests recorded on real Odoo servers against the sandbox and compares the
 * answers' shapes: keys, JSON types, error class names and HTTP statuses. Ids differ (the
 * recordings come from a database with history), so ids the real server handed out are
 * mapped to the sandbox's as the replay learns them.
 */
interface Entry { step: string | null; path: string; http_status: number; request: Record<string, unknown>; response: unknown }

/** steps the sandbox does not emulate, with the reason */
const SKIPPED: Record<string, string> = {
  'ir.model.fields create x_ field': 'custom fields (ir.model / ir.model.fields) are not emulated',
  'use x_ field': 'custom fields are not emulated',
  'unique constraint attempt via ir.model.constraint? (not via RPC) - check duplicate allowed': 'uses the custom x_ field',
  'error:AccessError_apikeys_unlink_other': 'API key management is not served',
  'api_doc': 'the api_doc module is not emulated',
  'jsonrpc:db.list': 'the db service is only partly emulated',
};

type IdMap = Map<string, Map<number, number>>;

class Replayer {
  readonly ids: IdMap = new Map();
  /** record names (S00029 → S00003) for domains that search by name, not id */
  readonly names = new Map<string, string>();
  readonly problems: string[] = [];
  private readonly handlers: ReturnType<typeof buildHandlers>;

  constructor(private readonly sandbox: OdooSandbox) {
    this.handlers = buildHandlers(sandbox.state.version);
  }

  private relation(model: string, field: string): string | undefined {
    if (field === 'id') return model;
    try {
      return this.sandbox.state.db.fields(model, this.sandbox.state.version)[field]?.relation;
    } catch {
      return undefined;
    }
  }

  private map(model: string | undefined, id: unknown): unknown {
    if (!model || typeof id !== 'number') return id;
    return this.ids.get(model)?.get(id) ?? id;
  }

  private learn(model: string | undefined, recorded: unknown, actual: unknown): void {
    if (!model || typeof recorded !== 'number' || typeof actual !== 'number') return;
    const table = this.ids.get(model) ?? new Map<number, number>();
    if (!table.has(recorded)) table.set(recorded, actual);
    this.ids.set(model, table);
  }

  mapVals(model: string, vals: unknown): unknown {
    if (Array.isArray(vals)) return vals.map((v) => this.mapVals(model, v));
    if (!vals || typeof vals !== 'object') return vals;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(vals as Record<string, unknown>)) {
      const rel = key === 'res_id' ? String((vals as Record<string, unknown>).model) : this.relation(model, key);
      out[key] = rel ? this.mapRelational(rel, value) : value;
    }
    return out;
  }

  private mapRelational(rel: string, value: unknown): unknown {
    if (typeof value === 'number') return this.map(rel, value);
    if (!Array.isArray(value)) return value;
    return value.map((item) => {
      if (typeof item === 'number') return this.map(rel, item);
      if (!Array.isArray(item)) return item;
      const [op, id, arg] = item as [number, number, unknown];
      if (op === 0) return [0, 0, this.mapVals(rel, arg)];
      if (op === 1) return [1, this.map(rel, id), this.mapVals(rel, arg)];
      if (op === 6) return [6, 0, (arg as number[]).map((x) => this.map(rel, x))];
      return [op, this.map(rel, id), ...item.slice(2)];
    });
  }

  mapDomain(model: string, domain: unknown): unknown {
    if (!Array.isArray(domain)) return domain;
    return domain.map((leaf) => {
      if (Array.isArray(leaf) && leaf.length === 3 && typeof leaf[2] === 'string' && this.names.has(leaf[2])) return [leaf[0], leaf[1], this.names.get(leaf[2])];
      if (!Array.isArray(leaf) || leaf.length !== 3 || String(leaf[0]).includes('.')) return leaf;
      const rel = this.relation(model, String(leaf[0]));
      return rel ? [leaf[0], leaf[1], this.mapRelational(rel, leaf[2])] : leaf;
    });
  }

  mapContext(context: unknown): unknown {
    if (!context || typeof context !== 'object') return context;
    const ctx = { ...(context as Record<string, unknown>) };
    const active = typeof ctx.active_model === 'string' ? ctx.active_model : undefined;
    if (active) {
      if (Array.isArray(ctx.active_ids)) ctx.active_ids = ctx.active_ids.map((id) => this.map(active, id));
      if (typeof ctx.active_id === 'number') ctx.active_id = this.map(active, ctx.active_id);
    }
    if (Array.isArray(ctx.button_validate_picking_ids)) ctx.button_validate_picking_ids = ctx.button_validate_picking_ids.map((id) => this.map('stock.picking', id));
    if (Array.isArray(ctx.default_pick_ids)) ctx.default_pick_ids = this.mapRelational('stock.picking', ctx.default_pick_ids);
    return ctx;
  }

  /** learns ids from a recorded answer and the sandbox's answer to the same request */
  learnFrom(model: string, method: string, recorded: unknown, actual: unknown): void {
    if (method === 'create' || method === 'search') {
      if (typeof recorded === 'number') this.learn(model, recorded, Array.isArray(actual) ? actual[0] : actual);
      if (Array.isArray(recorded) && Array.isArray(actual) && recorded.length === actual.length) recorded.forEach((r, i) => this.learn(model, r, actual[i]));
    }
    if (method === 'address_get' && recorded && actual && typeof recorded === 'object') {
      for (const [k, v] of Object.entries(recorded as Record<string, unknown>)) this.learn('res.partner', v, (actual as Record<string, unknown>)[k]);
    }
    if (Array.isArray(recorded) && Array.isArray(actual) && recorded.length === actual.length) {
      recorded.forEach((rec, i) => {
        const act = actual[i];
        if (!rec || typeof rec !== 'object' || Array.isArray(rec) || !act || typeof act !== 'object') return;
        const r = rec as Record<string, unknown>;
        const a = act as Record<string, unknown>;
        this.learn(model, r.id, a.id);
        if (typeof r.name === 'string' && typeof a.name === 'string' && !this.names.has(r.name)) this.names.set(r.name, a.name);
        for (const [field, value] of Object.entries(r)) {
          const rel = this.relation(model, field);
          if (!rel) continue;
          if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && Array.isArray(a[field])) this.learn(rel, value[0], (a[field] as unknown[])[0]);
          else if (Array.isArray(value) && Array.isArray(a[field]) && value.length === (a[field] as unknown[]).length) value.forEach((v, j) => this.learn(rel, v, (a[field] as unknown[])[j]));
        }
      });
    }
    if (recorded && typeof recorded === 'object' && !Array.isArray(recorded) && actual && typeof actual === 'object') {
      const r = recorded as Record<string, unknown>;
      const a = actual as Record<string, unknown>;
      if (typeof r.res_model === 'string' && r.res_model === a.res_model) this.learn(r.res_model, r.res_id, a.res_id);
    }
  }

  compare(where: string, recorded: unknown, actual: unknown, path = '$'): void {
    if (recorded === null || recorded === undefined) {
      if (actual !== null && actual !== undefined) this.problems.push(`${where} ${path}: Odoo answered null, the sandbox ${JSON.stringify(actual).slice(0, 80)}`);
      return;
    }
    // Odoo writes "no value" as false for every field type; a value on one side only is data.
    if (recorded === false || actual === false) {
      if (typeof recorded === 'boolean' && typeof actual !== 'boolean' && recorded !== false) this.problems.push(`${where} ${path}: boolean expected`);
      return;
    }
    if (Array.isArray(recorded)) {
      if (!Array.isArray(actual)) return void this.problems.push(`${where} ${path}: list expected, got ${typeof actual}`);
      if (recorded.length > 0 && actual.length === 0) return void this.problems.push(`${where} ${path}: empty list where Odoo had ${recorded.length} items`);
      if (recorded.length === 0) return;
      actual.forEach((item, i) => this.compare(where, recorded[Math.min(i, recorded.length - 1)], item, `${path}[${i}]`));
      return;
    }
    if (typeof recorded === 'object') {
      if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return void this.problems.push(`${where} ${path}: object expected`);
      const rk = Object.keys(recorded as object).filter((k) => k !== 'debug');
      const ak = Object.keys(actual as object).filter((k) => k !== 'debug');
      const missing = rk.filter((k) => !ak.includes(k));
      const extra = ak.filter((k) => !rk.includes(k));
      if (missing.length || extra.length) this.problems.push(`${where} ${path}: keys differ (missing ${missing.join(',') || '-'}; extra ${extra.join(',') || '-'})`);
      // The body of an action's help text, or a whole fields_get, is compared by keys only.
      if (path.endsWith('.help')) return;
      for (const k of rk) if (ak.includes(k)) this.compare(where, (recorded as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    if (typeof recorded !== typeof actual) this.problems.push(`${where} ${path}: ${typeof recorded} expected, got ${typeof actual} (${JSON.stringify(actual)})`);
  }

  async replayJsonRpc(entry: Entry, where: string): Promise<void> {
    const request = structuredClone(entry.request) as { params: { service: string; method: string; args: unknown[] } };
    const { service, method, args } = request.params;
    let model = '';
    let modelMethod = '';
    if (service === 'object' && method === 'execute_kw') {
      model = String(args[3]);
      modelMethod = String(args[4]);
      const positional = [...((args[5] as unknown[]) ?? [])];
      const kwargs = { ...((args[6] as Record<string, unknown>) ?? {}) };
      const spec = this.handlers[model]?.[modelMethod];
      if (spec && !spec.apiModel && positional.length > 0) positional[0] = this.mapRelational(model, positional[0]);
      if (modelMethod === 'create') positional[0] = this.mapVals(model, positional[0]);
      if (modelMethod === 'write') positional[1] = this.mapVals(model, positional[1]);
      if (['search', 'search_read', 'search_count', 'read_group'].includes(modelMethod)) positional[0] = this.mapDomain(model, positional[0]);
      if (modelMethod === 'js_assign_outstanding_line') positional[1] = this.map('account.move.line', positional[1]);
      if (kwargs.context) kwargs.context = this.mapContext(kwargs.context);
      args[5] = positional;
      if (args.length > 6) args[6] = kwargs;
    }
    const res = await fetch(`${this.sandbox.url}${entry.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    if (res.status !== entry.http_status) this.problems.push(`${where}: HTTP ${res.status}, Odoo answered ${entry.http_status}`);
    const actual = (await res.json()) as Record<string, unknown>;
    const recorded = entry.response as Record<string, unknown>;
    const rErr = recorded.error as { data?: { name?: string } } | undefined;
    const aErr = actual.error as { data?: { name?: string; message?: string } } | undefined;
    if (rErr || aErr) {
      if (rErr?.data?.name !== aErr?.data?.name) this.problems.push(`${where}: error ${String(aErr?.data?.name)} (${String(aErr?.data?.message ?? '').slice(0, 120)}), Odoo: ${String(rErr?.data?.name)}`);
      else this.compare(where, recorded, actual);
      return;
    }
    this.compare(where, recorded, actual);
    if (model) this.learnFrom(model, modelMethod, recorded.result, actual.result);
  }

  async replayJson2(entry: Entry, where: string): Promise<void> {
    const req = entry.request as { method: string; headers: Record<string, string>; body: unknown };
    const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(entry.path);
    let body = req.body;
    if (m && body && typeof body === 'object' && !Array.isArray(body)) {
      const [, model] = m as unknown as [string, string, string];
      const named = { ...(body as Record<string, unknown>) };
      if (Array.isArray(named.ids)) named.ids = named.ids.map((id) => this.map(model, id));
      if (named.vals_list !== undefined) named.vals_list = this.mapVals(model, named.vals_list);
      if (named.vals !== undefined) named.vals = this.mapVals(model, named.vals);
      if (named.domain !== undefined) named.domain = this.mapDomain(model, named.domain);
      if (named.context !== undefined) named.context = this.mapContext(named.context);
      body = named;
    }
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k, v.replace('<api-key>', this.sandbox.apiKey)]));
    const res = await fetch(`${this.sandbox.url}${entry.path}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || body === null || body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (res.status !== entry.http_status) this.problems.push(`${where}: HTTP ${res.status}, Odoo answered ${entry.http_status}`);
    const text = await res.text();
    const recorded = entry.response as Record<string, unknown> | null;
    if (recorded && typeof recorded === 'object' && '_raw_text' in recorded) {
      if (res.headers.get('content-type')?.includes('json')) this.problems.push(`${where}: Odoo answered an HTML page, the sandbox JSON`);
      return;
    }
    const actual: unknown = text ? JSON.parse(text) : null;
    if (entry.http_status !== 200) {
      const rName = (recorded as { name?: string }).name;
      const aName = (actual as { name?: string } | null)?.name;
      if (rName !== aName) this.problems.push(`${where}: error ${String(aName)} (${String((actual as { message?: string } | null)?.message ?? '').slice(0, 120)}), Odoo: ${String(rName)}`);
      else this.compare(where, recorded, actual);
      return;
    }
    this.compare(where, recorded, actual);
    if (m) this.learnFrom(m[1] as string, m[2] as string, recorded, actual);
  }
}

function entries(file: string): Entry[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Entry);
}

describe('replay of the 18.0 JSON-RPC transcripts', () => {
  let sandbox: OdooSandbox;
  let replayer: Replayer;
  before(async () => {
    sandbox = await startOdooSandbox({ version: 18, seed: 'fresh', database: 'oracle', apiKey: '<api-key>', password: 'admin' });
    replayer = new Replayer(sandbox);
  });
  after(() => sandbox.close());

  // One sandbox for all files, in order: later flows use records the first one created.
  for (const file of transcriptFiles(18)) {
    test(`${basename(file)}: same answer shapes and error classes as Odoo 18.0`, async () => {
      const before = replayer.problems.length;
      let replayed = 0;
      for (const [i, entry] of entries(file).entries()) {
        if (SKIPPED[String(entry.step)]) continue;
        await replayer.replayJsonRpc(entry, `${basename(file)}#${i} ${String(entry.step)}`);
        replayed++;
      }
      assert.ok(replayed >= 3, `only ${replayed} steps replayed`);
      assert.deepEqual(replayer.problems.slice(before), []);
    });
  }
});

describe('replay of the 19.0 JSON-2 transcripts', () => {
  let sandbox: OdooSandbox;
  let replayer: Replayer;
  before(async () => {
    sandbox = await startOdooSandbox({ version: 19, seed: 'fresh', database: 'odoo19', apiKey: 'sandbox-19-key', password: 'admin' });
    replayer = new Replayer(sandbox);
  });
  after(() => sandbox.close());

  for (const name of ['flow.jsonl', 'errors.jsonl']) {
    test(`${name}: same statuses, answer shapes and error names as Odoo 19.0`, async () => {
      const file = transcriptFiles(19).find((f) => basename(f) === name) as string;
      const before = replayer.problems.length;
      for (const [i, entry] of entries(file).entries()) {
        if (SKIPPED[String(entry.step)]) continue;
        await replayer.replayJson2(entry, `${name}#${i} ${String(entry.step)}`);
      }
      assert.deepEqual(replayer.problems.slice(before), []);
    });
  }
});

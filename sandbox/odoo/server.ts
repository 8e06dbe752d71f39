import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoWorldOptions } from '../demo-world';
import { FaultInjector, readBody, RequestCounter, sendJson, type FaultRule } from '../faults';
import { accessDenied, accessError, attributeError, fakeTraceback, notFound, OdooException, typeError, unprocessable } from './exceptions';
import { buildHandlers, type MethodSpec } from './methods';
import { Store, type Ctx, type Env, type Version } from './orm';
import { defineAccountModels } from './models/account';
import { defineBaseModels } from './models/base';
import { defineProductModels } from './models/product';
import { defineSaleModels } from './models/sale';
import { defineStockModels } from './models/stock';
import { defineWebsiteSaleModels } from './models/website-sale';
import { seed } from './seed';

export interface OdooSandboxOptions {
  port?: number;
  host?: string;
  /** 18: JSON-RPC only (JSON-2 redirects to /web/login), cancel wizard, `tax_id`; 19: both protocols */
  version?: Version;
  database?: string;
  login?: string;
  /** accepted as the bearer token (JSON-2) and as the password (JSON-RPC) */
  apiKey?: string;
  /** the user's password, also accepted over JSON-RPC */
  password?: string;
  /** 'demo' (default): a fresh database plus the shared demo world; 'fresh': like a new Odoo */
  seed?: 'demo' | 'fresh';
  demo?: DemoWorldOptions;
  /**
   * Odoo apps installed beyond sales, stock and invoicing. 'website_sale' (eCommerce): the
   * product.image model and product.template's product_template_image_ids (extra images).
   * Default none, like the real-Odoo tier's databases.
   */
  modules?: OptionalModule[];
  faults?: FaultRule[];
  random?: () => number;
}

export interface OdooSandboxState {
  readonly version: Version;
  readonly db: Store;
  /** an environment for tests that want to read or prepare records directly */
  env(context?: Ctx): Env;
}

export interface OdooSandbox {
  url: string;
  port: number;
  database: string;
  login: string;
  apiKey: string;
  state: OdooSandboxState;
  counters: RequestCounter;
  faults: FaultInjector;
  /** reseeds the data and clears counters and faults */
  reset(): void;
  close(): Promise<void>;
}

export type OptionalModule = 'website_sale';

const ADMIN_UID = 2;

function newStore(version: Version, mode: 'demo' | 'fresh', demo?: DemoWorldOptions, modules: readonly OptionalModule[] = []): Store {
  const db = new Store(version);
  defineBaseModels(db);
  defineProductModels(db);
  defineStockModels(db);
  defineAccountModels(db);
  defineSaleModels(db);
  if (modules.includes('website_sale')) defineWebsiteSaleModels(db);
  seed(db, version, mode, demo);
  return db;
}

/** every (model, method) the sandbox answers on this version, for the contract test */
export function sandboxOperations(version: Version): Array<{ model: string; method: string }> {
  return Object.entries(buildHandlers(version)).flatMap(([model, methods]) => Object.keys(methods).map((method) => ({ model, method })));
}

/** the sandbox's field names per model, for the contract test */
export function sandboxFields(version: Version): Record<string, string[]> {
  const db = newStore(version, 'fresh');
  return Object.fromEntries([...db.models.keys()].map((m) => [m, Object.keys(db.fields(m, version))]));
}

export async function startOdooSandbox(options: OdooSandboxOptions = {}): Promise<OdooSandbox> {
  const version: Version = options.version ?? 18;
  const database = options.database ?? 'odoo';
  const login = options.login ?? 'admin';
  const apiKey = options.apiKey ?? 'sandbox-odoo-api-key';
  const password = options.password ?? 'admin';
  const mode = options.seed ?? 'demo';
  const handlers = buildHandlers(version);
  const counters = new RequestCounter();
  const faults = new FaultInjector(options.random);
  if (options.faults) faults.set(options.faults);
  let db = newStore(version, mode, options.demo, options.modules);
  const versionInfo = [version, 0, 0, 'final', 0, ''];

  const state: OdooSandboxState = {
    version,
    get db() { return db; },
    env: (context: Ctx = {}) => ({ db, version, uid: ADMIN_UID, context }),
  };

  /** runs one method call; the same for both protocols */
  function dispatch(protocol: 'jsonrpc' | 'json2', model: string, method: string, ids: number[] | undefined, positional: unknown[], named: Record<string, unknown>, context: Ctx): unknown {
    // a model of an app this database does not have (product.image without website_sale)
    const methods = db.models.has(model) ? handlers[model] : undefined;
    if (!methods) {
      throw protocol === 'json2' ? notFound(`the model '${model}' does not exist`) : new OdooException('odoo.exceptions.UserError', `Object ${model} doesn't exist`, 404);
    }
    if (method.startsWith('_')) throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
    const spec = methods[method];
    if (!spec) {
      const message = `The method '${model}.${method}' does not exist`;
      throw protocol === 'json2' ? notFound(message) : attributeError(message);
    }
    const args = bind(protocol, model, method, spec, positional, named);
    const env = { db, version, uid: ADMIN_UID, context, model, protocol };
    const recordIds = spec.apiModel ? [] : (ids ?? []);
    return spec.run(env, recordIds, args);
  }

  function bind(protocol: 'jsonrpc' | 'json2', model: string, method: string, spec: MethodSpec, positional: unknown[], named: Record<string, unknown>): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    if (positional.length > spec.params.length) {
      throw typeError(`${method}() takes ${spec.params.length + 1} positional arguments but ${positional.length + 1} were given`);
    }
    positional.forEach((value, i) => { args[(spec.params[i] as { name: string }).name] = value; });
    for (const [name, value] of Object.entries(named)) {
      if (spec.params.some((p) => p.name === name)) args[name] = value;
      else if (spec.varkw) throw typeError(`BaseModel._read_format() got an unexpected keyword argument '${name}'`);
      else if (protocol === 'json2') throw unprocessable(`got an unexpected keyword argument '${name}'`);
      else throw typeError(`${model}.${method}() got an unexpected keyword argument '${name}'`);
    }
    for (const param of spec.params) {
      if (param.required && args[param.name] === undefined) {
        if (protocol === 'json2') throw unprocessable(`missing a required argument: '${param.name}'`);
        throw typeError(`${method}() missing 1 required positional argument: '${param.name}'`);
      }
    }
    return args;
  }

  function odooErrorBody(err: unknown): { status: number; body: Record<string, unknown> } {
    const e = err instanceof OdooException ? err : new OdooException(err instanceof TypeError ? 'builtins.TypeError' : 'builtins.Exception', (err as Error)?.message ?? String(err), 500);
    return { status: e.status, body: { name: e.odooName, debug: fakeTraceback(e), message: e.message, arguments: e.args ?? [e.message], context: {} } };
  }

  // ---- JSON-RPC ------------------------------------------------------------------------------

  async function handleJsonRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let payload: { id?: unknown; params?: { service?: string; method?: string; args?: unknown[] } };
    try {
      payload = JSON.parse(await readBody(req));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Invalid JSON data');
      return;
    }
    const id = payload.id ?? null;
    const service = String(payload.params?.service ?? '');
    const method = String(payload.params?.method ?? '');
    const args = Array.isArray(payload.params?.args) ? payload.params.args : [];
    const key = service === 'object' && (method === 'execute_kw' || method === 'execute') ? `${String(args[3])}.${String(args[4])}` : `${service}.${method}`;
    counters.hit(key);
    if (await faults.apply(key, res)) return;
    try {
      const result = jsonRpcService(service, method, args);
      // Odoo leaves "result" out when the method returned None.
      sendJson(res, 200, result === null || result === undefined ? { jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, result });
    } catch (err) {
      const { body } = odooErrorBody(err);
      sendJson(res, 200, { jsonrpc: '2.0', id, error: { code: version === 18 ? 200 : 0, message: 'Odoo Server Error', data: body } });
    }
  }

  function checkDatabase(db: unknown): void {
    if (db !== database) {
      const message = `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${String(db)}" does not exist\n`;
      throw new OdooException('psycopg2.OperationalError', message, 500);
    }
  }

  function credentialsOk(user: unknown, secret: unknown): boolean {
    return user === login && (secret === apiKey || secret === password);
  }

  function jsonRpcService(service: string, method: string, args: unknown[]): unknown {
    if (service === 'common') {
      if (method === 'version') return { server_version: `${version}.0`, server_version_info: versionInfo, server_serie: `${version}.0`, protocol_version: 1 };
      if (method === 'login' || method === 'authenticate') {
        checkDatabase(args[0]);
        return credentialsOk(args[1], args[2]) ? ADMIN_UID : false;
      }
    }
    if (service === 'db') {
      if (method === 'server_version') return `${version}.0`;
      if (method === 'list') throw accessDenied();
    }
    if (service === 'object' && method === 'execute_kw') {
      const [dbName, uid, secret, model, modelMethod, positional, kwargs] = args as [unknown, unknown, unknown, string, string, unknown[] | undefined, Record<string, unknown> | undefined];
      checkDatabase(dbName);
      if (uid !== ADMIN_UID || !(secret === apiKey || secret === password)) throw accessDenied();
      const named = { ...(kwargs ?? {}) };
      const context = (named.context as Ctx | undefined) ?? {};
      delete named.context;
      const rest = Array.isArray(positional) ? [...positional] : [];
      const spec = handlers[model]?.[modelMethod];
      let ids: number[] | undefined;
      if (spec && !spec.apiModel) {
        const first = rest.shift();
        ids = typeof first === 'number' ? [first] : Array.isArray(first) ? (first as number[]) : [];
      }
      return dispatch('jsonrpc', model, modelMethod, ids, rest, named, context);
    }
    throw new OdooException('builtins.NameError', `Method not available ${method}`, 500);
  }

  // ---- JSON-2 ---------------------------------------------------------------------------------

  const htmlNotFound = '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n';

  function sendOdooError(res: ServerResponse, err: unknown, extraHeaders: Record<string, string> = {}): void {
    const { status, body } = odooErrorBody(err);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extraHeaders }).end(text);
  }

  async function handleJson2(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (version < 19) {
      // Odoo 18 has no such route; the website controller sends the client to the login page.
      res.writeHead(303, { location: `/web/login?redirect=${encodeURIComponent(path)}`, 'content-type': 'text/html; charset=utf-8' }).end('<a href="/web/login">Redirecting...</a>');
      return;
    }
    const parts = path.split('/').filter(Boolean).slice(2);
    if (req.method !== 'POST' || parts.length !== 2) {
      await readBody(req).catch(() => '');
      sendOdooError(res, notFound('Did you mean POST /json/2/<model>/<method>?'));
      return;
    }
    const [model, method] = parts.map(decodeURIComponent) as [string, string];
    const key = `${model}.${method}`;
    const raw = await readBody(req);
    counters.hit(key);
    if (await faults.apply(key, res)) return;
    const contentType = String(req.headers['content-type'] ?? '');
    if (raw.length > 0 && !contentType.includes('application/json')) {
      res.writeHead(415, { 'content-type': 'text/html; charset=utf-8' }).end(
        "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with ['http'] but '/json/2/<__model__>/<__method__>' is type='json2'.<br><br>Please verify the Content-Type request header and try again.</p>\n",
      );
      return;
    }
    const dbHeader = req.headers['x-odoo-database'];
    if (dbHeader !== undefined && dbHeader !== database) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(htmlNotFound);
      return;
    }
    const auth = /^bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!auth) {
      sendOdooError(res, new OdooException('werkzeug.exceptions.Unauthorized', 'User not authenticated, use an API Key with a Bearer Authorization header.', 401, ['User not authenticated, use an API Key with a Bearer Authorization header.', 401]), { 'www-authenticate': 'Bearer ' });
      return;
    }
    if (auth[1] !== apiKey) {
      sendOdooError(res, new OdooException('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401, ['Invalid apikey', 401]), { 'www-authenticate': 'Bearer ' });
      return;
    }
    let body: unknown = {};
    if (raw.trim().length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (err) {
        const message = `could not parse the body as json: ${(err as Error).message}`;
        sendOdooError(res, new OdooException('werkzeug.exceptions.BadRequest', message, 400, [message, 400]));
        return;
      }
    }
    // A JSON array body is ignored, as Odoo does: the method then misses its arguments.
    const named: Record<string, unknown> = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
    const context = (named.context as Ctx | undefined) ?? {};
    delete named.context;
    const hasIds = 'ids' in named;
    const ids = Array.isArray(named.ids) ? (named.ids as number[]) : [];
    delete named.ids;
    try {
      const spec = handlers[model]?.[method];
      if (spec?.apiModel && hasIds) throw unprocessable(`cannot call ${model}.${method} with ids`);
      const result = dispatch('json2', model, method, ids, [], named, context);
      sendJson(res, 200, result === undefined ? null : result);
    } catch (err) {
      sendOdooError(res, err);
    }
  }

  // ---- admin ----------------------------------------------------------------------------------

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    const route = url.pathname.slice('/__sandbox/'.length);
    if (route === 'counters' && req.method === 'GET') return sendJson(res, 200, counters.snapshot());
    if (route === 'counters' && req.method === 'DELETE') { counters.reset(); return sendJson(res, 200, {}); }
    if (route === 'faults' && req.method === 'GET') return sendJson(res, 200, faults.list());
    if (route === 'faults' && (req.method === 'PUT' || req.method === 'POST')) {
      const rules = JSON.parse(raw || '[]') as FaultRule[] | FaultRule;
      if (req.method === 'PUT') faults.set(Array.isArray(rules) ? rules : [rules]);
      else for (const rule of Array.isArray(rules) ? rules : [rules]) faults.add(rule);
      return sendJson(res, 200, faults.list());
    }
    if (route === 'faults' && req.method === 'DELETE') { faults.clear(); return sendJson(res, 200, []); }
    if (route === 'reset' && req.method === 'POST') { sandbox.reset(); return sendJson(res, 200, { ok: true }); }
    if (route === 'state' && req.method === 'GET') {
      const model = url.searchParams.get('model');
      if (!model) return sendJson(res, 200, Object.fromEntries([...db.models.keys()].map((m) => [m, db.all(m).length])));
      if (!db.models.has(model)) return sendJson(res, 404, { error: `unknown model ${model}` });
      return sendJson(res, 200, db.all(model));
    }
    if (route === 'info' && req.method === 'GET') return sendJson(res, 200, { version, database, login, protocols: version >= 19 ? ['jsonrpc', 'json2'] : ['jsonrpc'] });
    sendJson(res, 404, { error: `no admin route ${req.method} /__sandbox/${route}` });
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const run = async () => {
      if (url.pathname.startsWith('/__sandbox/')) return handleAdmin(req, res, url);
      if (url.pathname === '/jsonrpc' && req.method === 'POST') return handleJsonRpc(req, res);
      if (url.pathname === '/json/2' || url.pathname.startsWith('/json/2/')) return handleJson2(req, res, url.pathname);
      if ((url.pathname === '/json/version' && version >= 19) || url.pathname === '/web/version') {
        counters.hit('GET /json/version');
        if (await faults.apply('GET /json/version', res)) return;
        return sendJson(res, 200, { version_info: versionInfo, version: `${version}.0` });
      }
      await readBody(req).catch(() => '');
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Not Found</h1>');
    };
    run().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String((err as Error)?.message ?? err) });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  const sandbox: OdooSandbox = {
    url: `http://${host}:${port}`,
    port,
    database,
    login,
    apiKey,
    state,
    counters,
    faults,
    reset() {
      db = newStore(version, mode, options.demo, options.modules);
      counters.reset();
      faults.set(options.faults ?? []);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return sandbox;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoWorld, DemoWorldOptions } from '../demo-world';
import { FaultInjector, readBody, RequestCounter, sendJson, type FaultRule } from '../faults';
import { handleAdmin } from './admin';
import { SANDBOX_CREDENTIALS, SandboxAuthenticator, type IntegrationCredentials } from './auth';
import { MagentoError, NO_ROUTE, NOT_AUTHORIZED } from './magento-error';
import { createOrder, type OrderSpec } from './order-factory';
import { mediaFile } from './routes/media';
import { SANDBOX_ROUTES } from './registry';
import { renderOrder } from './render';
import { matchRoute, routeKey, type RequestContext } from './router';
import { parsePhpQuery } from './search';
import { createSeededState } from './seed';
import type { Json, SandboxState } from './state';

export interface MagentoSandboxOptions {
  /** 0 (default): any free port */
  port?: number;
  host?: string;
  /** demo world seed (default 42) and sizes; the Odoo sandbox must use the same to share SKUs */
  seed?: number;
  world?: Omit<DemoWorldOptions, 'seed'>;
  /** orders placed at start: a count (random realistic orders) or explicit specs */
  orders?: number | OrderSpec[];
  credentials?: IntegrationCredentials;
  /** accept the access token as a plain Bearer token (Magento: enable_integration_as_bearer) */
  allowBearer?: boolean;
  faults?: FaultRule[];
  /** dice for fault rates; deterministic tests pass their own */
  random?: () => number;
  clock?: () => Date;
}

export interface MagentoSandbox {
  /** http://host:port: a MagentoConfig.baseUrl (the REST paths are below /rest/<store>/V1) */
  url: string;
  credentials: IntegrationCredentials;
  readonly state: SandboxState;
  readonly world: DemoWorld;
  counters: RequestCounter;
  faults: FaultInjector;
  /** places an order as checkout would and returns its GET /V1/orders/:id body */
  createOrder(spec?: OrderSpec): Json;
  /** stores a recorded 2.4.7 order body unchanged (POST /__sandbox/orders/verbatim); returns its entity_id */
  addVerbatimOrder(order: Json, documents?: Partial<Record<'invoices' | 'shipments' | 'creditmemos', Json[]>>): number;
  /** back to the freshly seeded world (orders, counters and faults cleared) */
  reset(orders?: number | OrderSpec[]): void;
  close(): Promise<void>;
}

const REST_PATH = /^\/rest\/(?:([^/]+)\/)?(V1\/.*)$/;

export async function startMagentoSandbox(options: MagentoSandboxOptions = {}): Promise<MagentoSandbox> {
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const counters = new RequestCounter();
  const faults = new FaultInjector(options.random);
  if (options.faults) faults.set(options.faults);
  const clock = options.clock ?? (() => new Date());
  const auth = new SandboxAuthenticator(credentials, options.allowBearer ?? false, () => Math.floor(clock().getTime() / 1000));

  let current = seed(options.orders);
  function seed(orders: number | OrderSpec[] | undefined): { state: SandboxState; world: DemoWorld } {
    const seeded = createSeededState({ ...options.world, seed: options.seed ?? 42, clock });
    const specs = typeof orders === 'number' ? Array.from({ length: orders }, () => ({})) : (orders ?? []);
    for (const spec of specs) createOrder(seeded.state, seeded.world, spec);
    return seeded;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `sandbox failure: ${(err as Error).message}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/__sandbox/')) {
      await handleAdmin(req, res, url.pathname, {
        counters,
        faults,
        reset: (orders) => {
          current = seed(orders ?? options.orders);
          counters.reset();
          faults.clear();
        },
        createOrders: (spec, count) => Array.from({ length: count }, () => renderOrder(createOrder(current.state, current.world, spec))),
        renderOrder: (id) => {
          const order = current.state.order(id);
          return order ? renderOrder(order) : (current.state.verbatimOrders.find((o) => o.entity_id === id) ?? undefined);
        },
        addVerbatimOrder: (order, documents) => current.state.addVerbatimOrder(order, documents),
      });
      return;
    }

    // The web server's media folder: what the gallery's `file` names, fetched without credentials.
    if (method === 'GET' && url.pathname.startsWith('/media/catalog/product/')) {
      const bytes = mediaFile(current.state, decodeURIComponent(url.pathname.slice('/media/catalog/product'.length)));
      if (!bytes) return sendJson(res, 404, { message: 'not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    const rest = REST_PATH.exec(url.pathname);
    const storeCode = rest?.[1] ?? 'default';
    // An unknown store code is not a store code to Magento's PathProcessor: the path then matches no route.
    const knownStore = storeCode === 'all' || current.state.storeViewByCode(storeCode) !== undefined;
    const match = rest && knownStore ? matchRoute(SANDBOX_ROUTES, method, `/${rest[2]}`) : { methodMismatch: false };
    if (!('route' in match)) {
      counters.hit(`${method} (no route)`);
      await readBody(req).catch(() => '');
      sendJson(res, 404, { message: NO_ROUTE });
      return;
    }
    const key = routeKey(match.route);
    counters.hit(key);
    if (await faults.apply(key, res)) return;

    if (!auth.authenticate(req)) {
      await readBody(req).catch(() => '');
      sendJson(res, 401, { message: NOT_AUTHORIZED, parameters: { resources: match.route.resource } });
      return;
    }

    try {
      const text = await readBody(req);
      let body: Json = {};
      if (text.trim() !== '') {
        const contentType = req.headers['content-type'];
        if (!contentType) throw new MagentoError(400, 'Content-Type header is empty.');
        if (!/^application\/json\b/i.test(contentType)) throw new MagentoError(400, 'Server cannot understand Content-Type HTTP header media type %1', [contentType.split(';')[0]]);
        try {
          const parsed: unknown = JSON.parse(text);
          body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : {};
        } catch {
          throw new MagentoError(400, 'Decoding error.');
        }
      }
      const ctx: RequestContext = { state: current.state, world: current.world, params: match.params, query: parsePhpQuery(url.searchParams), body, storeCode };
      const result = await match.route.handle(ctx);
      sendJson(res, 200, result === undefined ? [] : result);
    } catch (err) {
      if (err instanceof MagentoError) {
        sendJson(res, err.status, err.body());
        return;
      }
      sendJson(res, 500, { message: 'Internal Error. Details are available in Magento log file. Report ID: webapi-sandbox' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    credentials,
    get state() {
      return current.state;
    },
    get world() {
      return current.world;
    },
    counters,
    faults,
    createOrder: (spec = {}) => renderOrder(createOrder(current.state, current.world, spec)),
    addVerbatimOrder: (order, documents = {}) => current.state.addVerbatimOrder(order, documents),
    reset: (orders) => {
      current = seed(orders ?? options.orders);
      counters.reset();
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Requests held open by a "timeout" fault would keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The bench's real-Odoo part: on one real Odoo 18 (scripts/real-odoo.ts finds and starts it),
// the connector's import + confirm (its import activity, which confirms, called directly: no Temporal) against what
// Odoo itself does for the same order over JSON-RPC (sale.order.create with its line, then
// action_confirm), both in the same run, at 1, 2 and 4 at a time. Null when no Odoo 18 exists.
import { createChannelClients } from '../activities/orders/channel-clients';
import { readCachingAxios, readCachingTransport } from '../integrations/read-scope';
import { MagentoClient } from '../integrations/magento';
import { createOdooTransport, OdooClient, type OdooTransport } from '../integrations/odoo';
import { createOrderActivities } from '../activities/orders';
import { STREAM_FACTORIES } from '../activities/sync/registry';
import { ChannelSchema, ConfigSchema } from '../config/schema';
import { startMagentoSandbox } from '../sandbox/magento';
import { prepareOdoo } from '../scripts/real-odoo';
import { createBindingStore } from '../store/bindings';
import { createScratchDatabase } from '../test/support/database';

export interface RealOdooFigures {
  version: 18;
  ordersPerLevel: number;
  /** per concurrency: orders/s of each path and connector ÷ direct */
  levels: Record<'1' | '2' | '4', { directPerSecond: number; connectorPerSecond: number; connectorOverDirect: number }>;
  connectorOverDirect: Record<'1' | '2' | '4', number>;
  /** where a connector order's time goes, one at a time: per Odoo call, count and ms per order */
  profile: { msPerOrder: number; odooMsPerOrder: number; odoo: Record<string, { calls: number; ms: number }> };
}

/** an Odoo transport that adds up the time of each (model, method) */
function timed(inner: OdooTransport, spent: Map<string, { calls: number; ms: number }>): OdooTransport {
  return {
    get flavour() {
      return inner.flavour;
    },
    version: () => inner.version(),
    uid: () => inner.uid(),
    async call(call) {
      const started = performance.now();
      try {
        return await inner.call(call);
      } finally {
        const key = `${call.model}.${call.method}`;
        const entry = spent.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        spent.set(key, entry);
      }
    },
  };
}

const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate', paymentMethod: 'checkmo' } as const;

export async function benchRealOdoo(ordersPerLevel: number, log: (line: string) => void): Promise<RealOdooFigures | null> {
  const found = await prepareOdoo(18, `bench${process.pid}`, log);
  if (!found) return null;
  // Loaded here, not at the top: the test support installs Temporal's runtime when it loads,
  // which the bench's own connectors must do first (this part runs last, with none left).
  const { OdooSetup, seedRealOdoo } = await import('../test/support/real-odoo');
  const server = await found.start();
  const cleanups: Array<() => Promise<unknown>> = [() => server.stop()];
  try {
    const odooDb = await server.newDatabase('bench');
    const setup = OdooSetup.for(odooDb);
    const world = { simpleProducts: 12, configurableProducts: 0, customers: 2 };
    const [db, magento, seeded] = await Promise.all([createScratchDatabase(), startMagentoSandbox({ world }), seedRealOdoo(setup, world)]);
    cleanups.unshift(() => magento.close(), () => db.drop());
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = magento.credentials;
    const channel = ChannelSchema.parse({
      code: 'benchro',
      magento: { baseUrl: magento.url, storeCode: 'default', timeoutMs: 10_000, auth: { mode: 'oauth1', consumerKey, consumerSecret, accessToken, accessTokenSecret } },
      odoo: { url: odooDb.url, database: odooDb.database, login: odooDb.login, apiKey: odooDb.apiKey, flavour: odooDb.flavour, timeoutMs: 120_000 },
      orders: { followUpDays: 0 },
    });
    const config = ConfigSchema.parse({});
    config.channels.push(channel);
    // As a merchant would: reference data first (the guest's tax, carriers, payment journals).
    magento.createOrder(GUEST);
    const reference = STREAM_FACTORIES.reference!({ config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) });
    for (let cursor: string | null = null, page = 0; page < 50; page++) {
      const r = await reference.syncPage({ channel: 'benchro', stream: 'reference', cursor, since: null, full: false, pageSize: 100 });
      cursor = r.nextCursor;
      if (cursor === null) break;
    }
    // the worker's clients, with the Odoo calls timed
    const spent = new Map<string, { calls: number; ms: number }>();
    const timedClients = { channel, magento: new MagentoClient(channel.magento, { axiosInstance: readCachingAxios(channel.magento) }), odoo: new OdooClient(channel.odoo, readCachingTransport(timed(createOdooTransport(channel.odoo), spent))) };
    const acts = createOrderActivities({ config, pool: db.pool, clientsFor: () => timedClients });
    const skus = seeded.world.products.flatMap((p) => p.variants.map((v) => v.sku));
    const productIds = skus.map((sku) => seeded.productIds.get(sku)).filter((id): id is number => typeof id === 'number');
    const partner = await setup.create('res.partner', { name: 'Direct JSON-RPC customer', email: 'direct@example.com' });

    let n = 0;
    const connectorOrder = async () => {
      const i = n++;
      const placed = magento.createOrder({ ...GUEST, lines: [{ sku: skus[i % skus.length]!, qty: 1 }] }) as { increment_id: string };
      const ref = { channel: 'benchro', incrementId: placed.increment_id };
      const imported = await acts.importOrder(ref);
      if (imported.odooOrderId === undefined) throw new Error(`order ${placed.increment_id} was not imported: ${imported.outcome}`);
      if (!imported.confirmed) throw new Error(`order ${placed.increment_id} was imported but not confirmed`);
    };
    const directOrder = async () => {
      const i = n++;
      const id = await setup.create('sale.order', { partner_id: partner, order_line: [[0, 0, { product_id: productIds[i % productIds.length], product_uom_qty: 1 }]] });
      await setup.call('sale.order', 'action_confirm', { ids: [id] });
    };
    // warm both paths: sessions, the connector's reference caches, Odoo's own caches
    await connectorOrder();
    await directOrder();

    const rate = async (width: number, one: () => Promise<void>): Promise<number> => {
      const started = Date.now();
      let left = ordersPerLevel;
      await Promise.all(Array.from({ length: width }, async () => {
        while (left-- > 0) await one();
      }));
      return ordersPerLevel / ((Date.now() - started) / 1000);
    };
    // the profile: a few orders one at a time
    spent.clear();
    const profiled = 6;
    const profileStarted = performance.now();
    for (let i = 0; i < profiled; i++) await connectorOrder();
    const msPerOrder = (performance.now() - profileStarted) / profiled;
    const odoo = Object.fromEntries([...spent].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, { calls: Math.round((v.calls / profiled) * 10) / 10, ms: Math.round(v.ms / profiled) }]));
    const odooMsPerOrder = Math.round([...spent.values()].reduce((sum, v) => sum + v.ms, 0) / profiled);
    log(`real Odoo 18 profile, one at a time: ${Math.round(msPerOrder)} ms per order, ${odooMsPerOrder} ms of it in Odoo calls: ${Object.entries(odoo).map(([k, v]) => `${k} ${v.calls}× ${v.ms} ms`).join(', ')}`);
    const levels = {} as RealOdooFigures['levels'];
    for (const width of [1, 2, 4] as const) {
      const directPerSecond = await rate(width, directOrder);
      const connectorPerSecond = await rate(width, connectorOrder);
      levels[String(width) as '1' | '2' | '4'] = {
        directPerSecond: Math.round(directPerSecond * 100) / 100,
        connectorPerSecond: Math.round(connectorPerSecond * 100) / 100,
        connectorOverDirect: Math.round((connectorPerSecond / directPerSecond) * 100) / 100,
      };
      log(`real Odoo 18, ${width} at a time: direct ${directPerSecond.toFixed(2)}/s, connector ${connectorPerSecond.toFixed(2)}/s`);
    }
    return {
      version: 18, ordersPerLevel, levels, profile: { msPerOrder: Math.round(msPerOrder), odooMsPerOrder, odoo },
      connectorOverDirect: { 1: levels['1'].connectorOverDirect, 2: levels['2'].connectorOverDirect, 4: levels['4'].connectorOverDirect },
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

// The bench's real-Odoo part: on one real Odoo 18 (scripts/real-odoo.ts finds and starts it),
// the connector's import + confirm (its import activity, which confirms, called directly: no Temporal) against two
// direct JSON-RPC paths in the same run, at 1, 2 and 4 at a time: what Odoo itself does for an
// order of a known customer (sale.order.create with its line, then action_confirm), and a script
// that makes the same records as the connector (sameRecordsAs). Null when no Odoo 18 exists.
import { createChannelClients } from '../integrations/channel-clients';
import { readCachingAxios, readCachingTransport } from '../integrations/read-scope';
import { MagentoClient } from '../integrations/magento';
import { createOdooTransport, NO_SUBSCRIBE_CONTEXT, OdooClient, type OdooTransport } from '../integrations/odoo';
import { createOrderActivities } from '../activities/orders';
import { STREAM_FACTORIES } from '../activities/sync/registry';
import { ChannelSchema, ConfigSchema } from '../config/schema';
import { startMagentoSandbox } from '../sandbox/magento';
import { prepareOdoo } from '../scripts/real-odoo';
import { createBindingStore } from '../store/bindings';
import { createScratchDatabase } from '../test/support/database';
import type { OdooSetup } from '../test/support/real-odoo';

export interface RealOdooFigures {
  version: 18;
  ordersPerLevel: number;
  /** per concurrency: orders/s of each path and connector ÷ direct */
  levels: Record<'1' | '2' | '4', { directPerSecond: number; sameRecordsPerSecond: number; connectorPerSecond: number; connectorOverDirect: number; connectorOverSameRecords: number }>;
  connectorOverDirect: Record<'1' | '2' | '4', number>;
  /** against direct JSON-RPC that makes the same records as the connector (see sameRecordsOrder) */
  connectorOverSameRecords: Record<'1' | '2' | '4', number>;
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
      return imported.odooOrderId;
    };
    const directOrder = async () => {
      const i = n++;
      const id = await setup.create('sale.order', { partner_id: partner, order_line: [[0, 0, { product_id: productIds[i % productIds.length], product_uom_qty: 1 }]] });
      await setup.call('sale.order', 'action_confirm', { ids: [id] });
    };
    // warm both paths: sessions, the connector's reference caches, Odoo's own caches
    const sample = await connectorOrder();
    await directOrder();
    const sameRecordsOrder = await sameRecordsAs(setup, sample, productIds);
    await sameRecordsOrder();

    /** seconds for `count` orders of one path, `width` at a time */
    const secondsFor = async (width: number, count: number, one: () => Promise<unknown>): Promise<number> => {
      const started = Date.now();
      let left = count;
      await Promise.all(Array.from({ length: width }, async () => {
        while (left-- > 0) await one();
      }));
      return (Date.now() - started) / 1000;
    };
    // The three paths take turns in rounds, so a slow minute of this shared machine (other
    // processes, a neighbour's steal time) falls on all three rather than on one.
    const rounds = 3;
    const rates = async (width: number, paths: Array<() => Promise<unknown>>): Promise<number[]> => {
      const seconds = paths.map(() => 0);
      const perRound = Math.max(1, Math.round(ordersPerLevel / rounds));
      for (let round = 0; round < rounds; round++) {
        for (const [i, path] of paths.entries()) seconds[i]! += await secondsFor(width, perRound, path);
      }
      return seconds.map((s) => (perRound * rounds) / s);
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
      const [directPerSecond, sameRecordsPerSecond, connectorPerSecond] = (await rates(width, [directOrder, sameRecordsOrder, connectorOrder])) as [number, number, number];
      const r2 = (n: number) => Math.round(n * 100) / 100;
      levels[String(width) as '1' | '2' | '4'] = {
        directPerSecond: r2(directPerSecond),
        sameRecordsPerSecond: r2(sameRecordsPerSecond),
        connectorPerSecond: r2(connectorPerSecond),
        connectorOverDirect: r2(connectorPerSecond / directPerSecond),
        connectorOverSameRecords: r2(connectorPerSecond / sameRecordsPerSecond),
      };
      log(`real Odoo 18, ${width} at a time: direct ${directPerSecond.toFixed(2)}/s, same records ${sameRecordsPerSecond.toFixed(2)}/s, connector ${connectorPerSecond.toFixed(2)}/s`);
    }
    const each = (key: 'connectorOverDirect' | 'connectorOverSameRecords') => ({ 1: levels['1'][key], 2: levels['2'][key], 4: levels['4'][key] });
    return {
      version: 18, ordersPerLevel, levels, profile: { msPerOrder: Math.round(msPerOrder), odooMsPerOrder, odoo },
      connectorOverDirect: each('connectorOverDirect'),
      connectorOverSameRecords: each('connectorOverSameRecords'),
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/**
 * Direct JSON-RPC that makes what the connector made for `saleOrderId`: a new customer with its
 * invoice and delivery contacts (one web_save that answers their ids), the sale order with the
 * same lines, taxes, carrier and delivery line, then the confirm, in the connector's context (its
 * API user follows none of them). Three calls, no lookups: what a script that already knew every
 * id would send. The connector also finds out whether the order and the customer exist.
 */
async function sameRecordsAs(setup: OdooSetup, saleOrderId: number, productIds: number[]): Promise<() => Promise<void>> {
  const [order] = (await setup.call('sale.order', 'read', { ids: [saleOrderId], kwargs: { fields: ['partner_id', 'carrier_id', 'order_line', 'origin'] } })) as Array<Record<string, unknown>>;
  const partnerId = (order!.partner_id as [number, string])[0];
  const addressFields = ['name', 'street', 'street2', 'city', 'zip', 'country_id', 'state_id', 'phone', 'email'];
  const [partner] = (await setup.call('res.partner', 'read', { ids: [partnerId], kwargs: { fields: [...addressFields, 'child_ids'] } })) as Array<Record<string, unknown>>;
  const children = (await setup.call('res.partner', 'read', { ids: partner!.child_ids as number[], kwargs: { fields: [...addressFields, 'type'] } })) as Array<Record<string, unknown>>;
  const lines = (await setup.call('sale.order.line', 'read', {
    ids: order!.order_line as number[],
    kwargs: { fields: ['product_id', 'name', 'product_uom_qty', 'price_unit', 'discount', 'tax_id', 'is_delivery', 'sequence'] },
  })) as Array<Record<string, unknown>>;
  const plain = (row: Record<string, unknown>, fields: string[]) =>
    Object.fromEntries(fields.map((f) => [f, Array.isArray(row[f]) && typeof (row[f] as unknown[])[1] === 'string' ? (row[f] as unknown[])[0] : row[f]]));
  const partnerVals = { ...plain(partner!, addressFields), customer_rank: 1, type: 'contact', child_ids: children.map((c) => [0, 0, plain(c, [...addressFields, 'type'])]) };
  const lineVals = (i: number) =>
    lines.map((l) => {
      const vals = { ...plain(l, ['product_uom_qty', 'price_unit', 'discount', 'is_delivery', 'sequence']), tax_id: [[6, 0, l.tax_id]] };
      // each order another product, as on the other two paths: orders of one product confirmed at
      // once reserve the same quants and retry on Odoo's serialization failures
      return [0, 0, l.is_delivery ? { ...vals, ...plain(l, ['product_id', 'name']) } : { ...vals, product_id: productIds[i % productIds.length] }];
    });
  let n = 0;
  const context = NO_SUBSCRIBE_CONTEXT; // the connector's, so both paths make the same followers
  return async () => {
    const [saved] = (await setup.call('res.partner', 'web_save', { ids: [], kwargs: { vals: partnerVals, specification: { child_ids: { fields: { type: {} } } } }, context })) as Array<{ id: number; child_ids: Array<{ id: number; type: string }> }>;
    const contact = (type: string) => saved!.child_ids.find((c) => c.type === type)?.id ?? saved!.id;
    const id = await setup.create('sale.order', {
      partner_id: saved!.id, partner_invoice_id: contact('invoice'), partner_shipping_id: contact('delivery'),
      client_order_ref: `DIRECT-${++n}`, origin: order!.origin, carrier_id: (order!.carrier_id as [number, string])[0], order_line: lineVals(n),
    }, context);
    await setup.call('sale.order', 'action_confirm', { ids: [id], context });
  };
}

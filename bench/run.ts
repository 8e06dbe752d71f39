// One benchmark command for the figures the README quotes: order lifecycles against the sandboxes
// (the real worker on a Temporal dev server started here, the same workflow with no-op activities
// in the same run, and the same activity calls with no Temporal), stock at 100k SKUs with 1%
// changed, and a catalog run with nothing changed. Prints a table and writes
// bench/results/latest.json. Never passes or fails on a time; it is not part of `npm test`.
//   npm run bench -- [--orders 200] [--concurrency 20] [--latency-ms 0] [--skus 100000]
//                    [--changed 1] [--catalog 10000] [--real-odoo-orders 24]
//                    [--only orders,stock,catalog,realOdoo]
// realOdoo: the connector's import + confirm against direct JSON-RPC on one real Odoo 18 found
// by scripts/real-odoo.ts (absent from the results when there is none).
// The order figures run the sandboxes in a child process (as Magento and Odoo are servers of their
// own), still on this machine's cores; the stock and catalog figures run them in this process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createOrderActivities } from '../activities/orders';
import type { ImportResult, OdooOrderRef, OrderRef } from '../activities/orders/contracts';
import { triggerOrder } from '../activities/triggers/order-trigger';
import { OdooClient } from '../integrations/odoo';
import { withLatency } from '../sandbox/demo-stack';
import { startConnectorFor, startLocalConnector, type Connector, type LocalConnector } from '../scripts/local-connector';
import { startSandboxProcess } from './sandbox-process';
import { workflowBundle } from '../workers/create-workers';
import { benchRealOdoo, type RealOdooFigures } from './real-odoo';
import { bulkSync } from '../workflows/bulkSync';
import { orderWorkflowId, statusQuery } from '../workflows/order-messages';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '20' },
    'latency-ms': { type: 'string', default: '0' },
    skus: { type: 'string', default: '100000' },
    changed: { type: 'string', default: '1' },
    catalog: { type: 'string', default: '10000' },
    only: { type: 'string', default: 'orders,stock,catalog,realOdoo' },
    'real-odoo-orders': { type: 'string', default: '24' },
    // where the JSON goes (a test writes elsewhere); how long a catalog waits for its second to settle
    out: { type: 'string', default: '' },
    'settle-ms': { type: 'string', default: '11000' },
  },
});
const ORDERS = Number(args.orders);
const CONCURRENCY = Number(args.concurrency);
const LATENCY_MS = Number(args['latency-ms']);
const SKUS = Number(args.skus);
const CHANGED_PERCENT = Number(args.changed);
const CATALOG = Number(args.catalog);
const ONLY = new Set(String(args.only).split(','));

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const log = (line: string) => console.error(`[bench] ${line}`);

/** runs `task` over `items` with at most `lanes` at a time */
async function lanes<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await task(items[next++] as T);
  }));
}

interface OrdersFigures {
  orders: number; concurrency: number; latencyMs: number;
  lifecyclesPerSecond: number; seconds: number; p95Seconds: number;
  bareSeconds: number; bareTemporalRatio: number; floorSeconds: number; floorRatio: number;
  calls: { magento: number; odoo: number; activities: number; repeated: { magento: Record<string, number>; odoo: Record<string, number> } };
}

async function benchOrders(): Promise<OrdersFigures> {
  // The sandboxes in a process of their own (bench/sandbox-process.ts), the connector in this one.
  const sandboxes = await startSandboxProcess({
    stack: { code: 'bench', magento: { world: { simpleProducts: 50 } }, odoo: { demo: { simpleProducts: 50 } }, channel: { orders: { followUpDays: 0 } } },
    shipOnConfirm: true,
    latencyMs: LATENCY_MS,
  });
  const conn = await startConnectorFor(sandboxes.channel, { worker: { maxConcurrentActivities: CONCURRENCY } }).catch(async (err: unknown) => {
    await sandboxes.stop();
    throw err;
  });
  const { config, client } = conn;
  try {
    const skus = sandboxes.skus;
    const place = (i: number) => sandboxes.createOrder({ paymentMethod: 'braintree', lines: [{ sku: skus[(i * 7) % skus.length]!, qty: 1 + (i % 3) }], shippingMethod: 'flatrate_flatrate' });
    const placeMany = async (count: number, from: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await place(from + i));
      return ids;
    };
    // one order first, outside the figures: the Odoo session, the worker's caches, the bundle
    const warm = await place(0);
    await triggerOrder(client, config.temporal.taskQueues.orders, { channel: 'bench', incrementId: warm });
    await client.workflow.getHandle(orderWorkflowId('bench', warm)).result();

    // 1. the connector: N lifecycles on the real worker
    const placed = await placeMany(ORDERS, 1);
    await sandboxes.resetCounters();
    log(`orders: ${ORDERS} lifecycles on the real worker…`);
    const real = await timeLifecycles(conn, config.temporal.taskQueues.orders, 'bench', placed);
    const counted = await sandboxes.counters();
    const sum = (snapshot: Record<string, number>) => Object.values(snapshot).reduce((a, b) => a + b, 0);
    const calls = { magento: sum(counted.magento) / ORDERS, odoo: sum(counted.odoo) / ORDERS };
    // the most repeated calls per lifecycle: where a read cache or a batched read would pay
    const top = (snapshot: Record<string, number>) => Object.fromEntries(Object.entries(snapshot).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, round(v / ORDERS, 1)]));
    const repeated = { magento: top(counted.magento), odoo: top(counted.odoo) };
    const activities = await activitiesPerLifecycle(conn, placed);
    for (const id of placed) {
      const status = await client.workflow.getHandle(orderWorkflowId('bench', id)).query(statusQuery);
      if (status.phase !== 'complete') throw new Error(`order ${id} ended ${status.phase}: ${status.attention?.reason ?? ''}`);
    }

    // 2. the same workflow, same run, with no-op activities
    log('orders: the same workflow with no-op activities…');
    const bare = await bareLifecycles(conn);

    // 3. the same activity calls in the same order with no Temporal, as many at a time
    log('orders: the same activity calls without Temporal…');
    const floorOrders = await placeMany(ORDERS, ORDERS + 1);
    const acts = createOrderActivities({ config, pool: conn.pool });
    const floorStarted = Date.now();
    await lanes(floorOrders, CONCURRENCY, async (incrementId) => {
      const ref: OrderRef = { channel: 'bench', incrementId };
      const imported = await acts.importOrder(ref);
      if (imported.outcome !== 'imported' || imported.odooOrderId === undefined) throw new Error(`floor: order ${incrementId} was not imported`);
      const odooRef: OdooOrderRef = { ...ref, magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId };
      if (imported.autoConfirm && !imported.confirmed) await acts.confirmOrder(odooRef);
      const round = await acts.fulfilOrder(odooRef);
      if (!round.shipments.fullyShipped || !round.invoices?.settled) throw new Error(`floor: order ${incrementId} did not complete in one round`);
    });
    const floorSeconds = (Date.now() - floorStarted) / 1000;

    return {
      orders: ORDERS, concurrency: CONCURRENCY, latencyMs: LATENCY_MS,
      lifecyclesPerSecond: round(ORDERS / real.seconds), seconds: round(real.seconds), p95Seconds: round(real.p95),
      bareSeconds: round(bare), bareTemporalRatio: round(real.seconds / bare), floorSeconds: round(floorSeconds), floorRatio: round(real.seconds / floorSeconds),
      calls: { magento: round(calls.magento, 1), odoo: round(calls.odoo, 1), activities: round(activities, 1), repeated },
    };
  } finally {
    await conn.stop();
    await sandboxes.stop();
  }
}

/** triggers every order at once (as a poll page does) and waits for each to complete */
async function timeLifecycles(conn: Connector, taskQueue: string, channel: string, ids: string[]): Promise<{ seconds: number; p95: number }> {
  const started = Date.now();
  // An order that parks or waits would hold the run forever: after 10 minutes it fails, naming why.
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    const report = async () => {
      const open = [];
      for (const id of ids.slice(0, 200)) {
        const status = await conn.client.workflow.getHandle(orderWorkflowId(channel, id)).query(statusQuery);
        if (status.phase !== 'complete') open.push(`${id}: ${status.phase} ${status.attention?.reason ?? ''}`);
      }
      return new Error(`lifecycles not finished after 10 minutes: ${open.slice(0, 5).join('; ')}`);
    };
    timer = setTimeout(() => void report().then(reject, reject), 600_000);
  });
  const latencies = await Promise.race([stuck, Promise.all(ids.map(async (incrementId) => {
    const t0 = Date.now();
    await triggerOrder(conn.client, taskQueue, { channel, incrementId });
    await conn.client.workflow.getHandle(orderWorkflowId(channel, incrementId)).result();
    return (Date.now() - t0) / 1000;
  }))]).finally(() => clearTimeout(timer));
  latencies.sort((a, b) => a - b);
  return { seconds: (Date.now() - started) / 1000, p95: quantile(latencies, 0.95) };
}

/** activities per lifecycle, from the histories of the first few orders */
async function activitiesPerLifecycle(conn: Connector, ids: string[]): Promise<number> {
  const sample = ids.slice(0, 10);
  let total = 0;
  for (const id of sample) {
    const history = await conn.client.workflow.getHandle(orderWorkflowId('bench', id)).fetchHistory();
    total += (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  }
  return total / sample.length;
}

/** the order workflow on its own task queue with activities that answer at once */
async function bareLifecycles(conn: Connector): Promise<number> {
  const taskQueue = `bench-bare-${process.pid}`;
  const connection = await NativeConnection.connect({ address: conn.temporalAddress });
  const imported = (ref: OrderRef): ImportResult => ({
    outcome: 'imported', magentoOrderId: Number(ref.incrementId), magentoStatus: 'processing', paymentKind: 'online', autoConfirm: true,
    odooOrderId: Number(ref.incrementId), odooOrderName: `S${ref.incrementId}`, followUpDays: 0, confirmed: true,
  });
  const worker = await Worker.create({
    connection, taskQueue, workflowBundle: await workflowBundle(), maxConcurrentActivityTaskExecutions: CONCURRENCY,
    activities: {
      importOrder: async (ref: OrderRef) => imported(ref),
      confirmOrder: async (ref: OrderRef) => ({ outcome: 'confirmed', odooOrderName: `S${ref.incrementId}` }),
      syncShipments: async () => ({ created: [1], fullyShipped: true, anyShipped: true }),
      syncInvoices: async () => ({ actions: ['invoice pushed'], settled: true }),
      syncCreditMemos: async () => ({ actions: [], fullyRefunded: false }),
      syncOrderStatus: async () => ({ actions: [] }),
      syncAddresses: async () => ({ actions: [] }),
      orderFingerprint: async () => 'unchanged',
      fulfilOrder: async () => ({
        fingerprint: 'unchanged', shipments: { created: [1], fullyShipped: true, anyShipped: true }, invoices: { actions: ['invoice pushed'], settled: true },
        creditMemos: { actions: [], fullyRefunded: false }, status: { actions: [] },
      }),
      cancelOrder: async () => { throw new Error('no cancel in the benchmark'); },
    },
  });
  const running = worker.run();
  try {
    const warm = `${900_000_000}`;
    await timeLifecycles(conn, taskQueue, 'bare', [warm]);
    const ids = Array.from({ length: ORDERS }, (_, i) => String(900_000_001 + i));
    return (await timeLifecycles(conn, taskQueue, 'bare', ids)).seconds;
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

interface SyncFigures { seconds: number; read: number; written: number; magentoWriteRequests: number; odooCalls: number }

async function runSync(conn: LocalConnector, stream: 'stock' | 'catalog', label: string): Promise<SyncFigures> {
  const { stack, config, client } = conn;
  stack.magento.counters.reset();
  stack.odoo.counters.reset();
  const started = Date.now();
  const result = await client.workflow.execute(bulkSync, {
    taskQueue: config.temporal.taskQueues.bulk, workflowId: `bench-${stream}-${label}-${Date.now()}`, args: [{ channel: 'bench', stream }],
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.failed.count > 0) log(`${stream} ${label}: ${result.failed.count} failed, e.g. ${JSON.stringify(result.failed.last[0])}`);
  const figures = {
    seconds: round(seconds), read: result.done, written: result.written,
    magentoWriteRequests: stack.magento.counters.sum('POST ') + stack.magento.counters.sum('PUT '), odooCalls: stack.odoo.counters.sum(''),
  };
  log(`${stream} ${label}: ${JSON.stringify(figures)}`);
  return figures;
}

async function benchStock(): Promise<Record<string, unknown>> {
  const seeded = Date.now();
  const world = { simpleProducts: SKUS, configurableProducts: 0 };
  const conn = await startLocalConnector({ code: 'bench', magento: { world }, odoo: { demo: world } });
  try {
    log(`stock: sandboxes seeded with ${SKUS} SKUs in ${round((Date.now() - seeded) / 1000, 1)} s`);
    withLatency(conn.stack, LATENCY_MS);
    const first = await runSync(conn, 'stock', 'first push');
    const same = await runSync(conn, 'stock', 'nothing changed');
    const odoo = new OdooClient(conn.stack.channel.odoo);
    const changed = Math.max(1, Math.round((SKUS * CHANGED_PERCENT) / 100));
    // spread over the catalog, as real sales are: every 1/percent-th product
    const ids = await odoo.search('product.product', [['default_code', '!=', false], ['is_storable', '=', true]], { order: 'id asc' });
    const step = Math.max(1, Math.floor(ids.length / changed));
    const picked = ids.filter((_, i) => i % step === 0).slice(0, changed);
    await lanes(picked, 8, async (id) => { await odoo.setOnHandQuantity(id, 8, 1000 + (id % 500)); });
    const measured = await runSync(conn, 'stock', `${changed} changed`);
    return {
      skus: SKUS, changed: picked.length, seconds: measured.seconds, writes: measured.written,
      magentoWriteRequests: measured.magentoWriteRequests, odooCalls: measured.odooCalls, noChangeSeconds: same.seconds, firstPushSeconds: first.seconds,
    };
  } finally {
    await conn.stop();
  }
}

async function benchCatalog(): Promise<Record<string, unknown>> {
  const world = { simpleProducts: CATALOG, configurableProducts: 0 };
  const conn = await startLocalConnector({ code: 'bench', magento: { world }, odoo: { demo: world } });
  try {
    withLatency(conn.stack, LATENCY_MS);
    const first = await runSync(conn, 'catalog', 'first sync');
    // The world was seeded seconds ago: a watermark keeps its id only once its second is settled
    // (10 s), as it is for any catalog not edited in the last seconds.
    await new Promise((r) => setTimeout(r, Number(args['settle-ms'])));
    const settle = await runSync(conn, 'catalog', 'settling run');
    const none = await runSync(conn, 'catalog', 'nothing changed');
    return { products: CATALOG, seconds: none.seconds, writes: none.written, read: none.read, odooCalls: none.odooCalls, firstSyncSeconds: first.seconds, settlingRunRead: settle.read };
  } finally {
    await conn.stop();
  }
}

async function main(): Promise<void> {
  const startLoad = loadavg().map((n) => round(n));
  const result: Record<string, unknown> = { at: new Date().toISOString(), machine: { cores: cpus().length, loadAverageStart: startLoad, loadAverageEnd: [] as number[] } };
  if (ONLY.has('orders')) result.orders = await benchOrders();
  if (ONLY.has('stock')) result.stock = await benchStock();
  if (ONLY.has('catalog')) result.catalogNoChange = await benchCatalog();
  if (ONLY.has('realOdoo')) {
    log('real Odoo 18: connector import + confirm against direct JSON-RPC…');
    const real = await benchRealOdoo(Number(args['real-odoo-orders']), log);
    if (real) result.realOdoo = real;
    else log('real Odoo 18: no source found (see scripts/real-odoo.ts); realOdoo left out');
  }
  (result.machine as { loadAverageEnd: number[] }).loadAverageEnd = loadavg().map((n) => round(n));

  const rows: Array<[string, string, string]> = [];
  const o = result.orders as OrdersFigures | undefined;
  if (o) {
    rows.push(
      ['orders.lifecyclesPerSecond', String(o.lifecyclesPerSecond), '≥ 10'],
      ['orders.bareTemporalRatio', String(o.bareTemporalRatio), '≤ 1.5'],
      ['orders.floorRatio', String(o.floorRatio), '≤ 1.2'],
      ['orders.calls.magento', String(o.calls.magento), '≤ 8'],
      ['orders.calls.odoo', String(o.calls.odoo), '≤ 30'],
      ['orders.calls.activities', String(o.calls.activities), ''],
      ['orders.p95Seconds', String(o.p95Seconds), ''],
    );
  }
  const s = result.stock as Record<string, number> | undefined;
  if (s) rows.push([`stock (${s.skus} SKUs, ${s.changed} changed) seconds`, String(s.seconds), '< 10'], ['stock.writes', String(s.writes), String(s.changed)]);
  const c = result.catalogNoChange as Record<string, number> | undefined;
  if (c) rows.push([`catalogNoChange (${c.products}) seconds`, String(c.seconds), '< 5'], ['catalogNoChange.writes', String(c.writes), '0']);
  const r = result.realOdoo as RealOdooFigures | undefined;
  if (r) {
    for (const k of ['1', '2', '4'] as const) {
      const level = r.levels[k];
      rows.push([`realOdoo.connectorOverDirect[${k}]`, `${r.connectorOverDirect[k]} (${level.connectorPerSecond} vs ${level.directPerSecond} /s)`, '≥ 0.9']);
      rows.push([`realOdoo.connectorOverSameRecords[${k}]`, `${r.connectorOverSameRecords[k]} (vs ${level.sameRecordsPerSecond} /s)`, '']);
    }
  }
  const m = result.machine as { cores: number; loadAverageStart: number[]; loadAverageEnd: number[] };
  rows.push(['machine', `${m.cores} cores, load ${m.loadAverageStart.join('/')} → ${m.loadAverageEnd.join('/')}`, '']);
  console.log(['FIGURE'.padEnd(44), 'MEASURED'.padEnd(34), 'TARGET'].join(' '));
  for (const [k, v, t] of rows) console.log([k.padEnd(44), v.padEnd(34), t].join(' '));

  const out = args.out || join(__dirname, 'results', 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${args.out || 'bench/results/latest.json'}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

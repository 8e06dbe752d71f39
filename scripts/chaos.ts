import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { revealSecrets } from '../config/secret';
import type { FaultRule } from '../sandbox/faults';
import { MagentoClient, SearchCriteria } from '../integrations/magento';
import { OdooClient } from '../integrations/odoo';
import { startDemoStack, type DemoStack } from '../sandbox/demo-stack';
import { createScratchDatabase } from '../test/support/database';
import { odooProgressSignal, orderWorkflowId, statusQuery } from '../workflows/order-messages';
import { chaosLine, tally, type OrderSighting } from './chaos-tally';
import { freePort } from './free-port';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDev, type TemporalDev } from './temporal-dev';

/**
 * `npm run chaos -- --orders 200 --kills 4 --faults 0.3 --temporal-restart`
 *
 * The whole order lifecycle against both sandboxes under hostile conditions: the worker runs as
 * its own process and is SIGKILLed by PID, the Temporal dev server is SIGKILLed and started again
 * on its state file, and both sandboxes answer a share of all requests with 503s, 429s, HTML 200
 * pages, dropped connections and no answer at all. The shop places online orders, the poller
 * (a Temporal Schedule) picks them up, and a warehouse validates each Odoo delivery and signals
 * the order. Then the faults stop, and the run waits until every order is complete on both sides.
 * The verdict is counted from both systems' APIs (scripts/chaos-tally.ts) and printed as one line:
 *   chaos: orders=N complete=N lost=N duplicated=N stuck=N seconds=S
 * plus the time to drain after the faults stopped. Exit code 0 only when lost, duplicated and
 * stuck are all 0.
 */

const ROOT = resolve(__dirname, '..');
const CHANNEL = 'chaos';

interface Options { orders: number; kills: number; faults: number; temporalRestart: boolean; faultSeconds: number; drainSeconds: number; quiet: boolean }

function parseArgs(argv: string[]): Options {
  const options: Options = { orders: 20, kills: 1, faults: 0.3, temporalRestart: false, faultSeconds: 0, drainSeconds: 600, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${arg} needs a non-negative number`);
      return v;
    };
    if (arg === '--orders') options.orders = Math.max(1, Math.floor(value()));
    else if (arg === '--kills') options.kills = Math.floor(value());
    else if (arg === '--faults') options.faults = Math.min(0.9, value());
    else if (arg === '--temporal-restart') options.temporalRestart = true;
    else if (arg === '--fault-seconds') options.faultSeconds = value();
    else if (arg === '--drain-seconds') options.drainSeconds = value();
    else if (arg === '--quiet') options.quiet = true;
    else throw new Error(`unknown argument ${arg} (known: --orders N --kills N --faults RATE --temporal-restart --fault-seconds S --drain-seconds S --quiet)`);
  }
  // Long enough for the orders to be placed, imported and shipped while the faults hold.
  if (!options.faultSeconds) options.faultSeconds = Math.max(30, Math.min(120, options.orders * 0.4));
  return options;
}

/**
 * One set of rules whose combined rate is `rate`: each of the five kinds fires with the same
 * share (a timeout costs the client's whole timeout, so it gets a fifth of a share).
 */
export function chaosFaults(rate: number): FaultRule[] {
  if (rate <= 0) return [];
  const weights: Array<[FaultRule['fault'], number]> = [['error503', 1], ['rate_limit', 1], ['drop', 1], ['html200', 1], ['timeout', 0.2]];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  // Rules are tried in order; rule i fires with p_i of what reaches it, so the shares stay equal.
  let left = rate;
  const rules: FaultRule[] = [];
  for (const [fault, weight] of weights) {
    const share = (rate * weight) / total;
    rules.push({ route: '*', fault, rate: share / (1 - (rate - left)), ...(fault === 'rate_limit' ? { retryAfterSeconds: 1 } : {}) });
    left -= share;
  }
  return rules;
}

/** The worker as its own process, restarted whenever it dies (killed or crashed). */
function workerSupervisor(configFile: string, databaseUrl: string, log: (line: string) => void) {
  let child: ChildProcess | undefined;
  let stopping = false;
  let starts = 0;
  const start = () => {
    starts += 1;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, M2O_CONFIG: configFile, DATABASE_URL: databaseUrl },
    });
    let err = '';
    proc.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      if (signal !== 'SIGKILL') log(`worker exited (${code ?? signal}); restarting${err ? `: ${err.trim().split('\n').at(-1)}` : ''}`);
      setTimeout(() => !stopping && start(), 300);
    });
    child = proc;
  };
  return {
    start,
    kill() {
      const pid = child?.pid;
      if (pid) process.kill(pid, 'SIGKILL');
      return pid;
    },
    get starts() {
      return starts;
    },
    async stop() {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** What both systems say about the orders placed, read over their APIs. */
async function sightings(magento: MagentoClient, odoo: OdooClient, placed: Map<string, number>): Promise<OrderSighting[]> {
  const ids = [...placed.keys()];
  const entityIds = [...placed.values()];
  const status = new Map<string, string>();
  for await (const page of magento.orders.pagesEach(SearchCriteria.empty().where('increment_id', 'in', ids), 100)) {
    for (const e of page.items) if (e.summary) status.set(e.summary.increment_id, e.summary.status ?? '');
  }
  const perOrder = async (pages: AsyncGenerator<{ items: Array<{ order_id: number }> }>) => {
    const counts = new Map<number, number>();
    for await (const page of pages) for (const d of page.items) counts.set(d.order_id, (counts.get(d.order_id) ?? 0) + 1);
    return counts;
  };
  const shipments = await perOrder(magento.shipments.pages(SearchCriteria.empty().where('order_id', 'in', entityIds), 100));
  const invoices = await perOrder(magento.invoices.pages(SearchCriteria.empty().where('order_id', 'in', entityIds), 100));
  const saleOrders = await odoo.searchRead('sale.order', [['client_order_ref', 'in', ids]], { fields: ['client_order_ref', 'state', 'amount_total', 'picking_ids', 'invoice_ids'] });
  const pickingIds = saleOrders.flatMap((s) => s.picking_ids as number[]);
  const moveIds = saleOrders.flatMap((s) => s.invoice_ids as number[]);
  const pickings = new Map((pickingIds.length ? await odoo.read('stock.picking', pickingIds, ['state']) : []).map((p) => [p.id, String(p.state)]));
  const moves = new Map((moveIds.length ? await odoo.readMoves(moveIds) : []).map((m) => [m.id, m]));
  return ids.map((incrementId) => ({
    incrementId,
    magentoStatus: status.get(incrementId) ?? null,
    magentoShipments: shipments.get(placed.get(incrementId)!) ?? 0,
    magentoInvoices: invoices.get(placed.get(incrementId)!) ?? 0,
    odooOrders: saleOrders.filter((s) => s.client_order_ref === incrementId).map((s) => ({
      state: String(s.state),
      amountTotal: Number(s.amount_total),
      pickingsOpen: (s.picking_ids as number[]).filter((id) => !['done', 'cancel'].includes(pickings.get(id) ?? '')).length,
      invoices: (s.invoice_ids as number[]).map((id) => moves.get(id)).filter((m) => m?.move_type === 'out_invoice').map((m) => ({ state: m!.state, paymentState: String(m!.payment_state), amountTotal: m!.amount_total })),
    })),
  }));
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const log = (line: string): void => void (!options.quiet && console.error(`[chaos ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`));
  const dir = mkdtempSync(join(tmpdir(), 'm2o-chaos-'));
  const cli = await findTemporalCli();
  const port = await freePort();
  const dbFile = join(dir, 'temporal.db');
  let temporal: TemporalDev = await startTemporalDev({ cli, port, uiPort: null, dbFile });
  const db = await createScratchDatabase();
  // The channel's settings are spelled out: the run must not depend on defaults others change.
  // Online orders only (paid at checkout, invoiced by Magento): their lifecycle does not depend
  // on the offline invoicing policy. The poller runs every 5 s; no other stream runs.
  const stack: DemoStack = await startDemoStack({
    code: CHANNEL,
    magento: { world: { customers: 20 } },
    odoo: { demo: { customers: 20 } },
    channel: {
      orders: { importStatuses: ['pending', 'processing'], autoConfirm: true, syncCancellations: true, syncRefunds: true, syncShipments: true, syncInvoices: true, followUpDays: 0 },
      inventory: { enabled: false },
      sync: { schedules: { orders: '5s', stock: '1d', stockFull: '1d', catalog: '1d', customers: '1d', contacts: '1d', reference: '1d' } },
    },
  });
  const queues = { orders: `chaos-orders-${process.pid}`, bulk: `chaos-bulk-${process.pid}` };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ temporal: { address: temporal.address, taskQueues: queues }, channels: [revealSecrets(stack.channel)] }), { mode: 0o600 });
  const worker = workerSupervisor(configFile, db.url, log);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  // The run's own readers: patient, since they meet the same faults.
  const patient = { attempts: 8, initialDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 };
  const magento = new MagentoClient({ ...stack.channel.magento, retry: patient });
  const odoo = new OdooClient({ ...stack.channel.odoo, retry: patient });
  const placed = new Map<string, number>();
  const shippedIn = new Set<string>();
  let faultsOn = false;
  let stopAll = false;
  let exitCode: number;
  try {
    worker.start();
    log(`Temporal at ${temporal.address} (state ${dbFile}); worker started; ${options.orders} orders, ${options.kills} kill(s), faults ${options.faults}${options.temporalRestart ? ', Temporal restart' : ''}`);
    const rules = chaosFaults(options.faults);
    stack.magento.faults.set(rules);
    stack.odoo.faults.set(rules);
    faultsOn = rules.length > 0;
    const faultStart = Date.now();

    // The shop: orders placed over the first half of the fault phase.
    const skus = ['GEAR-0001', 'GEAR-0002', 'GEAR-0003', 'GEAR-0004', 'GEAR-0005', 'GEAR-0006', 'GEAR-0007', 'GEAR-0008', 'GEAR-0009'];
    const shop = (async () => {
      const spacing = (options.faultSeconds * 500) / options.orders;
      for (let i = 0; i < options.orders && !stopAll; i++) {
        const lines = [{ sku: skus[i % skus.length]!, qty: 1 + (i % 3) }, ...(i % 4 === 0 ? [{ sku: skus[(i + 4) % skus.length]!, qty: 1 }] : [])];
        const order = stack.magento.createOrder({ paymentMethod: 'braintree', customerEmail: `customer${1 + (i % 20)}@example.com`, lines, shippingMethod: i % 2 ? 'ups_GND' : 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
        placed.set(order.increment_id, order.entity_id);
        await new Promise((r) => setTimeout(r, spacing));
      }
    })();

    // The warehouse: ships every confirmed order's open deliveries in full (whatever the stock
    // says: no backorders) and tells its workflow, as the webhook gateway does for Odoo's own
    // notification. Orders keep being looked at until no delivery is open.
    const warehouse = (async () => {
      while (!stopAll) {
        try {
          const ids = [...placed.keys()].filter((id) => !shippedIn.has(id));
          if (ids.length) {
            const open = await odoo.searchRead('sale.order', [['client_order_ref', 'in', ids], ['state', '=', 'sale']], { fields: ['client_order_ref', 'picking_ids'] });
            for (const so of open) {
              const incrementId = String(so.client_order_ref);
              const pickings = (await odoo.read('stock.picking', so.picking_ids as number[], ['state'])).filter((p) => p.state !== 'done' && p.state !== 'cancel');
              if (pickings.length === 0) {
                shippedIn.add(incrementId);
                continue;
              }
              for (const p of pickings) {
                const moves = await odoo.listMoves(p.id);
                await odoo.validatePicking(p.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])), backorder: false });
              }
              await client.workflow.getHandle(orderWorkflowId(CHANNEL, incrementId)).signal(odooProgressSignal, {});
            }
          }
        } catch {
          // faults, a restarting Temporal: the next round tries again
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();

    // The hostile part: kills spread over the fault phase, the Temporal restart in the middle.
    const events: Array<{ at: number; run: () => Promise<void> }> = [];
    for (let k = 1; k <= options.kills; k++) {
      events.push({ at: (options.faultSeconds * 1000 * k) / (options.kills + 1), run: async () => log(`SIGKILL worker pid ${worker.kill() ?? '?'}`) });
    }
    if (options.temporalRestart) {
      events.push({
        at: options.faultSeconds * 1000 * 0.55,
        run: async () => {
          log(`SIGKILL Temporal dev server pid ${temporal.process.pid}`);
          const gone = new Promise((r) => temporal.process.once('exit', r));
          temporal.process.kill('SIGKILL');
          await gone;
          temporal = await startTemporalDev({ cli, port, uiPort: null, dbFile });
          log('Temporal dev server back on its state file');
        },
      });
    }
    events.sort((a, b) => a.at - b.at);
    for (const event of events) {
      const wait = faultStart + event.at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await event.run();
    }
    await shop;
    const left = faultStart + options.faultSeconds * 1000 - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    stack.magento.faults.clear();
    stack.odoo.faults.clear();
    faultsOn = false;
    const faultsStopped = Date.now();
    log(`faults stopped after ${((faultsStopped - faultStart) / 1000).toFixed(0)} s; draining`);

    let result = tally(await sightings(magento, odoo, placed));
    const deadline = faultsStopped + options.drainSeconds * 1000;
    while (result.complete + result.duplicated < result.orders && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2_000));
      result = tally(await sightings(magento, odoo, placed));
      log(`complete ${result.complete}/${result.orders}${result.stuckIds.length && result.stuckIds.length <= 5 ? ` (waiting: ${result.stuckIds.join(', ')})` : ''}`);
    }
    const drained = (Date.now() - faultsStopped) / 1000;
    stopAll = true;
    await warehouse;
    console.log(chaosLine(result, (Date.now() - t0) / 1000));
    console.log(`chaos: drain=${drained.toFixed(1)} s after the faults stopped; worker starts=${worker.starts}; requests magento=${stack.magento.counters.sum()} odoo=${stack.odoo.counters.sum()}`);
    for (const [what, ids] of [['lost', result.lostIds], ['duplicated', result.duplicatedIds], ['stuck', result.stuckIds]] as const) {
      if (ids.length) console.log(`chaos: ${what}: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`);
    }
    // What the systems and the workflow say about each order that is not complete.
    const all = await sightings(magento, odoo, placed);
    for (const id of [...result.lostIds, ...result.duplicatedIds, ...result.stuckIds].slice(0, 10)) {
      const status = await client.workflow.getHandle(orderWorkflowId(CHANNEL, id)).query(statusQuery).catch((err: Error) => ({ error: err.message }));
      console.log(`chaos: ${id} ${JSON.stringify(all.find((o) => o.incrementId === id))} workflow ${JSON.stringify('phase' in status ? { phase: status.phase, steps: status.steps.slice(-5).map((x) => `${x.step}: ${x.outcome} ${x.detail}`) } : status)}`);
    }
    exitCode = result.lost + result.duplicated + result.stuck === 0 ? 0 : 1;
  } finally {
    stopAll = true;
    if (faultsOn) {
      stack.magento.faults.clear();
      stack.odoo.faults.clear();
    }
    await worker.stop();
    await connection.close().catch(() => undefined);
    await stack.stop();
    await db.drop().catch(() => undefined);
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return exitCode;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`[chaos] ${err.stack ?? err.message}`);
      process.exit(2);
    },
  );
}

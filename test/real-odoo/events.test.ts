// The real-Odoo tier, events: the same order event three times with the worker process killed
// (SIGKILL) in the middle of the import, and Odoo's own "Send Webhook Notification" for a
// delivery reaching the order's workflow through the gateway.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { revealSecrets } from '../../config/secret';
import { signMagentoEvent, startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { bulkSync } from '../../workflows/bulkSync';
import { orderPoller } from '../../workflows/orderPoller';
import { orderWorkflowId } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const ROOT = join(__dirname, '..', '..');
const tier = realTier('repeated events, a killed worker, Odoo webhooks');
const SIGNING = 'real-odoo-events-signing-secret-0123456789';
const ODOO_TOKEN = 'real-odoo-events-token-0123456789abcdef';

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  let gateway: Gateway;
  let dir: string;
  let configFile: string;
  const channel = `re${process.pid}`;
  const gatewayLog: string[] = [];

  before(async () => {
    c = await startRealOdooConnector({
      code: channel, world: { simpleProducts: 6, configurableProducts: 1, customers: 2 }, workers: false,
      channel: { orders: { followUpDays: 0 }, webhooks: { signingSecret: SIGNING, odooToken: ODOO_TOKEN } },
    });
    dir = mkdtempSync(join(tmpdir(), 'm2o-real-events-'));
    configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ temporal: { address: process.env.TEMPORAL_TEST_ADDRESS, taskQueues: c.config.temporal.taskQueues }, channels: [revealSecrets(c.stack.channel)] }), { mode: 0o600 });
    gateway = await startWebhookGateway({
      config: c.config, client: c.env.client, log: (line) => gatewayLog.push(line),
      saleOrderName: async (_channel, id) => (await c.odoo.readSaleOrder(id))?.name ?? null,
    }, { port: 0 });
  });
  after(async () => {
    await gateway?.close();
    await c?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, M2O_CONFIG: configFile, DATABASE_URL: c.db.url },
    });
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 90_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (/\[worker\] polling/.test(out)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited ${code}:\n${out}`)));
    });
  }
  const stopWorker = async (worker: ChildProcess, signal: NodeJS.Signals) => {
    const gone = new Promise((r) => worker.once('exit', r));
    worker.kill(signal);
    await gone;
  };
  const ordersWithRef = (ref: string) => c.setup.searchRead('sale.order', [['client_order_ref', '=', ref]], ['name', 'state']);

  test('the same order event three times and a worker SIGKILLed mid-import: exactly one sale order', async () => {
    let worker = await startWorker();
    try {
      await c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-ref-${channel}`, args: [{ channel, stream: 'reference' }] });
      const placed = c.magentoSandbox.createOrder({ guest: true, paymentMethod: 'checkmo', shippingMethod: 'flatrate_flatrate', lines: [{ sku: 'GEAR-0001' }, { sku: 'GEAR-0002' }] }) as { increment_id: string };
      // 1: the poller; 2 and 3: a signed Magento webhook, delivered twice.
      await c.env.client.workflow.execute(orderPoller, { taskQueue: c.config.temporal.taskQueues.orders, workflowId: `real-poll-${channel}`, args: [{ channel }] });
      for (const second of [0, 1]) {
        const raw = JSON.stringify({ event: 'order.saved', increment_id: placed.increment_id, status: 'pending' });
        const ts = Math.floor(Date.now() / 1000) + second;
        const res = await fetch(`${gateway.url}/hooks/magento/${channel}`, { method: 'POST', body: raw, headers: { 'x-m2o-timestamp': String(ts), 'x-m2o-signature': signMagentoEvent(SIGNING, ts, raw) } });
        assert.equal(res.status, 202);
      }
      const handle = c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
      // Killed while the import activity is in flight on the real Odoo.
      let inFlight = false;
      for (let i = 0; i < 600 && !inFlight; i++) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        // state 2: PENDING_ACTIVITY_STATE_STARTED (a worker picked it up)
        inFlight = pending.some((a) => a.activityType?.name === 'importOrder' && Number(a.state) === 2);
        if (!inFlight) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(inFlight, 'caught the import in flight');
      await stopWorker(worker, 'SIGKILL');
      worker = await startWorker();
      // The killed attempt is retried after its start-to-close timeout (2 minutes) at most.
      const f = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling', 240_000);
      const orders = await ordersWithRef(placed.increment_id);
      assert.equal(orders.length, 1, JSON.stringify(orders));
      assert.equal(orders[0]?.name, f.odooOrderName);
      const runs: string[] = [];
      for await (const wf of c.env.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) runs.push(wf.runId);
      assert.equal(runs.length, 1, 'one workflow run');
      await handle.terminate('test over');
    } finally {
      await stopWorker(worker, 'SIGTERM');
    }
  });

  test("Odoo's Send Webhook Notification for a validated delivery reaches the order's workflow through sale_id", async () => {
    const worker = await startWorker();
    try {
      const placed = c.magentoSandbox.createOrder({ guest: true, paymentMethod: 'braintree', shippingMethod: 'flatrate_flatrate', lines: [{ sku: 'GEAR-0004' }] }) as { entity_id: number; increment_id: string };
      await c.env.client.workflow.execute(orderPoller, { taskQueue: c.config.temporal.taskQueues.orders, workflowId: `real-poll2-${channel}`, args: [{ channel }] });
      const handle = c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
      const f = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling', 120_000);

      // The merchant's automation: "Send Webhook Notification" on deliveries with the fields
      // origin and sale_id, pointed at the gateway.
      const [pickingModel] = await c.setup.searchRead('ir.model', [['model', '=', 'stock.picking']], ['id']);
      const fields = await c.setup.searchRead('ir.model.fields', [['model', '=', 'stock.picking'], ['name', 'in', ['origin', 'sale_id']]], ['id']);
      const action = await c.setup.create('ir.actions.server', {
        name: 'Notify the connector', model_id: pickingModel!.id, state: 'webhook',
        webhook_url: `${gateway.url}/hooks/odoo/${channel}/${ODOO_TOKEN}`, webhook_field_ids: [[6, 0, fields.map((x) => x.id)]],
      });
      const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done')!;
      const [pickingRow] = await c.setup.searchRead('stock.picking', [['id', '=', picking.id]], ['origin']);
      if (c.odooDatabase.version === 18) assert.equal(pickingRow?.origin, `${f.odooOrderName} - ${placed.increment_id}`, "18.0's delivery origin is not the order's name");
      await c.odoo.validatePicking(picking.id);
      await c.setup.call('ir.actions.server', 'run', { ids: [action], context: { active_model: 'stock.picking', active_id: picking.id, active_ids: [picking.id] } });

      const target = orderWorkflowId(channel, placed.increment_id);
      for (let i = 0; i < 200 && !gatewayLog.some((l) => l.includes(`stock.picking#${picking.id}`)); i++) await new Promise((r) => setTimeout(r, 50));
      const line = gatewayLog.find((l) => l.includes(`stock.picking#${picking.id}`));
      assert.ok(line?.endsWith(`→ ${target}`), `gateway: ${line ?? gatewayLog.join('\n')}`);
      // The signal ran the round at once (the first timed poll is a minute away).
      assert.equal((await handle.result()).phase, 'complete');
      assert.equal((await c.magento.shipments.forOrder(placed.entity_id)).length, 1);
    } finally {
      await stopWorker(worker, 'SIGTERM');
    }
  });
});

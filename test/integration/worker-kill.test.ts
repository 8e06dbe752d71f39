// The worker process killed with SIGKILL mid-flow (no graceful shutdown, no cleanup) and a new
// process started: the order finishes, and neither sandbox holds a duplicate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { revealSecrets } from '../../config/secret';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { triggerOrder } from '../../client/order-trigger';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { odooProgressSignal, orderWorkflowId } from '../../workflows/order-messages';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { createScratchDatabase } from '../support/database';
import { untilStatus } from '../support/order-status';

const ROOT = join(__dirname, '..', '..');
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let stack: DemoStack;
let configFile: string;
const channel = `kill${process.pid}`;
const queues = { orders: uniqueTaskQueue('kill-orders'), bulk: uniqueTaskQueue('kill-bulk') };

before(async () => {
  env = await connectTestEnvironment();
  [db, stack] = await Promise.all([createScratchDatabase(), startDemoStack({ code: channel, channel: { orders: { followUpDays: 0, offlineInvoicing: 'on_confirm' } } })]);
  const dir = mkdtempSync(join(tmpdir(), 'm2o-kill-'));
  configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ temporal: { address: process.env.TEMPORAL_TEST_ADDRESS, taskQueues: queues }, channels: [revealSecrets(stack.channel)] }), { mode: 0o600 });
});
after(async () => {
  await stack?.stop();
  await db?.drop();
  await env?.teardown();
});

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, M2O_CONFIG: configFile, DATABASE_URL: db.url },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 60_000);
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

test('SIGKILL of the worker process mid-flow: a new process finishes the order without duplicates', async () => {
  const odoo = new OdooClient(stack.channel.odoo);
  const magento = new MagentoClient(stack.channel.magento);
  let worker = await startWorker();
  const placed = stack.magento.createOrder({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001' }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
  await triggerOrder(env.client, queues.orders, { channel, incrementId: placed.increment_id });
  const id = orderWorkflowId(channel, placed.increment_id);
  const fulfilling = await untilStatus(env.client.workflow.getHandle(id), 'fulfilling', (s) => s.phase === 'fulfilling' && s.steps.some((st) => st.step === 'sync credit memos'));

  // Killed between two rounds: an activity killed in flight would only be retried after its
  // 2-minute start-to-close timeout, right for production, slow for a test.
  for (let i = 0; i < 100 && ((await env.client.workflow.getHandle(id).describe()).raw.pendingActivities?.length ?? 0) > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  worker.kill('SIGKILL');
  await new Promise((r) => worker.once('exit', r));
  const picking = (await odoo.listPickings(fulfilling.odooOrderId!)).find((p) => p.state !== 'done');
  await odoo.validatePicking(picking!.id);
  await env.client.workflow.getHandle(id).signal(odooProgressSignal, {});

  worker = await startWorker();
  try {
    // The killed process's sticky workflow cache is gone; the server hands the task to the new one.
    // Usually seconds; up to the activities' 2-minute start-to-close timeout when the kill still
    // caught one in flight (the wait above narrows that window but cannot close it).
    const done = await untilStatus(env.client.workflow.getHandle(id), 'complete', (s) => s.phase === 'complete', 150_000);
    assert.equal(done.shipmentsPushed.length, 1);
    assert.equal(stack.odoo.counters.any('sale.order.create', 'sale.order.web_save'), 1);
    assert.equal((await odoo.searchRead('sale.order', [['client_order_ref', '=', placed.increment_id]], { fields: ['id'] })).length, 1);
    assert.equal((await magento.shipments.forOrder(placed.entity_id)).length, 1);
    assert.equal((await odoo.searchRead('account.move', [['invoice_origin', '=', fulfilling.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id'] })).length, 1);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
});

test('SIGKILL while a step is in flight: the step is retried after its 20-second heartbeat timeout, not the 2-minute one', async () => {
  const odoo = new OdooClient(stack.channel.odoo);
  const magento = new MagentoClient(stack.channel.magento);
  let worker = await startWorker();
  const placed = stack.magento.createOrder({ paymentMethod: 'braintree', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
  await triggerOrder(env.client, queues.orders, { channel, incrementId: placed.increment_id });
  const handle = env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
  const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling' && s.steps.some((st) => st.step === 'sync credit memos'));
  // The ship call takes 3 s: the worker is killed while syncShipments waits for it.
  stack.magento.faults.set([{ route: 'POST /V1/order/:orderId/ship', latencyMs: 3_000 }]);
  const picking = (await odoo.listPickings(fulfilling.odooOrderId!)).find((p) => p.state !== 'done');
  await odoo.validatePicking(picking!.id);
  await handle.signal(odooProgressSignal, {});
  const ships = () => stack.magento.counters.get('POST /V1/order/:orderId/ship');
  const before = ships();
  for (let i = 0; i < 200 && ships() === before; i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ships() > before, 'the ship call is in flight');
  worker.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => worker.once('exit', r));
  stack.magento.faults.clear();

  worker = await startWorker();
  try {
    const done = await untilStatus(handle, 'complete', (s) => s.phase === 'complete', 90_000);
    const seconds = (Date.now() - killedAt) / 1000;
    assert.ok(seconds < 75, `completed ${seconds.toFixed(0)} s after the kill (the 2-minute timeout would be ≥ 120 s)`);
    // The killed attempt's shipment landed in Magento; the retry found it by its marker.
    assert.equal((await magento.shipments.forOrder(placed.entity_id)).length, 1);
    assert.equal(done.shipmentsPushed.length, 1);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
});

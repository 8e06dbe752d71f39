import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { triggerOrder } from '../../client/order-trigger';
import { reconcileOrders } from '../../client/reconcile';
import { ordersCommand } from '../../client/commands/orders';
import { orderWorkflowId } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { startTestConnector, type TestConnector } from '../support/connector';

// `orders reconcile` against the Magento sandbox over HTTP and the real Temporal server: each kind
// of order the poller or a webhook could have left behind is found, and --start-missing starts the
// ones that can be.

describe('orders reconcile: every Magento order of a period against its workflow', { timeout: 120_000 }, () => {
  let connector: TestConnector;
  const code = `rec${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code, channel: { orders: { offlineInvoicing: 'on_confirm' } } });
  });
  after(async () => connector?.stop());

  test('missing, stopped and parked orders are reported; --start-missing starts the missing and stopped ones', async () => {
    const { env, stack, config, odoo } = connector;
    const since = new Date(Date.now() - 60_000);
    const place = (sku = 'GEAR-0001') => (stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string });
    const handleOf = (inc: string) => env.client.workflow.getHandle(orderWorkflowId(code, inc));
    const taskQueue = config.temporal.taskQueues.orders;

    const fine = place();
    await triggerOrder(env.client, taskQueue, { channel: code, incrementId: fine.increment_id });
    await untilStatus(handleOf(fine.increment_id), 'imported', (s) => s.odooOrderId !== undefined);

    const missing = place(); // the poller never saw it

    const stopped = place();
    await triggerOrder(env.client, taskQueue, { channel: code, incrementId: stopped.increment_id });
    await handleOf(stopped.increment_id).terminate('a bad deploy');

    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', 'GEAR-0009']], { fields: ['id'] });
    await odoo.write('product.product', [variant!.id], { default_code: 'GEAR-0009-RENAMED' });
    const parked = place('GEAR-0009');
    await triggerOrder(env.client, taskQueue, { channel: code, incrementId: parked.increment_id });
    await untilStatus(handleOf(parked.increment_id), 'parked', (s) => s.phase === 'needs_attention');

    const waiting = place();
    stack.magento.state.order(waiting.entity_id)!.status = 'pending_payment'; // not imported on this channel

    const ours = new Set([fine, missing, stopped, parked, waiting].map((o) => o.increment_id));
    // Visibility (the parked flag) is eventually consistent: look until it shows.
    let result = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since });
    for (let i = 0; i < 50 && !result.problems.some((p) => p.finding === 'parked'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since });
    }
    const found = Object.fromEntries(result.problems.filter((p) => ours.has(p.incrementId)).map((p) => [p.incrementId, p.finding]));
    assert.deepEqual(found, { [missing.increment_id]: 'missing', [stopped.increment_id]: 'stopped', [parked.increment_id]: 'parked' });
    assert.match(result.problems.find((p) => p.incrementId === parked.increment_id)!.detail, /GEAR-0009/);
    assert.ok(result.checked >= ours.size);
    assert.ok(result.notImported >= 1, 'the pending_payment order is not a problem');

    const fixed = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since, startMissing: true });
    assert.deepEqual(fixed.started.filter((i) => ours.has(i)).sort(), [missing.increment_id, stopped.increment_id].sort());
    for (const inc of [missing.increment_id, stopped.increment_id]) {
      await untilStatus(handleOf(inc), 'imported after the restart', (s) => s.odooOrderId !== undefined);
    }
    const after = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since });
    assert.deepEqual(after.problems.filter((p) => ours.has(p.incrementId)).map((p) => p.finding), ['parked'], 'only the order that needs a person is left');
  });
  /** the CLI command in-process, its console lines captured */
  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    const config = { ...connector.config, temporal: { ...connector.config.temporal, address: process.env.TEMPORAL_TEST_ADDRESS! } };
    const lines: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (line: string) => lines.push(String(line));
    console.error = (line: string) => lines.push(String(line));
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write; // the progress counter
    try {
      return { code: await ordersCommand(config, args), out: lines.join('\n') };
    } finally {
      [console.log, console.error] = [log, error];
      process.stderr.write = write;
    }
  }

  test('an order younger than one poll interval is not missing yet; the CLI says how many', async () => {
    const { stack, config } = connector;
    const channel = config.channels[0]!;
    const fresh = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    const since = new Date(Date.now() - 60_000);
    const strict = await reconcileOrders(connector.env.client, { channel, taskQueue: config.temporal.taskQueues.orders, since });
    assert.equal(strict.problems.find((p) => p.incrementId === fresh.increment_id)?.finding, 'missing', 'without a grace period it is missing');
    const graced = await reconcileOrders(connector.env.client, { channel, taskQueue: config.temporal.taskQueues.orders, since, graceMs: 60_000 });
    assert.equal(graced.problems.find((p) => p.incrementId === fresh.increment_id), undefined);
    assert.equal(graced.recent, strict.problems.filter((p) => p.finding === 'missing').length - graced.problems.filter((p) => p.finding === 'missing').length);
    assert.ok(graced.recent >= 1);
    // the CLI's grace is the channel's poll interval: the order placed a moment ago is not due yet
    const { out } = await cli(['reconcile', '--since', '5m', '--channel', code]);
    assert.match(out, new RegExp(`${graced.recent} younger than the poll interval \\(${channel.sync.schedules.orders}, not due yet\\)`), out);
    assert.doesNotMatch(out, new RegExp(`${fresh.increment_id}\\s.*MISSING`), out);
  });

  test('orders retry says so when the order is not parked, and signals a parked one', async () => {
    const { env, stack, config, odoo } = connector;
    const taskQueue = config.temporal.taskQueues.orders;
    const handleOf = (inc: string) => env.client.workflow.getHandle(orderWorkflowId(code, inc));
    const running = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    await triggerOrder(env.client, taskQueue, { channel: code, incrementId: running.increment_id });
    await untilStatus(handleOf(running.increment_id), 'imported', (s) => s.odooOrderId !== undefined);
    const notParked = await cli(['retry', running.increment_id, '--channel', code]);
    assert.equal(notParked.code, 1);
    assert.match(notParked.out, new RegExp(`^order ${running.increment_id} is not parked \\([a-z_]+\\): nothing to retry$`));

    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', 'GEAR-0008']], { fields: ['id'] });
    await odoo.write('product.product', [variant!.id], { default_code: 'GEAR-0008-RENAMED' });
    const stuck = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0008' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    await triggerOrder(env.client, taskQueue, { channel: code, incrementId: stuck.increment_id });
    await untilStatus(handleOf(stuck.increment_id), 'parked', (s) => s.phase === 'needs_attention');
    await odoo.write('product.product', [variant!.id], { default_code: 'GEAR-0008' });
    const parked = await cli(['retry', stuck.increment_id, '--channel', code]);
    assert.deepEqual(parked, { code: 0, out: `order ${stuck.increment_id}: retry sent` });
    await untilStatus(handleOf(stuck.increment_id), 'imported after the retry', (s) => s.odooOrderId !== undefined);
  });
});

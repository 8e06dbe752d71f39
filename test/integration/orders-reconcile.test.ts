import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { triggerOrder } from '../../client/order-trigger';
import { reconcileOrders } from '../../client/reconcile';
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
});

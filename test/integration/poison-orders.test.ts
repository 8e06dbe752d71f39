import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reconcileOrders } from '../../client/reconcile';
import { createWatermarkStore } from '../../store/watermarks';
import type { RawEdit } from '../../sandbox/magento/state';
import { orderPoller } from '../../workflows/orderPoller';
import { orderWorkflowId, retrySignal } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { startTestConnector, type TestConnector } from '../support/connector';

// One malformed order among good ones (issue 12, item 1): the poll reads each order on its own,
// so the bad one gets its workflow and parks naming its increment id and field, the good ones are
// imported, the watermark passes all of them, and `orders reconcile` still runs.

describe('a malformed order does not stop the channel', { timeout: 120_000 }, () => {
  let connector: TestConnector;
  const code = `poison${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code, magento: { world: { customers: 6 } }, odoo: { demo: { customers: 6 } } });
  });
  after(async () => connector?.stop());

  test('bad orders park with their increment id and field; the rest go on; the watermark moves; reconcile works', async () => {
    const { env, stack, config, db } = connector;
    const taskQueue = config.temporal.taskQueues.orders;
    const since = new Date(Date.now() - 60_000);
    const place = (edits: RawEdit[] = []) => {
      const placed = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }, { sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
      if (edits.length) stack.magento.state.order(placed.entity_id)!.rawEdits = edits;
      return placed;
    };
    const good1 = place();
    const bad = {
      numericSku: { order: place([{ path: 'items[1].sku', value: 4711 }]), field: /items\[1\]\.sku/ },
      missingSku: { order: place([{ path: 'items[0].sku', remove: true }]), field: /items\[0\]\.sku/ },
      qty: { order: place([{ path: 'items[1].qty_ordered', value: 'two' }]), field: /items\[1\]\.qty_ordered/ },
      price: { order: place([{ path: 'items[0].price', value: 'n/a' }]), field: /items\[0\]\.price/ },
      email: { order: place([{ path: 'customer_email', remove: true }]), field: /customer_email/ },
      shipping: { order: place([{ path: 'extension_attributes.shipping_assignments[0].shipping.address.city', remove: true }]), field: /shipping\.address\.city/ },
    };
    const good2 = place();
    const handleOf = (inc: string) => env.client.workflow.getHandle(orderWorkflowId(code, inc));

    const poll = await env.client.workflow.execute(orderPoller, { taskQueue, workflowId: `poll-${code}-${Date.now()}`, args: [{ channel: code }] });
    assert.equal(poll.seen, 8, 'every order of the page was routed');
    assert.deepEqual([...poll.malformed].sort(), Object.values(bad).map((b) => b.order.increment_id).sort());
    assert.deepEqual(poll.unreadable, []);
    const lastUpdated = stack.magento.state.order(good2.entity_id)!.updated_at;
    assert.equal(await createWatermarkStore(db.pool).get(code, 'orders'), lastUpdated, 'the watermark passed the bad orders');

    for (const good of [good1, good2]) await untilStatus(handleOf(good.increment_id), 'imported', (s) => s.odooOrderId !== undefined);
    for (const { order, field } of Object.values(bad)) {
      const parked = await untilStatus(handleOf(order.increment_id), 'parked', (s) => s.phase === 'needs_attention');
      const reason = parked.attention!.reason;
      assert.ok(reason.includes(`order ${order.increment_id}`), `names the order: ${reason}`);
      assert.match(reason, field);
      assert.equal(parked.odooOrderId, undefined, 'nothing was written to Odoo');
    }

    // Reconcile reads the same listing: it runs, and reports the bad orders as parked.
    const ours = new Set(Object.values(bad).map((b) => b.order.increment_id));
    let result = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since });
    for (let i = 0; i < 50 && result.problems.filter((p) => ours.has(p.incrementId)).length < ours.size; i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await reconcileOrders(env.client, { channel: config.channels[0]!, taskQueue, since });
    }
    assert.ok(result.checked >= 8);
    assert.deepEqual(result.problems.filter((p) => ours.has(p.incrementId)).map((p) => p.finding), [...ours].map(() => 'parked'));
    assert.equal(result.problems.some((p) => p.incrementId === good1.increment_id || p.incrementId === good2.increment_id), false);

    // Fixed in Magento, retried by ops: the order goes on.
    stack.magento.state.order(bad.qty.order.entity_id)!.rawEdits = [];
    await handleOf(bad.qty.order.increment_id).signal(retrySignal);
    await untilStatus(handleOf(bad.qty.order.increment_id), 'imported after the fix', (s) => s.odooOrderId !== undefined && s.phase !== 'needs_attention');
    for (const inc of [good1, good2, ...Object.values(bad).map((b) => b.order)].map((o) => o.increment_id)) await handleOf(inc).terminate('test over');
  });
});

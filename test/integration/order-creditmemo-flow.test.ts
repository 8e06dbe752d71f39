// Refunds after completion, end to end: the real worker with the real activities on the real
// Temporal dev server, both sandboxes over HTTP and the real PostgreSQL. The order completes,
// stays open in its follow-up window, and a Magento credit memo made weeks later (here: seconds)
// reaches Odoo when the poller's magentoChanged signal arrives. Waits use the status query: the
// workflow does not end until the window closes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { triggerOrder } from '../../client/order-trigger';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import type { orderWorkflow } from '../../workflows/order';
import { magentoChangedSignal, odooProgressSignal, orderWorkflowId, statusQuery, type OrderStatus } from '../../workflows/order-messages';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { createScratchDatabase } from '../support/database';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

describe('refunds after completion, end to end', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stack: DemoStack;
  let config: Config;
  let workers: Workers;
  let running: Promise<unknown>;
  let odoo: OdooClient;
  let magento: MagentoClient;
  const channel = `e2ecm${process.pid}`;

  before(async () => {
    env = await connectTestEnvironment();
    [db, stack] = await Promise.all([createScratchDatabase(), startDemoStack({ code: channel, channel: { orders: { followUpDays: 30 } } })]);
    config = ConfigSchema.parse({
      temporal: { taskQueues: { orders: uniqueTaskQueue('e2e-cm-orders'), bulk: uniqueTaskQueue('e2e-cm-bulk') } },
      channels: [],
    });
    config.channels.push(stack.channel);
    odoo = new OdooClient(stack.channel.odoo);
    magento = new MagentoClient(stack.channel.magento);
    workers = await createWorkers(config, db.pool, env.nativeConnection, env.client);
    running = Promise.all([workers.orders.run(), workers.bulk.run()]);
  });
  after(async () => {
    workers?.orders.shutdown();
    workers?.bulk.shutdown();
    await running?.catch(() => undefined);
    await stack?.stop();
    await db?.drop();
    await env?.teardown();
  });

  async function until(handle: OrderHandle, what: string, ok: (s: OrderStatus) => boolean): Promise<OrderStatus> {
    let last: OrderStatus | undefined;
    for (let i = 0; i < 300; i++) {
      last = await handle.query(statusQuery);
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`order never reached "${what}"; last status: ${JSON.stringify(last, null, 1)}`);
  }

  test('a completed order stays open; a partial Magento credit memo after completion becomes an Odoo credit note on the signal', async () => {
    const placed = stack.magento.createOrder({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001', qty: 3 }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
    assert.equal(await triggerOrder(env.client, config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    const handle: OrderHandle = env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
    const fulfilling = await until(handle, 'fulfilling', (s) => s.phase === 'fulfilling');

    const picking = (await odoo.listPickings(fulfilling.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await odoo.listMoves(picking.id);
    await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    const complete = await until(handle, 'complete', (s) => s.phase === 'complete');
    assert.ok(complete.followUpUntil, 'a follow-up window');
    const days = (Date.parse(complete.followUpUntil) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `30 days, got ${days}`);
    assert.deepEqual(complete.creditMemoActions, []);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'still open after completion');

    // Weeks later the merchant refunds one of the three items and the shipping in Magento.
    const item = (await magento.orders.get(placed.entity_id)).items.find((i) => i.sku === 'GEAR-0001')!;
    const memoId = await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 5 });
    const memo = await magento.creditmemos.get(memoId);
    await handle.signal(magentoChangedSignal, { status: 'processing' });

    const refunded = await until(handle, 'credit note', (s) => s.creditMemoActions.some((a) => a.includes('→ Odoo credit note')));
    assert.equal(refunded.phase, 'complete', 'partly refunded is still complete');
    const notes = await odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['ref', 'ilike', `(magento creditmemo ${memoId})`]], { fields: ['state', 'amount_total'] });
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.state, 'posted');
    assert.ok(Math.abs(Number(notes[0]?.amount_total) - Number(memo.grand_total)) <= 0.01, `${String(notes[0]?.amount_total)} vs ${String(memo.grand_total)}`);
    assert.ok(refunded.steps.some((s) => s.step === 'sync credit memos' && s.outcome === 'ok'));

    // The same signal again (poller + webhook) changes nothing.
    const creates = stack.odoo.counters.get('account.move.create');
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    await handle.signal(odooProgressSignal, {});
    await new Promise((r) => setTimeout(r, 500));
    const after = await handle.query(statusQuery);
    assert.equal(stack.odoo.counters.get('account.move.create'), creates);
    assert.equal(after.creditMemoActions.length, refunded.creditMemoActions.length);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate('test over');
  });
});

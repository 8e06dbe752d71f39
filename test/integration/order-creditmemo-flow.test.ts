// Refunds after completion, end to end: the real worker with the real activities on the real
// Temporal dev server, both sandboxes over HTTP and the real PostgreSQL. The order completes,
// stays open in its follow-up window, and a Magento credit memo made weeks later (here: seconds)
// reaches Odoo when the poller's magentoChanged signal arrives. Waits use the status query: the
// workflow does not end until the window closes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { triggerOrder } from '../../client/order-trigger';
import { type DemoStack } from '../../sandbox/demo-stack';
import type { orderWorkflow } from '../../workflows/order';
import { magentoChangedSignal, odooProgressSignal, orderWorkflowId, statusQuery } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { untilStatus } from '../support/order-status';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

describe('refunds after completion, end to end', () => {
  let env: TestWorkflowEnvironment;
  let stack: DemoStack;
  let config: Config;
  let odoo: OdooClient;
  let magento: MagentoClient;
  let connector: TestConnector;
  const channel = `e2ecm${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code: channel, channel: { orders: { followUpDays: 30, offlineInvoicing: 'on_confirm' } } });
    ({ env, stack, config, odoo, magento } = connector);
  });
  after(async () => connector?.stop());

  test('a completed order stays open; a partial Magento credit memo after completion becomes an Odoo credit note on the signal', async () => {
    const placed = stack.magento.createOrder({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001', qty: 3 }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
    assert.equal(await triggerOrder(env.client, config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    const handle: OrderHandle = env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');

    const picking = (await odoo.listPickings(fulfilling.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await odoo.listMoves(picking.id);
    await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    const complete = await untilStatus(handle, 'complete', (s) => s.phase === 'complete');
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

    const refunded = await untilStatus(handle, 'credit note', (s) => s.creditMemoActions.some((a) => a.includes('→ Odoo credit note')));
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

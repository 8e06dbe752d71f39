// The Temporal UI's "Request Cancellation" (a RequestCancelWorkflowExecution, what
// handle.cancel() sends) on order workflows, against the real Temporal dev server, the real
// worker and activities, and both sandboxes over HTTP: it is the business cancel, the running
// step is never cut short, and a refused one is recorded while the order carries on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { triggerOrder } from '../../client/order-trigger';
import type { OrderSpec } from '../../sandbox/magento';
import { TEMPORAL_CANCEL_REASON, type orderWorkflow } from '../../workflows/order';
import { odooProgressSignal, orderWorkflowId } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { untilStatus } from '../support/order-status';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

describe('Request Cancellation in the Temporal UI is the business cancel', { timeout: 120_000 }, () => {
  let connector: TestConnector;
  const channel = `uic${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code: channel, channel: { orders: { followUpDays: 0 } } });
  });
  after(async () => connector?.stop());

  async function importOrder(spec: OrderSpec): Promise<{ handle: OrderHandle; entityId: number }> {
    const placed = connector.stack.magento.createOrder(spec) as { entity_id: number; increment_id: string };
    assert.equal(
      await triggerOrder(connector.env.client, connector.config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }),
      'accepted',
    );
    return { handle: connector.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id)), entityId: placed.entity_id };
  }

  /** the event types of the whole history of a run, to see what Temporal was asked to cut */
  async function eventTypes(handle: OrderHandle, runId?: string): Promise<string[]> {
    const history = await connector.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    return (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType));
  }

  test('before shipment: accepted, both sides cancelled, the workflow completes as canceled', async () => {
    const { odoo, magento } = connector;
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    await handle.cancel();
    const result = await handle.result();
    assert.equal(result.phase, 'canceled');
    assert.equal(result.cancel?.reason, TEMPORAL_CANCEL_REASON);
    assert.deepEqual([result.cancel?.verdict?.accepted, result.cancel?.verdict?.outcome], [true, 'canceled']);
    assert.equal((await magento.orders.get(entityId)).status, 'canceled');
    assert.equal((await odoo.readSaleOrder(fulfilling.odooOrderId!))?.state, 'cancel');
    const described = await handle.describe();
    assert.equal(described.status.name, 'COMPLETED', 'ended by the business cancel, not cut off');
    assert.equal(described.typedSearchAttributes.getAll().find((p) => p.key.name === 'OrderState')?.value, 'canceled');
  });

  test('during a step: the step finishes, then the order is cancelled (nothing half-done)', async () => {
    const { odoo, magento, stack } = connector;
    // the import's create of the Odoo order is slow: the request arrives while it runs
    stack.odoo.faults.set([{ route: 'sale.order.web_save', latencyMs: 1500 }]);
    try {
      const creates = stack.odoo.counters.get('sale.order.web_save');
      const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' });
      for (let i = 0; i < 100 && stack.odoo.counters.get('sale.order.web_save') === creates; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(stack.odoo.counters.get('sale.order.web_save'), creates + 1, 'the create is in flight');
      await handle.cancel();
      const result = await handle.result();
      assert.equal(result.phase, 'canceled');
      assert.ok(result.odooOrderId, 'the import finished and was recorded');
      assert.equal((await odoo.readSaleOrder(result.odooOrderId))?.state, 'cancel', 'the order made in Odoo is cancelled, not left behind');
      assert.equal((await magento.orders.get(entityId)).status, 'canceled');
      const events = await eventTypes(handle);
      assert.ok(events.includes('EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED'), events.join(' '));
      assert.ok(!events.some((e) => /ACTIVITY_TASK_CANCEL/.test(e)), `no activity was cut short: ${events.join(' ')}`);
    } finally {
      stack.odoo.faults.clear();
    }
  });

  test('after shipment: refused and recorded, the order carries on', async () => {
    const { odoo } = connector;
    const { handle } = await importOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0005' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    const picking = (await odoo.listPickings(fulfilling.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    const moves = await odoo.listMoves(picking!.id);
    await odoo.validatePicking(picking!.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'shipped', (s) => s.shipmentsPushed.length === 1);
    const firstRun = (await handle.describe()).runId;

    await handle.cancel();
    const refused = await untilStatus(handle, 'the refusal recorded', (s) => s.cancel?.verdict !== undefined && s.phase === 'fulfilling');
    assert.equal(refused.cancel?.reason, TEMPORAL_CANCEL_REASON);
    assert.deepEqual([refused.cancel?.verdict?.accepted, refused.cancel?.verdict?.outcome], [false, 'refused']);
    assert.match(refused.cancel!.verdict!.detail, /ship/i);
    assert.ok(
      refused.steps.some((s) => s.step === 'cancel order' && /ship/i.test(s.detail)),
      "the refusal is in the order's steps",
    );
    const now = await handle.describe();
    assert.equal(now.status.name, 'RUNNING', 'the order goes on');
    assert.notEqual(now.runId, firstRun, 'in a fresh run that is not cancel-requested');
    assert.ok((await eventTypes(handle, firstRun)).includes('EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED'));
    assert.equal((await odoo.readSaleOrder(fulfilling.odooOrderId!))?.state, 'sale', 'Odoo order untouched');
    await handle.terminate('test over');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { orderPoller } from '../../workflows/orderPoller';
import { orderWorkflowId } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';

// The poller pages by keyset (updated_at from the last page), not by page number: an order
// updated during the walk moves to the end of the listing, and with page numbers the order at
// the page boundary was skipped for good (the chaos run lost one of 200 that way).

describe('the order poller never skips an order when others change during the poll', { timeout: 120_000 }, () => {
  let connector: TestConnector;
  const code = `paging${process.pid}`;
  before(async () => {
    connector = await startTestConnector({ code, channel: { sync: { batchSize: 2 } } });
  });
  after(async () => connector?.stop());

  test('an order shipped between two pages does not hide the next one', async () => {
    const { env, stack, config } = connector;
    const placed = Array.from({ length: 5 }, () => stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }] }) as { entity_id: number; increment_id: string });
    // Each page answer takes 400 ms: the first order changes after the first page was read.
    stack.magento.faults.set([{ route: 'GET /V1/orders', latencyMs: 400 }]);
    const poll = env.client.workflow.execute(orderPoller, { taskQueue: config.temporal.taskQueues.orders, workflowId: `poll-${code}`, args: [{ channel: code }] });
    await new Promise((r) => setTimeout(r, 550));
    stack.magento.state.order(placed[0]!.entity_id)!.updated_at = '2099-01-01 00:00:00';
    const result = await poll;
    stack.magento.faults.clear();
    const missing: string[] = [];
    for (const o of placed) {
      const exists = await env.client.workflow.getHandle(orderWorkflowId(code, o.increment_id)).describe().then(() => true, () => false);
      if (!exists) missing.push(o.increment_id);
    }
    assert.deepEqual(missing, [], `poll result ${JSON.stringify(result)}`);
    for (const o of placed) await env.client.workflow.getHandle(orderWorkflowId(code, o.increment_id)).terminate('test over').catch(() => undefined);
  });
});

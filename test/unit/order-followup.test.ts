// The order workflow's refund window after completion, on the real dev server with stubbed
// activities: it stays open, signals mirror refunds, a full refund shows as 'refunded', a cancel
// is refused, a parked credit memo sync waits for retry, and the window's end ends the run.
// Windows here are seconds long (followUpDays is a fraction of a day).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CreditMemoSyncResult, ImportResult, OdooOrderRef } from '../../activities/orders/contracts';
import { workflowBundle } from '../../workers/create-workers';
import { orderWorkflow } from '../../workflows/order';
import { cancelSignal, magentoChangedSignal, odooProgressSignal, retrySignal, statusQuery } from '../../workflows/order-messages';
import { withFulfilmentRound } from '../support/round-stub';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { untilStatus } from '../support/order-status';

const SECOND_IN_DAYS = 1 / 86_400;

describe('order workflow refund window (stubbed activities, real server)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('order-followup');
  const windows = new Map<string, number>();
  const memoScripts = new Map<string, () => Promise<CreditMemoSyncResult>>();
  const memoCalls = new Map<string, number>();

  before(async () => {
    env = await connectTestEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: withFulfilmentRound({
        importOrder: async (ref: { incrementId: string }): Promise<ImportResult> => ({
          outcome: 'imported', magentoOrderId: 42, magentoStatus: 'processing', paymentKind: 'online', autoConfirm: false,
          odooOrderId: 7, odooOrderName: 'S00007', followUpDays: windows.get(ref.incrementId) ?? 0,
        }),
        confirmOrder: async () => undefined,
        syncAddresses: async () => ({ actions: [] }),
        syncShipments: async () => ({ created: [], fullyShipped: true, anyShipped: true }),
        syncInvoices: async () => ({ actions: [], settled: true }),
        cancelOrder: async () => assert.fail('a complete order is never cancelled'),
        syncOrderStatus: async () => ({ actions: [] }),
        // a timed poll's baseline, taken before each round
        orderFingerprint: async () => 'unchanged',
        syncCreditMemos: async (ref: OdooOrderRef) => {
          memoCalls.set(ref.incrementId, (memoCalls.get(ref.incrementId) ?? 0) + 1);
          return (memoScripts.get(ref.incrementId) ?? (async () => ({ actions: [], fullyRefunded: false })))();
        },
      }),
    });
    running = worker.run();
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  let n = 0;
  const start = async (windowSeconds: number, memos: () => Promise<CreditMemoSyncResult>) => {
    const incrementId = `fu${process.pid}${++n}`;
    windows.set(incrementId, windowSeconds * SECOND_IN_DAYS);
    memoScripts.set(incrementId, memos);
    const handle = await env.client.workflow.start(orderWorkflow, { taskQueue, workflowId: `order-followup-${incrementId}`, args: [{ channel: 'test', incrementId }] });
    return { handle, incrementId };
  };

  test('complete stays open; each signal syncs credit memos; a full refund becomes "refunded"; a cancel is refused; the window end returns', async () => {
    let refunded = false;
    const { handle, incrementId } = await start(4, async () => (refunded ? { actions: ['Magento credit memo 2 → Odoo credit note RINV/2'], fullyRefunded: true } : { actions: [], fullyRefunded: false }));
    const complete = await untilStatus(handle, 'complete', (s) => s.phase === 'complete');
    assert.ok(complete.followUpUntil);
    const callsAtCompletion = memoCalls.get(incrementId) ?? 0;
    assert.equal(callsAtCompletion, 1, 'synced once in the fulfilment loop');

    refunded = true;
    await handle.signal(magentoChangedSignal, { status: 'closed' });
    const after = await untilStatus(handle, 'refunded', (s) => s.phase === 'refunded');
    assert.deepEqual(after.creditMemoActions, ['Magento credit memo 2 → Odoo credit note RINV/2']);
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'synced again', () => (memoCalls.get(incrementId) ?? 0) === 3);
    assert.equal((await handle.query(statusQuery)).creditMemoActions.length, 1, 'a repeated action is kept once');

    await handle.signal(cancelSignal, { reason: 'too late' });
    const refused = await untilStatus(handle, 'cancel refused', (s) => s.cancel?.verdict !== undefined);
    assert.equal(refused.cancel?.verdict?.accepted, false);
    assert.match(refused.cancel!.verdict!.detail, /credit memo/);

    const result = await handle.result();
    assert.equal(result.phase, 'refunded');
  });

  test('a credit memo sync that fails for bad data after completion parks the order until retry', async () => {
    let fixed = false;
    const { handle } = await start(30, async () => {
      if (!fixed) throw ApplicationFailure.nonRetryable('Magento credit memo 7 grand_total 10.00 differs from Odoo credit note RINV/7 amount_total 12.00', 'TotalsMismatch');
      return { actions: ['bound Magento credit memo 7 to Odoo credit note RINV/7'], fullyRefunded: false };
    });
    const parked = await untilStatus(handle, 'parked at completion', (s) => s.phase === 'needs_attention');
    assert.equal(parked.attention?.step, 'sync credit memos');
    assert.match(parked.attention!.reason, /differs/);
    fixed = true;
    await handle.signal(retrySignal);
    const resumed = await untilStatus(handle, 'complete', (s) => s.phase === 'complete');
    assert.deepEqual(resumed.creditMemoActions, ['bound Magento credit memo 7 to Odoo credit note RINV/7']);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'in its refund window');
    await handle.terminate('test over');
  });

  test('followUpDays 0 returns at completion, as before', async () => {
    const { handle } = await start(0, async () => ({ actions: [], fullyRefunded: false }));
    const result = await handle.result();
    assert.equal(result.phase, 'complete');
    assert.equal(result.followUpUntil, undefined);
  });
});

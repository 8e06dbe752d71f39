// The order workflow's state machine on the real dev server, with its activities stubbed: the
// parking, retry, cancel and wake-up rules, decided by the workflow alone. The activities
// themselves are tested against the sandboxes in test/integration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CancelInput, CancelVerdict, ImportResult, InvoiceSyncResult, OdooOrderRef, OrderRef, ShipmentSyncResult } from '../../activities/orders/contracts';
import { workflowBundle } from '../../workers/create-workers';
import { orderWorkflow } from '../../workflows/order';
import {
  cancelSignal, cancelUpdate, magentoChangedSignal, odooProgressSignal, retrySignal,
} from '../../workflows/order-messages';
import { withFulfilmentRound } from '../support/round-stub';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { untilStatus } from '../support/order-status';

interface Script {
  importOrder: (ref: OrderRef) => Promise<ImportResult>;
  confirmOrder: (ref: OdooOrderRef) => Promise<void>;
  syncShipments: (ref: OdooOrderRef) => Promise<ShipmentSyncResult>;
  syncInvoices: (ref: OdooOrderRef) => Promise<InvoiceSyncResult>;
  cancelOrder: (input: CancelInput) => Promise<CancelVerdict>;
  /** when given, timed polls ask it first (and are recorded); otherwise nothing ever changes */
  orderFingerprint?: (ref: OdooOrderRef) => Promise<string>;
}

const imported = (over: Partial<ImportResult> = {}): ImportResult => ({
  outcome: 'imported', magentoOrderId: 42, magentoStatus: 'pending', paymentKind: 'offline', autoConfirm: true,
  odooOrderId: 7, odooOrderName: 'S00007', followUpDays: 0, ...over,
});
const shipped = (fully: boolean): ShipmentSyncResult => ({ created: fully ? [501] : [], fullyShipped: fully, anyShipped: fully });
const settled = (done: boolean): InvoiceSyncResult => ({ actions: done ? ['invoice INV/1 posted and pushed'] : [], settled: done });

describe('order workflow state machine (stubbed activities, real server)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('order-logic');
  const scripts = new Map<string, Script>();
  const calls = new Map<string, string[]>();
  const record = (id: string, name: string) => calls.set(id, [...(calls.get(id) ?? []), name]);
  // Stubs dispatch on the increment id, so each test scripts its own order.
  const script = (id: string) => {
    const s = scripts.get(id);
    if (!s) throw ApplicationFailure.nonRetryable(`no script for ${id}`);
    return s;
  };

  before(async () => {
    env = await connectTestEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: withFulfilmentRound({
        importOrder: (ref: OrderRef) => (record(ref.incrementId, 'import'), script(ref.incrementId).importOrder(ref)),
        confirmOrder: (ref: OdooOrderRef) => (record(ref.incrementId, 'confirm'), script(ref.incrementId).confirmOrder(ref)),
        syncShipments: (ref: OdooOrderRef) => (record(ref.incrementId, 'ship'), script(ref.incrementId).syncShipments(ref)),
        syncInvoices: (ref: OdooOrderRef) => (record(ref.incrementId, 'invoice'), script(ref.incrementId).syncInvoices(ref)),
        cancelOrder: (input: CancelInput) => (record(input.incrementId, `cancel:${input.reason}`), script(input.incrementId).cancelOrder(input)),
        // Not recorded: these tests script the other steps; credit memos have their own tests.
        syncCreditMemos: async () => ({ actions: [], fullyRefunded: false }),
        syncOrderStatus: async () => ({ actions: [] }),
        syncAddresses: async (ref: OdooOrderRef) => (record(ref.incrementId, 'addresses'), { actions: [] }),
        orderFingerprint: async (ref: OdooOrderRef) => {
          const s = script(ref.incrementId);
          if (!s.orderFingerprint) return 'unchanged';
          record(ref.incrementId, 'fingerprint');
          return s.orderFingerprint(ref);
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
  const start = (s: Script, options: { firstPollMs?: number } = {}) => {
    const incrementId = `${process.pid}${++n}`;
    scripts.set(incrementId, s);
    return env.client.workflow.start(orderWorkflow, { taskQueue, workflowId: `order-test-${incrementId}`, args: [{ channel: 'test', incrementId, ...options }] })
      .then((handle) => ({ handle, incrementId }));
  };

  test('happy path: import, confirm, ship, invoice, complete', async () => {
    const { handle, incrementId } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(true),
      syncInvoices: async () => settled(true),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    const result = await handle.result();
    assert.equal(result.phase, 'complete');
    assert.deepEqual(result.shipmentsPushed, [501]);
    assert.deepEqual(calls.get(incrementId), ['import', 'confirm', 'ship', 'invoice']);
    const described = await handle.describe();
    const sa = described.typedSearchAttributes.getAll();
    assert.equal(sa.find((p) => p.key.name === 'OrderState')?.value, 'complete');
    assert.equal(sa.find((p) => p.key.name === 'OdooOrder')?.value, 'S00007');
    assert.equal(sa.find((p) => p.key.name === 'NeedsAttention')?.value, false);
    assert.match(String((described.memo as { summary: string }).summary), /complete as S00007, 1 shipment/);
  });

  test('an order first seen held is imported and kept on hold until Magento releases it (issue 10, class 5)', async () => {
    const { handle, incrementId } = await start({
      importOrder: async () => imported({ magentoStatus: 'holded' }),
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(true),
      syncInvoices: async () => settled(true),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    await untilStatus(handle, 'on hold', (s) => s.phase === 'on_hold');
    assert.deepEqual(calls.get(incrementId), ['import', 'confirm'], 'imported and confirmed, nothing shipped or invoiced while held');
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    assert.equal((await handle.result()).phase, 'complete');
    // the release is a Magento change, so the addresses are looked at too
    assert.deepEqual(calls.get(incrementId), ['import', 'confirm', 'addresses', 'ship', 'invoice']);
  });

  test('an order canceled before its import ends without touching Odoo (issue 10, class 5)', async () => {
    const { handle, incrementId } = await start({
      importOrder: async () => ({ ...imported({ magentoStatus: 'canceled' }), outcome: 'canceled_before_import', odooOrderId: undefined, odooOrderName: undefined }),
      confirmOrder: async () => assert.fail('no confirm'),
      syncShipments: async () => assert.fail('no shipments'),
      syncInvoices: async () => assert.fail('no invoices'),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    const result = await handle.result();
    assert.equal(result.phase, 'canceled');
    assert.equal(result.odooOrderId, undefined);
    assert.deepEqual(calls.get(incrementId), ['import']);
  });

  test('bad data parks the order with its reason until retry, then resumes from that step', async () => {
    let fixed = false;
    const { handle, incrementId } = await start({
      importOrder: async () => {
        if (!fixed) throw ApplicationFailure.nonRetryable('order 1: items[1].sku "NOPE" is not a product in Odoo', 'UnknownSku');
        return imported();
      },
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(true),
      syncInvoices: async () => settled(true),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    const parked = await untilStatus(handle, 'needs attention', (s) => s.phase === 'needs_attention');
    assert.equal(parked.attention?.step, 'import order into Odoo');
    assert.match(parked.attention!.reason, /items\[1\]\.sku "NOPE"/);
    const sa = (await handle.describe()).typedSearchAttributes.getAll();
    assert.equal(sa.find((p) => p.key.name === 'NeedsAttention')?.value, true);

    // A retry before the fix parks again, with the same reason; nothing is lost.
    await handle.signal(retrySignal);
    await untilStatus(handle, 'second park', (s) => s.steps.filter((x) => x.outcome === 'parked').length === 2);
    fixed = true;
    await handle.signal(retrySignal);
    const result = await handle.result();
    assert.equal(result.phase, 'complete');
    assert.equal(result.attention, undefined);
    assert.deepEqual(calls.get(incrementId), ['import', 'import', 'import', 'confirm', 'ship', 'invoice']);
  });

  test('transient failures are retried by Temporal and never park', async () => {
    let failures = 0;
    const { handle } = await start({
      importOrder: async () => {
        if (failures++ < 2) throw ApplicationFailure.retryable('Odoo answered 503', 'IntegrationError');
        return imported();
      },
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(true),
      syncInvoices: async () => settled(true),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    const result = await handle.result();
    assert.equal(result.phase, 'complete');
    assert.equal(result.steps.some((s) => s.outcome === 'parked'), false);
    assert.equal(failures, 3);
  });

  test('an order not yet importable waits, and a Magento change wakes it', async () => {
    let status = 'pending_payment';
    const { handle, incrementId } = await start({
      importOrder: async () => (status === 'processing' ? imported({ magentoStatus: status }) : imported({ outcome: 'not_importable', magentoStatus: status, odooOrderId: undefined, odooOrderName: undefined })),
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(true),
      syncInvoices: async () => settled(true),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    await untilStatus(handle, 'waiting', (s) => s.phase === 'waiting_for_status');
    status = 'processing';
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    assert.equal((await handle.result()).phase, 'complete');
    assert.deepEqual(calls.get(incrementId)?.slice(0, 2), ['import', 'import']);
  });

  test('a parked order can be cancelled, and the update returns the verdict', async () => {
    const { handle, incrementId } = await start({
      importOrder: async () => {
        throw ApplicationFailure.nonRetryable('unmapped carrier ups_GND', 'UnmappedCarrier');
      },
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(false),
      syncInvoices: async () => settled(false),
      cancelOrder: async (input) => ({ accepted: true, outcome: 'canceled', detail: `Magento order canceled (${input.reason})` }),
    });
    await untilStatus(handle, 'parked', (s) => s.phase === 'needs_attention');
    const verdict = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'customer called' }] });
    assert.deepEqual(verdict, { accepted: true, outcome: 'canceled', detail: 'Magento order canceled (customer called)' });
    const result = await handle.result();
    assert.equal(result.phase, 'canceled');
    assert.equal(result.attention, undefined);
    assert.deepEqual(calls.get(incrementId), ['import', 'cancel:customer called']);
    await assert.rejects(handle.executeUpdate(cancelUpdate, { args: [{ reason: 'again' }] }));
  });

  test('a refused cancel (already shipped) lets the order go on, and a later one is judged again', async () => {
    const shippedNow = false;
    const { handle, incrementId } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => ({ created: [], fullyShipped: shippedNow, anyShipped: shippedNow }),
      syncInvoices: async () => settled(false),
      cancelOrder: async () => ({ accepted: false, outcome: 'refused', detail: 'already shipped: WH/OUT/00005' }),
    });
    await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    const first = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'too late?' }] });
    assert.deepEqual(first, { accepted: false, outcome: 'refused', detail: 'already shipped: WH/OUT/00005' });
    await untilStatus(handle, 'fulfilling again', (s) => s.phase === 'fulfilling' && s.cancel?.verdict?.outcome === 'refused');
    const second = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'really' }] });
    assert.equal(second.outcome, 'refused');
    assert.deepEqual(calls.get(incrementId)?.filter((c) => c.startsWith('cancel')), ['cancel:too late?', 'cancel:really']);
    await handle.terminate('test over');
  });

  test('cancelled in Magento takes the cancel path; Odoo progress wakes the fulfilment loop', async () => {
    let polls = 0;
    const { handle, incrementId } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => (polls++, shipped(false)),
      syncInvoices: async () => settled(false),
      cancelOrder: async () => ({ accepted: true, outcome: 'credit_memo', detail: 'credit memo 9 and credit note RINV/1' }),
    });
    await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    const before = polls;
    await handle.signal(odooProgressSignal, { model: 'stock.picking', id: 5 });
    await untilStatus(handle, 'looked again', () => polls > before);
    await handle.signal(magentoChangedSignal, { status: 'canceled' });
    const result = await handle.result();
    assert.equal(result.phase, 'refunded');
    assert.equal(result.cancel?.reason, 'canceled in Magento');
    assert.ok(calls.get(incrementId)?.includes('cancel:canceled in Magento'));
  });

  test('a timed poll that finds nothing new skips the full round; a change, or a signal, runs it', async () => {
    let fingerprint = 'a';
    let rounds = 0;
    const { handle, incrementId } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => (rounds++, shipped(false)),
      syncInvoices: async () => settled(false),
      cancelOrder: async () => assert.fail('no cancel'),
      orderFingerprint: async () => fingerprint,
    }, { firstPollMs: 150 });
    // polls after 150, 300, 600 ms find the same fingerprint: no second round
    const quiet = await untilStatus(handle, 'three quiet polls', (st) => (st.quietPolls ?? 0) >= 3);
    assert.equal(rounds, 1);
    assert.equal(quiet.phase, 'fulfilling');
    fingerprint = 'b';
    await untilStatus(handle, 'a round after the change', () => rounds === 2);
    // Each round takes its baseline first (a change during the round is news to the next poll).
    // Wait for the round's end, then signal: what follows is a round (its baseline, then the
    // steps), not a quiet check (the next timed poll is seconds away by now).
    const seq = () => calls.get(incrementId)!;
    await untilStatus(handle, 'the end of the round', () => seq().at(-1) === 'invoice');
    assert.deepEqual(seq().slice(-3), ['fingerprint', 'ship', 'invoice']);
    const before = seq().length;
    await handle.signal(odooProgressSignal, { model: 'stock.picking', id: 5 });
    await untilStatus(handle, 'a round on the signal', () => rounds === 3);
    assert.deepEqual(seq().slice(before, before + 2), ['fingerprint', 'ship'], `calls after the signal: ${seq().slice(before).join(', ')}`);
    await handle.terminate('test over');
  });

  test('a change made while a round runs, after the step that reads it, is still seen by the next timed poll', async () => {
    // The warehouse validates the delivery while the round is past its shipments step: the world
    // after the round already holds the change the round did not act on.
    let delivered = false;
    let rounds = 0;
    const { handle } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => (rounds++, shipped(delivered)),
      syncInvoices: async () => {
        if (rounds === 1) delivered = true;
        return settled(true);
      },
      cancelOrder: async () => assert.fail('no cancel'),
      orderFingerprint: async () => (delivered ? 'delivered' : 'open'),
    }, { firstPollMs: 100 });
    const result = await Promise.race([
      handle.result(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still fulfilling after ${rounds} round(s): the change went unseen`)), 10_000)),
    ]);
    assert.equal(result.phase, 'complete');
    assert.equal(rounds, 2);
  });

  test('an order started by its Magento signal runs one round, then waits (the start signal is not a second wake-up)', async () => {
    let rounds = 0;
    const incrementId = `${process.pid}${++n}`;
    scripts.set(incrementId, {
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => (rounds++, shipped(false)),
      syncInvoices: async () => settled(false),
      cancelOrder: async () => assert.fail('no cancel'),
      orderFingerprint: async () => 'unchanged',
    });
    // the way triggerOrder starts every order: signalWithStart with magentoChanged
    const handle = await env.client.workflow.signalWithStart(orderWorkflow, {
      taskQueue, workflowId: `order-test-${incrementId}`, args: [{ channel: 'test', incrementId, firstPollMs: 150 }],
      signal: magentoChangedSignal, signalArgs: [{ status: 'pending' }],
    });
    await untilStatus(handle, 'a quiet poll after the first round', (st) => (st.quietPolls ?? 0) >= 1);
    assert.equal(rounds, 1, `calls: ${calls.get(incrementId)?.join(', ')}`);
    // the baseline fingerprint before the one round, then the quiet poll's
    assert.deepEqual(calls.get(incrementId)?.slice(0, 6), ['import', 'confirm', 'fingerprint', 'ship', 'invoice', 'fingerprint']);
    await handle.terminate('test over');
  });

  test('a cancel signal without a waiting caller works the same', async () => {
    const { handle } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(false),
      syncInvoices: async () => settled(false),
      cancelOrder: async () => ({ accepted: true, outcome: 'canceled', detail: 'both sides canceled' }),
    });
    await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    await handle.signal(cancelSignal, { reason: 'fraud' });
    const result = await handle.result();
    assert.equal(result.phase, 'canceled');
    assert.equal(result.cancel?.verdict?.detail, 'both sides canceled');
  });

  test('a hold in Magento pauses fulfilment until the unhold', async () => {
    let done = false;
    const { handle, incrementId } = await start({
      importOrder: async () => imported(),
      confirmOrder: async () => undefined,
      syncShipments: async () => shipped(done),
      syncInvoices: async () => settled(done),
      cancelOrder: async () => assert.fail('no cancel'),
    });
    await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    await handle.signal(magentoChangedSignal, { status: 'holded' });
    await untilStatus(handle, 'on hold', (s) => s.phase === 'on_hold');
    const callsWhileHeld = calls.get(incrementId)!.length;
    done = true;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls.get(incrementId)!.length, callsWhileHeld, 'nothing pushed to a held order');
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    assert.equal((await handle.result()).phase, 'complete');
    // A Magento change after import (here the unhold) also has the addresses looked at, once.
    assert.deepEqual(calls.get(incrementId)!.filter((c) => c === 'addresses'), ['addresses']);
  });
});

import { ActivityFailure, allHandlersFinished, CancellationScope, condition, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CancelVerdict, CreditMemoSyncResult, InvoiceSyncResult, ShipmentSyncResult, StatusSyncResult } from '../activities/orders/contracts';
import type { OrderStatus } from './order-messages';
import { CancelRequested, OrderRun, type OrderWorkflowInput } from './order-run';

export { TEMPORAL_CANCEL_REASON, type OrderWorkflowInput } from './order-run';

// Transient faults (5xx, 429, timeouts) retry without end, with backoff capped at 5 minutes: an
// order must never be dropped because Odoo was down for an afternoon. Bad data fails at once,
// non-retryable, and parks the order below.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // The activities heartbeat every 5 s (keepAlive): a worker killed mid-step is noticed in 20 s.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const DAY = 24 * 60 * 60_000;
// Runs started before credit memos existed replay without them (no syncCreditMemos call, no
// follow-up window): their histories end where the old code ended.
const CREDIT_MEMOS_PATCH = 'order-credit-memos';
// Address edits made in Magento after import are pushed to Odoo.
const ADDRESS_EDITS_PATCH = 'order-address-edits';
// A timed poll first asks whether anything happened to the order (orderFingerprint) and runs the
// full round only if so; signals still run it at once.
const QUIET_POLLS_PATCH = 'order-quiet-polls';
// The fingerprint a timed poll compares with is taken before the round, not after it: a delivery
// validated (or an invoice paid) while a round ran, after the step that reads it, is then still
// news to the next poll. Taken after the round, it looked like nothing had happened, and the
// order waited in "fulfilling" until something else changed.
const FINGERPRINT_FIRST_PATCH = 'order-fingerprint-before-round';
// The signal that started the run (signalWithStart's magentoChanged) set `wake`; the import and
// the first round read everything it could mean, so it is cleared before the loop. Older runs
// kept it and ran a second round at once.
const WAKE_CLEARED_PATCH = 'order-wake-cleared';
// A sale order cancelled by hand in Odoo is mirrored to Magento (runs from before looped on).
const ODOO_CANCEL_PATCH = 'order-odoo-cancel';
// Odoo milestones as Magento comments and the Magento status as an Odoo tag, once per round.
const STATUS_SYNC_PATCH = 'order-status-sync';
// An order first seen held (or complete) is imported; one canceled before its import ends here.
const IMPORT_STATUSES_PATCH = 'order-import-any-status';
// The import confirms the order itself (one step instead of two); results from before say nothing
// of it and the confirm step runs as it did.
const IMPORT_CONFIRMS_PATCH = 'order-import-confirms';
// One fulfilment round is one activity (fingerprint, shipments, invoices, credit memos, status).
// Runs between this patch and the next one did not look again at once after pushing shipments.
const FULFIL_ROUND_PATCH = 'order-fulfilment-round';
// A round that pushed a shipment is followed by one more at once, as the separate steps were:
// Magento's answer to a shipment (and a fault met on the way) is settled then, not a timed poll
// later (under chaos, an order waited past its drain window for the next poll).
const ROUND_AGAIN_AFTER_SHIPMENTS_PATCH = 'order-round-again-after-shipments';

/** The sale order was cancelled in Odoo and Magento now agrees: the order is over. */
class CanceledInOdoo extends Error {}

/**
 * A workflow cancellation request (the Temporal UI's "Request Cancellation", `temporal workflow
 * cancel`, a client's handle.cancel()) is the business cancel, not Temporal's: cancelling the
 * running step would leave the order half-done in both systems. So the lifecycle runs in a
 * scope the request cannot cancel, the request becomes a `cancel` with the same verdict rules
 * (refused once shipped, a credit memo once invoiced), and a refused one is recorded while the
 * order carries on.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const cancelRequested = CancellationScope.current().cancelRequested;
  return CancellationScope.nonCancellable(() => orderLifecycle(input, cancelRequested));
}

/**
 * The order's life: import (and confirm), fulfilment rounds until both sides agree it is done,
 * then the refund window; a cancel, from wherever it comes, ends it early. State and message
 * handlers live in OrderRun (order-run.ts).
 */
async function orderLifecycle(input: OrderWorkflowInput, cancelRequested: Promise<never>): Promise<OrderStatus> {
  const withCreditMemos = patched(CREDIT_MEMOS_PATCH);
  const run = new OrderRun(input, cancelRequested);
  const { status, ref } = run;
  let fullyRefunded = false;

  /** The order's fingerprint; undefined when the check itself failed (the full round reports why). */
  async function fingerprint(): Promise<string | undefined> {
    try {
      return await acts.orderFingerprint(run.odooRef());
    } catch (err) {
      if (err instanceof ActivityFailure) return undefined;
      throw err;
    }
  }

  run.publish();
  // A run continued-as-new during the refund window goes straight back to waiting in it.
  const resumingFollowUp = status.followUpUntil !== undefined && (status.phase === 'complete' || status.phase === 'refunded');
  try {
    if (!resumingFollowUp) await importAndFulfil();
  } catch (err) {
    if (err instanceof CanceledInOdoo) {
      await condition(allHandlersFinished);
      return status;
    }
    if (!(err instanceof CancelRequested)) throw err;
    await runCancel();
    await condition(allHandlersFinished);
    return status;
  }
  const followUpDays = status.followUpDays ?? 0;
  if (withCreditMemos && status.followUpUntil === undefined && followUpDays > 0 && (status.phase === 'complete' || status.phase === 'refunded')) {
    status.followUpUntil = new Date(Date.now() + followUpDays * DAY).toISOString();
    run.publish();
  }
  if (withCreditMemos && status.followUpUntil !== undefined) await followUp(Date.parse(status.followUpUntil));
  await condition(allHandlersFinished);
  return status;

  async function importAndFulfil(): Promise<void> {
    // 1. Import, once the Magento status is one the channel imports.
    while (status.odooOrderId === undefined) {
      const imported = await run.step('import order into Odoo', () => acts.importOrder(ref));
      status.magentoOrderId = imported.magentoOrderId;
      status.magentoStatus = imported.magentoStatus;
      status.paymentKind = imported.paymentKind;
      // Results recorded before the setting existed have no followUpDays: no window for them.
      status.followUpDays = imported.followUpDays ?? 0;
      if (imported.outcome === 'canceled_before_import' && patched(IMPORT_STATUSES_PATCH)) {
        run.note('import order into Odoo', 'info', 'canceled in Magento before it was imported: nothing to bring into Odoo');
        run.setPhase('canceled');
        return;
      }
      if (imported.outcome === 'not_importable') {
        run.note('import order into Odoo', 'info', `Magento status "${imported.magentoStatus}" is not imported on this channel; waiting`);
        run.setPhase('waiting_for_status');
        await run.waitForProgress();
        await run.maybeContinueAsNew();
        continue;
      }
      status.odooOrderId = imported.odooOrderId;
      status.odooOrderName = imported.odooOrderName;
      // Held before the import: imported, then kept on hold until Magento releases it.
      if (imported.magentoStatus === 'holded' && patched(IMPORT_STATUSES_PATCH)) run.onHold = true;
      // 2. Confirm (creates the delivery in Odoo); the import did it unless it says otherwise.
      const confirmedByImport = imported.confirmed === true && patched(IMPORT_CONFIRMS_PATCH);
      if (!(run.leanPublish && confirmedByImport)) run.setPhase('confirming');
      if (imported.autoConfirm && !confirmedByImport) await run.step('confirm Odoo order', () => acts.confirmOrder(run.odooRef()));
    }

    // 3. Fulfilment and invoicing, until both sides agree the order is done.
    run.setPhase('fulfilling');
    const quietPolls = patched(QUIET_POLLS_PATCH);
    const fingerprintFirst = quietPolls && patched(FINGERPRINT_FIRST_PATCH);
    // The import just read the current addresses: only later edits need a look.
    run.magentoEdited = false;
    if (patched(WAKE_CLEARED_PATCH)) run.wake = false;
    for (;;) {
      // Magento refuses shipments and invoices on a held order: wait for the unhold (or a cancel)
      // instead of parking the order on an error that is not one.
      if (run.onHold) {
        run.setPhase('on_hold');
        run.note('hold', 'info', 'held in Magento; waiting for unhold');
        await condition(() => !run.onHold || run.cancelPending !== undefined);
        if (run.cancelPending !== undefined) throw new CancelRequested();
        run.setPhase('fulfilling');
      }
      if (run.magentoEdited && patched(ADDRESS_EDITS_PATCH)) {
        run.magentoEdited = false;
        const edits = await run.step('sync address edits', () => acts.syncAddresses(run.odooRef()));
        for (const action of edits.actions) run.note('sync address edits', 'info', action);
      }
      const round = patched(FULFIL_ROUND_PATCH) ? await fulfilmentRound() : await separateSteps(fingerprintFirst);
      const { seenBefore, shipments } = round;
      if (shipments.odooCanceled && patched(ODOO_CANCEL_PATCH)) {
        // Parks (nothing written) when goods already shipped; a retry after ops reopened the
        // Odoo order finds it open and fulfilment goes on.
        const mirrored = await run.step('mirror the Odoo cancel to Magento', () => acts.mirrorOdooCancel(run.odooRef()));
        if (mirrored.outcome === 'still_open') continue;
        status.cancel = { reason: 'cancelled in Odoo', verdict: mirrored };
        run.note('mirror the Odoo cancel to Magento', 'info', mirrored.detail);
        run.setPhase(mirrored.outcome === 'credit_memo' ? 'refunded' : 'canceled');
        // the "cancelled in Odoo" comment and the final Magento status on the Odoo order
        if (patched(STATUS_SYNC_PATCH)) await syncOrderStatus();
        throw new CanceledInOdoo();
      }
      if (shipments.created.length) {
        status.shipmentsPushed.push(...shipments.created);
        if (round.invoices && patched(ROUND_AGAIN_AFTER_SHIPMENTS_PATCH)) run.wake = true;
      }
      const invoices = round.invoices ?? (await run.step('sync invoices and payments', () => acts.syncInvoices(run.odooRef())));
      if (invoices.actions.length) {
        status.invoiceActions.push(...invoices.actions);
        for (const action of invoices.actions) run.note('sync invoices and payments', 'info', action);
      }
      if (round.creditMemos) fullyRefunded = noteCreditMemos(round.creditMemos);
      // Refunds can come before the order is complete (a partial refund of an item that is out
      // of stock); they are mirrored as soon as they appear.
      else if (withCreditMemos) fullyRefunded = await syncCreditMemos();
      if (round.status) noteStatus(round.status);
      else if (patched(STATUS_SYNC_PATCH)) await syncOrderStatus();
      const done = shipments.fullyShipped && invoices.settled;
      // (one upsert for the round's news and the final phase together)
      if (!(run.leanPublish && done)) run.publish();
      if (done) {
        run.setPhase(fullyRefunded ? 'refunded' : 'complete');
        break;
      }
      if (fingerprintFirst) {
        // Our own writes in this round count as news too: the next timed poll runs one more
        // round, which writes nothing and so sets a baseline that holds.
        await run.waitForChange(seenBefore, fingerprint);
      } else if (quietPolls) {
        // Runs started before FINGERPRINT_FIRST_PATCH replay as they ran.
        await run.waitForChange(await fingerprint(), fingerprint);
      } else {
        await run.waitForProgress();
      }
      await run.maybeContinueAsNew();
    }
  }

  interface RoundSoFar { seenBefore: string | undefined; shipments: ShipmentSyncResult; invoices?: InvoiceSyncResult; creditMemos?: CreditMemoSyncResult; status?: StatusSyncResult }

  /** one round as one activity; its parts are noted as the separate steps were */
  async function fulfilmentRound(): Promise<RoundSoFar> {
    const round = await run.step('fulfilment round', () => acts.fulfilOrder(run.odooRef()), false);
    run.note('push deliveries as Magento shipments', 'ok', '');
    if (round.invoices) run.note('sync invoices and payments', 'ok', '');
    if (round.creditMemos) run.note('sync credit memos', 'ok', '');
    if (round.status) run.note('sync order status', 'ok', '');
    return { seenBefore: round.fingerprint, shipments: round.shipments, invoices: round.invoices, creditMemos: round.creditMemos, status: round.status };
  }

  /** the round as runs from before FULFIL_ROUND_PATCH made it, step by step */
  async function separateSteps(fingerprintFirst: boolean): Promise<RoundSoFar> {
    const seenBefore = fingerprintFirst ? await fingerprint() : undefined;
    const shipments = await run.step('push deliveries as Magento shipments', () => acts.syncShipments(run.odooRef()));
    // Those runs looked again at once after pushing shipments.
    if (shipments.created.length && !shipments.odooCanceled) run.wake = true;
    return { seenBefore, shipments };
  }

  async function syncOrderStatus(): Promise<void> {
    noteStatus(await run.step('sync order status', () => acts.syncOrderStatus(run.odooRef())));
  }

  function noteStatus(result: StatusSyncResult): void {
    for (const action of result.actions) run.note('sync order status', 'info', action);
  }

  async function syncCreditMemos(): Promise<boolean> {
    return noteCreditMemos(await run.step('sync credit memos', () => acts.syncCreditMemos(run.odooRef())));
  }

  function noteCreditMemos(result: CreditMemoSyncResult): boolean {
    // "Waiting for ..." repeats on every poll until it resolves: each text is kept once.
    const fresh = result.actions.filter((a) => !status.creditMemoActions.includes(a));
    if (fresh.length) {
      status.creditMemoActions.push(...fresh);
      for (const action of fresh) run.note('sync credit memos', 'info', action);
    }
    return result.fullyRefunded;
  }

  /**
   * After completion the order stays open until `until` (merchants refund weeks later): each
   * magentoChanged or odooProgress signal (the poller sees a new credit memo, Odoo posts a
   * credit note) mirrors refunds again. No polling here: a completed order costs nothing while
   * it waits. History stays bounded by continue-as-new, which carries `followUpUntil`.
   */
  async function followUp(until: number): Promise<void> {
    run.wake = false;
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) return;
      if (!(await condition(() => run.wake || run.cancelPending !== undefined, left))) return;
      if (run.cancelPending !== undefined) {
        // Nothing is left to cancel once the order is complete: money goes back by credit memo.
        const detail = `order ${input.incrementId} is ${status.phase}: refund it with a credit memo in Magento or Odoo instead`;
        status.cancel = { reason: run.cancelPending, verdict: { accepted: false, outcome: 'refused', detail } };
        run.note('cancel order', 'info', detail);
        run.cancelPending = undefined;
      }
      if (!run.wake) continue;
      run.wake = false;
      try {
        fullyRefunded = await syncCreditMemos();
        run.setPhase(fullyRefunded ? 'refunded' : 'complete');
      } catch (err) {
        // A cancel sent while the sync was parked: refused at the top of the loop, then the
        // sync runs again.
        if (!(err instanceof CancelRequested)) throw err;
        run.wake = true;
      }
      if (workflowInfo().continueAsNewSuggested) await run.continueAsNew();
    }
  }

  async function runCancel(): Promise<void> {
    const reason = run.cancelPending!;
    let verdict: CancelVerdict;
    const cancelInput = { ...ref, magentoOrderId: status.magentoOrderId, odooOrderId: status.odooOrderId, reason };
    run.cancelPending = undefined;
    try {
      verdict = await run.step('cancel order', () => acts.cancelOrder(cancelInput));
    } catch (err) {
      if (err instanceof CancelRequested) return runCancel();
      throw err;
    }
    status.cancel = { reason, verdict };
    run.note('cancel order', verdict.accepted ? 'ok' : 'info', verdict.detail);
    if (verdict.accepted) {
      run.setPhase(verdict.outcome === 'credit_memo' ? 'refunded' : 'canceled');
      return;
    }
    // Refused (something shipped): the order goes on as before, in a fresh run that re-enters
    // the fulfilment loop, so there is one code path for it and the history starts small.
    run.publish();
    await run.continueAsNew();
  }
}

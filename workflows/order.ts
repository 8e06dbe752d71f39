import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, patched, proxyActivities, setHandler,
  upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CancelVerdict, CreditMemoSyncResult, InvoiceSyncResult, OrderRef, ShipmentSyncResult, StatusSyncResult } from '../activities/orders/contracts';
import {
  cancelSignal, cancelUpdate, magentoChangedSignal, odooProgressSignal, retrySignal, statusQuery,
  type OrderPhase, type OrderStatus, type StepOutcome,
} from './order-messages';
import { Channel, MagentoOrder, NeedsAttention, OdooOrder, OrderState } from './search-attributes';

// Transient faults (5xx, 429, timeouts) retry without end, with backoff capped at 5 minutes: an
// order must never be dropped because Odoo was down for an afternoon. Bad data fails at once,
// non-retryable, and parks the order below.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // The activities heartbeat every 5 s (keepAlive): a worker killed mid-step is noticed in 20 s.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const MAX_STEPS_KEPT = 40;
const FIRST_POLL = 60_000;
const LONGEST_POLL = 30 * 60_000;
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
// One fulfilment round is one activity (fingerprint, shipments, invoices, credit memos, status),
// and pushing shipments no longer wakes a second round at once: the round's later parts saw them.
const FULFIL_ROUND_PATCH = 'order-fulfilment-round';
// Search attributes and the memo are written only when they change: each upsert is a visibility
// write on the server, and they were half of what a lifecycle cost Temporal (bench: 100 no-op
// lifecycles 9.1 s with every upsert, about 4 s without them).
const LEAN_PUBLISH_PATCH = 'order-lean-publish';

export interface OrderWorkflowInput extends OrderRef {
  /** carried over by continue-as-new */
  carry?: OrderStatus;
  /** the first (shortest) poll interval while fulfilling, in ms; default one minute (tests use less) */
  firstPollMs?: number;
}

class CancelRequested extends Error {}
/** The sale order was cancelled in Odoo and Magento now agrees: the order is over. */
class CanceledInOdoo extends Error {}

/** the cancel reason recorded when the workflow itself is asked to cancel */
export const TEMPORAL_CANCEL_REASON = 'requested in the Temporal UI';

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

async function orderLifecycle(input: OrderWorkflowInput, cancelRequested: Promise<never>): Promise<OrderStatus> {
  const status: OrderStatus = input.carry ?? {
    channel: input.channel, incrementId: input.incrementId, phase: 'importing', shipmentsPushed: [], invoiceActions: [], creditMemoActions: [], steps: [],
  };
  // A state carried over from a run that predates credit memos.
  status.creditMemoActions ??= [];
  const withCreditMemos = patched(CREDIT_MEMOS_PATCH);
  let fullyRefunded = false;
  const ref: OrderRef = { channel: input.channel, incrementId: input.incrementId };
  let retryRequested = false;
  let wake = false;
  let onHold = status.magentoStatus === 'holded';
  // Magento said the order changed (the poller sees address edits only as a new updated_at).
  let magentoEdited = false;
  let cancelPending: string | undefined = status.cancel && !status.cancel.verdict ? status.cancel.reason : undefined;

  setHandler(statusQuery, () => status);
  setHandler(retrySignal, () => {
    retryRequested = true;
  });
  setHandler(odooProgressSignal, () => {
    wake = true;
  });
  const requestCancel = (reason: string) => {
    // One request at a time; after a refusal (something shipped) ops may ask again later.
    if (cancelPending === undefined && !status.cancel?.verdict?.accepted) {
      cancelPending = reason;
      status.cancel = { reason };
    }
  };
  setHandler(cancelSignal, ({ reason }) => requestCancel(reason));
  // the same path as the `cancel` signal: in the refund window it is refused and recorded there
  cancelRequested.catch(() => requestCancel(TEMPORAL_CANCEL_REASON));
  setHandler(magentoChangedSignal, (change) => {
    wake = true;
    magentoEdited = true;
    if (change.status) {
      status.magentoStatus = change.status;
      onHold = change.status === 'holded';
    }
    // Cancelled in the Magento admin: the same path as an ops cancel, so it is refused once
    // something shipped and becomes a credit memo once invoiced.
    if (change.status === 'canceled' && !isFinal(status.phase)) requestCancel('canceled in Magento');
  });
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      requestCancel(reason);
      await condition(() => status.cancel?.verdict !== undefined);
      return status.cancel!.verdict!;
    },
    {
      validator: ({ reason }) => {
        if (!reason?.trim()) throw new Error('a cancel needs a reason');
        if (isFinal(status.phase)) throw new Error(`order ${input.incrementId} is already ${status.phase}`);
      },
    },
  );

  const note = (step: string, outcome: StepOutcome['outcome'], detail: string) => {
    status.steps.push({ step, outcome, detail, at: new Date(Date.now()).toISOString() });
    if (status.steps.length > MAX_STEPS_KEPT) status.steps.splice(0, status.steps.length - MAX_STEPS_KEPT);
  };

  const lean = patched(LEAN_PUBLISH_PATCH);
  let publishedAttributes = '';
  let publishedSummary = '';
  const publish = () => {
    const attributes = [
      { key: Channel, value: input.channel },
      { key: MagentoOrder, value: input.incrementId },
      { key: OrderState, value: status.phase },
      { key: NeedsAttention, value: status.phase === 'needs_attention' },
      ...(status.odooOrderName ? [{ key: OdooOrder, value: status.odooOrderName }] : []),
    ];
    const summary = status.attention
      ? `needs attention at ${status.attention.step}: ${status.attention.reason}`
      : `${status.phase}${status.odooOrderName ? ` as ${status.odooOrderName}` : ''}${status.shipmentsPushed.length ? `, ${status.shipmentsPushed.length} shipment(s)` : ''}`;
    const memo = `Magento ${input.incrementId}: ${summary}`.slice(0, 300);
    const attributesKey = JSON.stringify([status.phase, status.odooOrderName ?? null]);
    if (!lean || attributesKey !== publishedAttributes) upsertSearchAttributes(attributes);
    if (!lean || memo !== publishedSummary) upsertMemo({ summary: memo });
    publishedAttributes = attributesKey;
    publishedSummary = memo;
  };

  const setPhase = (phase: OrderPhase) => {
    status.phase = phase;
    publish();
  };

  /**
   * Runs one step. A non-retryable failure parks the order with its reason until ops send
   * `retry` (the step then runs again on current data) or cancel it. A step made of parts (the
   * fulfilment round) parks under the name of the part that failed.
   */
  async function step<T>(name: string, run: () => Promise<T>, noteOk = true): Promise<T> {
    for (;;) {
      if (cancelPending !== undefined) throw new CancelRequested();
      try {
        const result = await run();
        if (noteOk) note(name, 'ok', '');
        return result;
      } catch (err) {
        const reason = nonRetryableReason(err);
        if (reason === null) throw err;
        const resumeAt = status.phase;
        const where = failedPart(err) ?? name;
        status.attention = { step: where, reason, since: new Date(Date.now()).toISOString() };
        note(where, 'parked', reason);
        setPhase('needs_attention');
        retryRequested = false;
        await condition(() => retryRequested || cancelPending !== undefined);
        status.attention = undefined;
        setPhase(resumeAt);
        if (cancelPending !== undefined) throw new CancelRequested();
        note(name, 'info', 'retry requested');
      }
    }
  }

  /** Waits for a signal or the next poll, whichever comes first; true when something woke it. */
  const firstPoll = input.firstPollMs ?? FIRST_POLL;
  let pollDelay = firstPoll;
  async function waitForProgress(): Promise<boolean> {
    const signalled = await condition(() => wake || cancelPending !== undefined, pollDelay);
    wake = false;
    pollDelay = signalled ? firstPoll : Math.min(pollDelay * 2, LONGEST_POLL);
    if (cancelPending !== undefined) throw new CancelRequested();
    return signalled;
  }

  /**
   * Between two full rounds: waits for a signal, or for a timed poll that finds the order changed
   * since `seen` (its fingerprint after the last round). A quiet poll costs 1 Magento and at most
   * 3 Odoo reads instead of a round. Any failure of the cheap check just runs the full round,
   * which reports it properly.
   */
  async function waitForChange(seen: string | undefined): Promise<void> {
    for (;;) {
      const signalled = await waitForProgress();
      if (signalled || seen === undefined) return;
      const now = await fingerprint();
      if (now === undefined || now !== seen) return;
      status.quietPolls = (status.quietPolls ?? 0) + 1;
      await maybeContinueAsNew();
    }
  }

  /** The order's fingerprint; undefined when the check itself failed (the full round reports why). */
  async function fingerprint(): Promise<string | undefined> {
    try {
      return await acts.orderFingerprint(odooRef());
    } catch (err) {
      if (err instanceof ActivityFailure) return undefined;
      throw err;
    }
  }

  async function maybeContinueAsNew(): Promise<void> {
    if (!workflowInfo().continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof orderWorkflow>({ ...ref, carry: status });
  }

  publish();
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
    publish();
  }
  if (withCreditMemos && status.followUpUntil !== undefined) await followUp(Date.parse(status.followUpUntil));
  await condition(allHandlersFinished);
  return status;

  async function importAndFulfil(): Promise<void> {
    // 1. Import, once the Magento status is one the channel imports.
    while (status.odooOrderId === undefined) {
      const imported = await step('import order into Odoo', () => acts.importOrder(ref));
      status.magentoOrderId = imported.magentoOrderId;
      status.magentoStatus = imported.magentoStatus;
      status.paymentKind = imported.paymentKind;
      // Results recorded before the setting existed have no followUpDays: no window for them.
      status.followUpDays = imported.followUpDays ?? 0;
      if (imported.outcome === 'canceled_before_import' && patched(IMPORT_STATUSES_PATCH)) {
        note('import order into Odoo', 'info', 'canceled in Magento before it was imported: nothing to bring into Odoo');
        setPhase('canceled');
        return;
      }
      if (imported.outcome === 'not_importable') {
        note('import order into Odoo', 'info', `Magento status "${imported.magentoStatus}" is not imported on this channel; waiting`);
        setPhase('waiting_for_status');
        await waitForProgress();
        await maybeContinueAsNew();
        continue;
      }
      status.odooOrderId = imported.odooOrderId;
      status.odooOrderName = imported.odooOrderName;
      // Held before the import: imported, then kept on hold until Magento releases it.
      if (imported.magentoStatus === 'holded' && patched(IMPORT_STATUSES_PATCH)) onHold = true;
      // 2. Confirm (creates the delivery in Odoo); the import did it unless it says otherwise.
      const confirmedByImport = imported.confirmed === true && patched(IMPORT_CONFIRMS_PATCH);
      if (!(lean && confirmedByImport)) setPhase('confirming');
      if (imported.autoConfirm && !confirmedByImport) await step('confirm Odoo order', () => acts.confirmOrder(odooRef()));
    }

    // 3. Fulfilment and invoicing, until both sides agree the order is done.
    setPhase('fulfilling');
    const quietPolls = patched(QUIET_POLLS_PATCH);
    const fingerprintFirst = quietPolls && patched(FINGERPRINT_FIRST_PATCH);
    // The import just read the current addresses: only later edits need a look.
    magentoEdited = false;
    if (patched(WAKE_CLEARED_PATCH)) wake = false;
    for (;;) {
      // Magento refuses shipments and invoices on a held order: wait for the unhold (or a cancel)
      // instead of parking the order on an error that is not one.
      if (onHold) {
        setPhase('on_hold');
        note('hold', 'info', 'held in Magento; waiting for unhold');
        await condition(() => !onHold || cancelPending !== undefined);
        if (cancelPending !== undefined) throw new CancelRequested();
        setPhase('fulfilling');
      }
      if (magentoEdited && patched(ADDRESS_EDITS_PATCH)) {
        magentoEdited = false;
        const edits = await step('sync address edits', () => acts.syncAddresses(odooRef()));
        for (const action of edits.actions) note('sync address edits', 'info', action);
      }
      const round = patched(FULFIL_ROUND_PATCH) ? await fulfilmentRound() : await separateSteps(fingerprintFirst);
      const { seenBefore, shipments } = round;
      if (shipments.odooCanceled && patched(ODOO_CANCEL_PATCH)) {
        // Parks (nothing written) when goods already shipped; a retry after ops reopened the
        // Odoo order finds it open and fulfilment goes on.
        const mirrored = await step('mirror the Odoo cancel to Magento', () => acts.mirrorOdooCancel(odooRef()));
        if (mirrored.outcome === 'still_open') continue;
        status.cancel = { reason: 'cancelled in Odoo', verdict: mirrored };
        note('mirror the Odoo cancel to Magento', 'info', mirrored.detail);
        setPhase(mirrored.outcome === 'credit_memo' ? 'refunded' : 'canceled');
        // the "cancelled in Odoo" comment and the final Magento status on the Odoo order
        if (patched(STATUS_SYNC_PATCH)) await syncOrderStatus();
        throw new CanceledInOdoo();
      }
      if (shipments.created.length) status.shipmentsPushed.push(...shipments.created);
      const invoices = round.invoices ?? (await step('sync invoices and payments', () => acts.syncInvoices(odooRef())));
      if (invoices.actions.length) {
        status.invoiceActions.push(...invoices.actions);
        for (const action of invoices.actions) note('sync invoices and payments', 'info', action);
      }
      if (round.creditMemos) fullyRefunded = noteCreditMemos(round.creditMemos);
      // Refunds can come before the order is complete (a partial refund of an item that is out
      // of stock); they are mirrored as soon as they appear.
      else if (withCreditMemos) fullyRefunded = await syncCreditMemos();
      if (round.status) noteStatus(round.status);
      else if (patched(STATUS_SYNC_PATCH)) await syncOrderStatus();
      const done = shipments.fullyShipped && invoices.settled;
      // (one upsert for the round's news and the final phase together)
      if (!(lean && done)) publish();
      if (done) {
        setPhase(fullyRefunded ? 'refunded' : 'complete');
        break;
      }
      if (fingerprintFirst) {
        // Our own writes in this round count as news too: the next timed poll runs one more
        // round, which writes nothing and so sets a baseline that holds.
        await waitForChange(seenBefore);
      } else if (quietPolls) {
        // Runs started before FINGERPRINT_FIRST_PATCH replay as they ran.
        await waitForChange(await fingerprint());
      } else {
        await waitForProgress();
      }
      await maybeContinueAsNew();
    }
  }

  interface RoundSoFar { seenBefore: string | undefined; shipments: ShipmentSyncResult; invoices?: InvoiceSyncResult; creditMemos?: CreditMemoSyncResult; status?: StatusSyncResult }

  /** one round as one activity; its parts are noted as the separate steps were */
  async function fulfilmentRound(): Promise<RoundSoFar> {
    const round = await step('fulfilment round', () => acts.fulfilOrder(odooRef()), false);
    note('push deliveries as Magento shipments', 'ok', '');
    if (round.invoices) note('sync invoices and payments', 'ok', '');
    if (round.creditMemos) note('sync credit memos', 'ok', '');
    if (round.status) note('sync order status', 'ok', '');
    return { seenBefore: round.fingerprint, shipments: round.shipments, invoices: round.invoices, creditMemos: round.creditMemos, status: round.status };
  }

  /** the round as runs from before FULFIL_ROUND_PATCH made it, step by step */
  async function separateSteps(fingerprintFirst: boolean): Promise<RoundSoFar> {
    const seenBefore = fingerprintFirst ? await fingerprint() : undefined;
    const shipments = await step('push deliveries as Magento shipments', () => acts.syncShipments(odooRef()));
    // Those runs looked again at once after pushing shipments.
    if (shipments.created.length && !shipments.odooCanceled) wake = true;
    return { seenBefore, shipments };
  }

  async function syncOrderStatus(): Promise<void> {
    noteStatus(await step('sync order status', () => acts.syncOrderStatus(odooRef())));
  }

  function noteStatus(result: StatusSyncResult): void {
    for (const action of result.actions) note('sync order status', 'info', action);
  }

  async function syncCreditMemos(): Promise<boolean> {
    return noteCreditMemos(await step('sync credit memos', () => acts.syncCreditMemos(odooRef())));
  }

  function noteCreditMemos(result: CreditMemoSyncResult): boolean {
    // "Waiting for ..." repeats on every poll until it resolves: each text is kept once.
    const fresh = result.actions.filter((a) => !status.creditMemoActions.includes(a));
    if (fresh.length) {
      status.creditMemoActions.push(...fresh);
      for (const action of fresh) note('sync credit memos', 'info', action);
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
    wake = false;
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) return;
      if (!(await condition(() => wake || cancelPending !== undefined, left))) return;
      if (cancelPending !== undefined) {
        // Nothing is left to cancel once the order is complete: money goes back by credit memo.
        const detail = `order ${input.incrementId} is ${status.phase}: refund it with a credit memo in Magento or Odoo instead`;
        status.cancel = { reason: cancelPending, verdict: { accepted: false, outcome: 'refused', detail } };
        note('cancel order', 'info', detail);
        cancelPending = undefined;
      }
      if (!wake) continue;
      wake = false;
      try {
        fullyRefunded = await syncCreditMemos();
        setPhase(fullyRefunded ? 'refunded' : 'complete');
      } catch (err) {
        // A cancel sent while the sync was parked: refused at the top of the loop, then the
        // sync runs again.
        if (!(err instanceof CancelRequested)) throw err;
        wake = true;
      }
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof orderWorkflow>({ ...ref, carry: status });
      }
    }
  }

  function odooRef() {
    return { ...ref, magentoOrderId: status.magentoOrderId!, odooOrderId: status.odooOrderId! };
  }

  async function runCancel(): Promise<void> {
    const reason = cancelPending!;
    let verdict: CancelVerdict;
    const cancelInput = { ...ref, magentoOrderId: status.magentoOrderId, odooOrderId: status.odooOrderId, reason };
    cancelPending = undefined;
    try {
      verdict = await step('cancel order', () => acts.cancelOrder(cancelInput));
    } catch (err) {
      if (err instanceof CancelRequested) return runCancel();
      throw err;
    }
    status.cancel = { reason, verdict };
    note('cancel order', verdict.accepted ? 'ok' : 'info', verdict.detail);
    if (verdict.accepted) {
      setPhase(verdict.outcome === 'credit_memo' ? 'refunded' : 'canceled');
      return;
    }
    // Refused (something shipped): the order goes on as before, in a fresh run that re-enters
    // the fulfilment loop, so there is one code path for it and the history starts small.
    publish();
    await condition(allHandlersFinished);
    await continueAsNew<typeof orderWorkflow>({ ...ref, carry: status });
  }
}

function isFinal(phase: OrderPhase): boolean {
  return phase === 'complete' || phase === 'canceled' || phase === 'refunded';
}

/** The part of a fulfilment round that failed (activities/orders/fulfilOrder.ts puts it in the details). */
function failedPart(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const detail = cause instanceof ApplicationFailure ? (cause.details?.[0] as { part?: unknown } | undefined) : undefined;
  return typeof detail?.part === 'string' ? detail.part : undefined;
}

/** The readable reason when the failure is one retrying cannot fix; null for anything else. */
function nonRetryableReason(err: unknown): string | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return cause.message;
  return null;
}

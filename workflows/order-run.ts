import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OdooOrderRef, OrderRef } from '../activities/orders/contracts';
import {
  cancelSignal,
  cancelUpdate,
  magentoChangedSignal,
  odooProgressSignal,
  retrySignal,
  statusQuery,
  type OrderPhase,
  type OrderStatus,
  type StepOutcome,
} from './order-messages';
import { Channel, MagentoOrder, NeedsAttention, OdooOrder, OrderState } from './search-attributes';

const MAX_STEPS_KEPT = 40;
const FIRST_POLL = 60_000;
const LONGEST_POLL = 30 * 60_000;
// Search attributes and the memo are written only when they change: each upsert is a visibility
// write on the server, and they were half of what a lifecycle cost Temporal (bench: 100 no-op
// lifecycles 9.1 s with every upsert, about 4 s without them).
const LEAN_PUBLISH_PATCH = 'order-lean-publish';

/** the cancel reason recorded when the workflow itself is asked to cancel */
export const TEMPORAL_CANCEL_REASON = 'requested in the Temporal UI';

export interface OrderWorkflowInput extends OrderRef {
  /** carried over by continue-as-new */
  carry?: OrderStatus;
  /** the first (shortest) poll interval while fulfilling, in ms; default one minute (tests use less) */
  firstPollMs?: number;
}

/** A cancel is pending: the flow leaves what it was doing and runs the cancel. */
export class CancelRequested extends Error {}

/**
 * One order workflow's state and message handlers (the status query, retry, cancel, Magento and
 * Odoo wake-ups), and the few moves every part of the flow makes: note a step, publish the
 * phase, run a step that parks on bad data, wait for news. The flow itself is in order.ts.
 */
export class OrderRun {
  readonly status: OrderStatus;
  readonly ref: OrderRef;
  retryRequested = false;
  /** a signal said something happened; the next wait returns at once */
  wake = false;
  onHold: boolean;
  /** Magento said the order changed (the poller sees address edits only as a new updated_at) */
  magentoEdited = false;
  cancelPending: string | undefined;
  private readonly lean: boolean;
  private publishedAttributes = '';
  private publishedSummary = '';
  private readonly firstPoll: number;
  private pollDelay: number;

  constructor(
    private readonly input: OrderWorkflowInput,
    cancelRequested: Promise<never>,
  ) {
    const status: OrderStatus = input.carry ?? {
      channel: input.channel,
      incrementId: input.incrementId,
      phase: 'importing',
      shipmentsPushed: [],
      invoiceActions: [],
      creditMemoActions: [],
      steps: [],
    };
    // A state carried over from a run that predates credit memos.
    status.creditMemoActions ??= [];
    this.status = status;
    this.ref = { channel: input.channel, incrementId: input.incrementId };
    this.onHold = status.magentoStatus === 'holded';
    this.cancelPending = status.cancel && !status.cancel.verdict ? status.cancel.reason : undefined;
    this.firstPoll = input.firstPollMs ?? FIRST_POLL;
    this.pollDelay = this.firstPoll;

    setHandler(statusQuery, () => this.status);
    setHandler(retrySignal, () => {
      this.retryRequested = true;
    });
    setHandler(odooProgressSignal, () => {
      this.wake = true;
    });
    setHandler(cancelSignal, ({ reason }) => this.requestCancel(reason));
    // the same path as the `cancel` signal: in the refund window it is refused and recorded there
    cancelRequested.catch(() => this.requestCancel(TEMPORAL_CANCEL_REASON));
    setHandler(magentoChangedSignal, (change) => {
      this.wake = true;
      this.magentoEdited = true;
      if (change.status) {
        status.magentoStatus = change.status;
        this.onHold = change.status === 'holded';
      }
      // Cancelled in the Magento admin: the same path as an ops cancel, so it is refused once
      // something shipped and becomes a credit memo once invoiced.
      if (change.status === 'canceled' && !isFinal(status.phase)) this.requestCancel('canceled in Magento');
    });
    setHandler(
      cancelUpdate,
      async ({ reason }) => {
        this.requestCancel(reason);
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
    this.lean = patched(LEAN_PUBLISH_PATCH);
  }

  /** publishing as lean runs do (one upsert for what changed), or as older runs did */
  get leanPublish(): boolean {
    return this.lean;
  }

  requestCancel(reason: string): void {
    // One request at a time; after a refusal (something shipped) ops may ask again later.
    if (this.cancelPending === undefined && !this.status.cancel?.verdict?.accepted) {
      this.cancelPending = reason;
      this.status.cancel = { reason };
    }
  }

  note(step: string, outcome: StepOutcome['outcome'], detail: string): void {
    const steps = this.status.steps;
    steps.push({ step, outcome, detail, at: new Date(Date.now()).toISOString() });
    if (steps.length > MAX_STEPS_KEPT) steps.splice(0, steps.length - MAX_STEPS_KEPT);
  }

  publish(): void {
    const { status, input } = this;
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
    if (!this.lean || attributesKey !== this.publishedAttributes) upsertSearchAttributes(attributes);
    if (!this.lean || memo !== this.publishedSummary) upsertMemo({ summary: memo });
    this.publishedAttributes = attributesKey;
    this.publishedSummary = memo;
  }

  setPhase(phase: OrderPhase): void {
    this.status.phase = phase;
    this.publish();
  }

  /**
   * Runs one step. A non-retryable failure parks the order with its reason until ops send
   * `retry` (the step then runs again on current data) or cancel it. A step made of parts (the
   * fulfilment round) parks under the name of the part that failed.
   */
  async step<T>(name: string, run: () => Promise<T>, noteOk = true): Promise<T> {
    for (;;) {
      if (this.cancelPending !== undefined) throw new CancelRequested();
      try {
        const result = await run();
        if (noteOk) this.note(name, 'ok', '');
        return result;
      } catch (err) {
        const reason = nonRetryableReason(err);
        if (reason === null) throw err;
        const resumeAt = this.status.phase;
        const where = failedPart(err) ?? name;
        this.status.attention = { step: where, reason, since: new Date(Date.now()).toISOString() };
        this.note(where, 'parked', reason);
        this.setPhase('needs_attention');
        this.retryRequested = false;
        await condition(() => this.retryRequested || this.cancelPending !== undefined);
        this.status.attention = undefined;
        this.setPhase(resumeAt);
        if (this.cancelPending !== undefined) throw new CancelRequested();
        this.note(name, 'info', 'retry requested');
      }
    }
  }

  /** Waits for a signal or the next poll, whichever comes first; true when something woke it. */
  async waitForProgress(): Promise<boolean> {
    const signalled = await condition(() => this.wake || this.cancelPending !== undefined, this.pollDelay);
    this.wake = false;
    this.pollDelay = signalled ? this.firstPoll : Math.min(this.pollDelay * 2, LONGEST_POLL);
    if (this.cancelPending !== undefined) throw new CancelRequested();
    return signalled;
  }

  /**
   * Between two full rounds: waits for a signal, or for a timed poll that finds the order changed
   * since `seen` (its fingerprint after the last round). A quiet poll costs 1 Magento and at most
   * 3 Odoo reads instead of a round. Any failure of the cheap check just runs the full round,
   * which reports it properly.
   */
  async waitForChange(seen: string | undefined, fingerprint: () => Promise<string | undefined>): Promise<void> {
    for (;;) {
      const signalled = await this.waitForProgress();
      if (signalled || seen === undefined) return;
      const now = await fingerprint();
      if (now === undefined || now !== seen) return;
      this.status.quietPolls = (this.status.quietPolls ?? 0) + 1;
      await this.maybeContinueAsNew();
    }
  }

  async maybeContinueAsNew(): Promise<void> {
    if (!workflowInfo().continueAsNewSuggested) return;
    await this.continueAsNew();
  }

  /** a fresh run with the same state, once every handler has finished */
  async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<(input: OrderWorkflowInput) => Promise<OrderStatus>>({ ...this.ref, carry: this.status });
  }

  odooRef(): OdooOrderRef {
    return { ...this.ref, magentoOrderId: this.status.magentoOrderId!, odooOrderId: this.status.odooOrderId! };
  }
}

export function isFinal(phase: OrderPhase): boolean {
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

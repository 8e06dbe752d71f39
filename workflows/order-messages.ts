import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelVerdict } from '../activities/orders/contracts';

/** Ops: "cancel this order" (fire and forget; the verdict shows in the status query). */
export const cancelSignal = defineSignal<[{ reason: string }]>('cancel');
/** The same, for callers that need the answer: accepted, or refused and why. */
export const cancelUpdate = defineUpdate<CancelVerdict, [{ reason: string }]>('requestCancel');
/** Ops fixed what parked the order (a mapping, a SKU): run the failed step again. */
export const retrySignal = defineSignal('retry');
/** The poller or a webhook saw the Magento order change (status, hold, address edit). */
export const magentoChangedSignal = defineSignal<[{ status?: string; updatedAt?: string }]>('magentoChanged');
/** Odoo progress (a validated delivery, a posted or paid invoice): look now instead of at the next poll. */
export const odooProgressSignal = defineSignal<[{ model?: string; id?: number }]>('odooProgress');

export type OrderPhase =
  | 'waiting_for_status' | 'importing' | 'confirming' | 'fulfilling' | 'on_hold'
  | 'complete' | 'canceled' | 'refunded' | 'needs_attention';

export interface StepOutcome { step: string; outcome: 'ok' | 'failed' | 'parked' | 'info'; detail: string; at: string }

export interface OrderStatus {
  channel: string;
  incrementId: string;
  phase: OrderPhase;
  magentoOrderId?: number;
  magentoStatus?: string;
  odooOrderId?: number;
  odooOrderName?: string;
  paymentKind?: 'online' | 'offline';
  shipmentsPushed: number[];
  invoiceActions: string[];
  /** what the credit memo sync did, both directions (absent in states carried from older runs) */
  creditMemoActions: string[];
  /** the channel's orders.followUpDays as import saw it; carried so continue-as-new keeps it */
  followUpDays?: number;
  /** ISO time the post-completion refund window closes (set when the order completes) */
  followUpUntil?: string;
  /** timed polls that found nothing new and so skipped the full round (see orderFingerprint) */
  quietPolls?: number;
  attention?: { step: string; reason: string; since: string };
  cancel?: { reason: string; verdict?: CancelVerdict };
  /** the last steps, newest last (older ones are in the event history) */
  steps: StepOutcome[];
}

export const statusQuery = defineQuery<OrderStatus>('status');

/**
 * The order workflow's type name (the function's name in workflows/order.ts): starters use it so
 * they need not import the workflow code; test/unit/module-graph.test.ts keeps the two equal.
 */
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

export function orderWorkflowId(channel: string, incrementId: string): string {
  return `order-${channel}-${incrementId}`;
}

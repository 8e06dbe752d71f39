import { ApplicationFailure } from '@temporalio/common';
import type { CreditMemoSyncResult, InvoiceSyncResult, OdooOrderRef, ShipmentSyncResult, StatusSyncResult } from './contracts';
import { toApplicationFailure } from './failures';
import type { OrderActivityContext } from './order-context';
import { orderFingerprint } from './orderFingerprint';
import { syncCreditMemos } from './syncCreditMemos';
import { syncInvoices } from './syncInvoices';
import { syncOrderStatus } from './syncOrderStatus';
import { syncShipments } from './syncShipments';

/** The parts of a fulfilment round, named as the order's steps show them. */
export const ROUND_PARTS = {
  shipments: 'push deliveries as Magento shipments',
  invoices: 'sync invoices and payments',
  creditMemos: 'sync credit memos',
  status: 'sync order status',
} as const;

export interface FulfilmentRound {
  /** the order's fingerprint as the round found it (undefined when it could not be taken) */
  fingerprint?: string;
  shipments: ShipmentSyncResult;
  /** absent when the sale order was cancelled in Odoo: the workflow mirrors that first */
  invoices?: InvoiceSyncResult;
  creditMemos?: CreditMemoSyncResult;
  status?: StatusSyncResult;
}

/**
 * One fulfilment round as one step: the fingerprint a later timed poll compares with, then
 * deliveries → Magento shipments, invoices and payments, credit memos and the status sync, in
 * the order the separate steps ran. One activity instead of five: each part reads what the
 * parts before it read (the activity's read scope answers a repeated read until something is
 * written), and the workflow pays one activity round-trip instead of five. Every part is
 * idempotent on its own, so a retry of the round redoes nothing that was done. A part that fails
 * on bad data names itself (the failure's details), and the order parks under that part's name.
 */
export function fulfilOrder(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<FulfilmentRound> {
  return fulfilmentRound({
    fingerprint: () => orderFingerprint(ctx, ref),
    shipments: () => syncShipments(ctx, ref),
    invoices: () => syncInvoices(ctx, ref),
    creditMemos: () => syncCreditMemos(ctx, ref),
    status: () => syncOrderStatus(ctx, ref),
  });
}

export interface RoundParts {
  fingerprint: () => Promise<string>;
  shipments: () => Promise<ShipmentSyncResult>;
  invoices: () => Promise<InvoiceSyncResult>;
  creditMemos: () => Promise<CreditMemoSyncResult>;
  status: () => Promise<StatusSyncResult>;
}

/** The round's order and failure naming, whatever its parts are (the workflow tests stub them). */
export async function fulfilmentRound(parts: RoundParts): Promise<FulfilmentRound> {
  // Taken before anything is written: a delivery validated while the round runs is still news to
  // the next timed poll. A fingerprint that fails is the parts' to report.
  const fingerprint = await parts.fingerprint().catch(() => undefined);
  const taken = fingerprint !== undefined ? { fingerprint } : {};
  const shipments = await part('shipments', parts.shipments);
  if (shipments.odooCanceled) return { ...taken, shipments };
  const invoices = await part('invoices', parts.invoices);
  const creditMemos = await part('creditMemos', parts.creditMemos);
  const status = await part('status', parts.status);
  return { ...taken, shipments, invoices, creditMemos, status };
}
async function part<T>(name: keyof typeof ROUND_PARTS, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const failure = toApplicationFailure(err);
    throw ApplicationFailure.create({
      message: failure.message,
      type: failure.type ?? undefined,
      nonRetryable: failure.nonRetryable === true,
      details: [{ part: ROUND_PARTS[name] }],
      ...(failure.nextRetryDelay != null ? { nextRetryDelay: failure.nextRetryDelay } : {}),
    });
  }
}

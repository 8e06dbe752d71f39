import { cancelOrder } from './cancelOrder';
import { confirmOrder, type ConfirmResult } from './confirmOrder';
import type { AddressSyncResult, CancelInput, CancelVerdict, CreditMemoSyncResult, ImportResult, InvoiceSyncResult, OdooOrderRef, OrderRef, ShipmentSyncResult, StatusSyncResult } from './contracts';
import { classified } from './failures';
import { keepAlive } from '../keep-alive';
import { fulfilOrder, type FulfilmentRound } from './fulfilOrder';
import { importOrder } from './importOrder';
import { mirrorOdooCancel, type OdooCancelResult } from './mirrorOdooCancel';
import { orderFingerprint } from './orderFingerprint';
import { createOrderContext, type OrderActivityDeps } from './order-context';
import { withReadScope } from '../../integrations/read-scope';
import { syncCreditMemos } from './syncCreditMemos';
import { syncAddresses } from './syncAddresses';
import { syncInvoices } from './syncInvoices';
import { syncOrderStatus } from './syncOrderStatus';
import { syncShipments } from './syncShipments';

export type { ConfirmResult } from './confirmOrder';
export type { FulfilmentRound } from './fulfilOrder';
export type { OdooCancelResult } from './mirrorOdooCancel';
export type { OrderActivityDeps } from './order-context';

/**
 * The order workflow's activities. Each is idempotent against Magento and Odoo themselves (it
 * reads before it writes and records every pair in the bindings table), and throws only
 * classified Temporal failures: non-retryable for bad data, retryable for transient faults.
 * Each heartbeats while it runs (keepAlive), so a killed worker's step is retried in seconds.
 */
export function createOrderActivities(deps: OrderActivityDeps) {
  const ctx = createOrderContext(deps);
  // each activity remembers its own reads until it writes (integrations/read-scope.ts)
  return withReadScope({
    importOrder: classified(keepAlive((ref: OrderRef): Promise<ImportResult> => importOrder(ctx, ref))),
    confirmOrder: classified(keepAlive((ref: OdooOrderRef): Promise<ConfirmResult> => confirmOrder(ctx, ref))),
    fulfilOrder: classified(keepAlive((ref: OdooOrderRef): Promise<FulfilmentRound> => fulfilOrder(ctx, ref))),
    // the round's parts as steps of their own: what runs started before the round replay with
    syncShipments: classified(keepAlive((ref: OdooOrderRef): Promise<ShipmentSyncResult> => syncShipments(ctx, ref))),
    syncInvoices: classified(keepAlive((ref: OdooOrderRef): Promise<InvoiceSyncResult> => syncInvoices(ctx, ref))),
    syncCreditMemos: classified(keepAlive((ref: OdooOrderRef): Promise<CreditMemoSyncResult> => syncCreditMemos(ctx, ref))),
    syncAddresses: classified(keepAlive((ref: OdooOrderRef): Promise<AddressSyncResult> => syncAddresses(ctx, ref))),
    cancelOrder: classified(keepAlive((input: CancelInput): Promise<CancelVerdict> => cancelOrder(ctx, input))),
    syncOrderStatus: classified(keepAlive((ref: OdooOrderRef): Promise<StatusSyncResult> => syncOrderStatus(ctx, ref))),
    mirrorOdooCancel: classified(keepAlive((ref: OdooOrderRef): Promise<OdooCancelResult> => mirrorOdooCancel(ctx, ref))),
    orderFingerprint: classified(keepAlive((ref: OdooOrderRef): Promise<string> => orderFingerprint(ctx, ref))),
  });
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

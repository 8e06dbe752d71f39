import { cancelOrder } from './cancelOrder';
import { confirmOrder, type ConfirmResult } from './confirmOrder';
import type { AddressSyncResult, CancelInput, CancelVerdict, CreditMemoSyncResult, ImportResult, InvoiceSyncResult, OdooOrderRef, OrderRef, ShipmentSyncResult, StatusSyncResult } from './contracts';
import { classified } from './failures';
import { importOrder } from './importOrder';
import { mirrorOdooCancel, type OdooCancelResult } from './mirrorOdooCancel';
import { orderFingerprint } from './orderFingerprint';
import { createOrderContext, type OrderActivityDeps } from './order-context';
import { syncCreditMemos } from './syncCreditMemos';
import { syncAddresses } from './syncAddresses';
import { syncInvoices } from './syncInvoices';
import { syncOrderStatus } from './syncOrderStatus';
import { syncShipments } from './syncShipments';

export type { ConfirmResult } from './confirmOrder';
export type { OdooCancelResult } from './mirrorOdooCancel';
export type { OrderActivityDeps } from './order-context';

/**
 * The order workflow's activities. Each is idempotent against Magento and Odoo themselves (it
 * reads before it writes and records every pair in the bindings table), and throws only
 * classified Temporal failures: non-retryable for bad data, retryable for transient faults.
 */
export function createOrderActivities(deps: OrderActivityDeps) {
  const ctx = createOrderContext(deps);
  return {
    importOrder: classified((ref: OrderRef): Promise<ImportResult> => importOrder(ctx, ref)),
    confirmOrder: classified((ref: OdooOrderRef): Promise<ConfirmResult> => confirmOrder(ctx, ref)),
    syncShipments: classified((ref: OdooOrderRef): Promise<ShipmentSyncResult> => syncShipments(ctx, ref)),
    syncInvoices: classified((ref: OdooOrderRef): Promise<InvoiceSyncResult> => syncInvoices(ctx, ref)),
    syncCreditMemos: classified((ref: OdooOrderRef): Promise<CreditMemoSyncResult> => syncCreditMemos(ctx, ref)),
    syncAddresses: classified((ref: OdooOrderRef): Promise<AddressSyncResult> => syncAddresses(ctx, ref)),
    cancelOrder: classified((input: CancelInput): Promise<CancelVerdict> => cancelOrder(ctx, input)),
    syncOrderStatus: classified((ref: OdooOrderRef): Promise<StatusSyncResult> => syncOrderStatus(ctx, ref)),
    mirrorOdooCancel: classified((ref: OdooOrderRef): Promise<OdooCancelResult> => mirrorOdooCancel(ctx, ref)),
    orderFingerprint: classified((ref: OdooOrderRef): Promise<string> => orderFingerprint(ctx, ref)),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

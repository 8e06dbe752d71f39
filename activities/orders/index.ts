import { cancelOrder } from './cancelOrder';
import { confirmOrder, type ConfirmResult } from './confirmOrder';
import type { AddressSyncResult, CancelInput, CancelVerdict, CreditMemoSyncResult, ImportResult, InvoiceSyncResult, OdooOrderRef, OrderRef, ShipmentSyncResult } from './contracts';
import { classified } from './failures';
import { importOrder } from './importOrder';
import { orderFingerprint } from './orderFingerprint';
import { createOrderContext, type OrderActivityDeps } from './order-context';
import { withReadScope } from './read-scope';
import { syncCreditMemos } from './syncCreditMemos';
import { syncAddresses } from './syncAddresses';
import { syncInvoices } from './syncInvoices';
import { syncShipments } from './syncShipments';

export type { ConfirmResult } from './confirmOrder';
export type { OrderActivityDeps } from './order-context';

/**
 * The order workflow's activities. Each is idempotent against Magento and Odoo themselves (it
 * reads before it writes and records every pair in the bindings table), and throws only
 * classified Temporal failures: non-retryable for bad data, retryable for transient faults.
 */
export function createOrderActivities(deps: OrderActivityDeps) {
  const ctx = createOrderContext(deps);
  // each activity remembers its own reads until it writes (read-scope.ts)
  return withReadScope({
    importOrder: classified((ref: OrderRef): Promise<ImportResult> => importOrder(ctx, ref)),
    confirmOrder: classified((ref: OdooOrderRef): Promise<ConfirmResult> => confirmOrder(ctx, ref)),
    syncShipments: classified((ref: OdooOrderRef): Promise<ShipmentSyncResult> => syncShipments(ctx, ref)),
    syncInvoices: classified((ref: OdooOrderRef): Promise<InvoiceSyncResult> => syncInvoices(ctx, ref)),
    syncCreditMemos: classified((ref: OdooOrderRef): Promise<CreditMemoSyncResult> => syncCreditMemos(ctx, ref)),
    syncAddresses: classified((ref: OdooOrderRef): Promise<AddressSyncResult> => syncAddresses(ctx, ref)),
    cancelOrder: classified((input: CancelInput): Promise<CancelVerdict> => cancelOrder(ctx, input)),
    orderFingerprint: classified((ref: OdooOrderRef): Promise<string> => orderFingerprint(ctx, ref)),
  });
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

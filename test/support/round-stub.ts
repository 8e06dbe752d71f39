import { fulfilmentRound, type FulfilmentRound } from '../../activities/orders/fulfilOrder';
import type { CreditMemoSyncResult, InvoiceSyncResult, OdooOrderRef, ShipmentSyncResult, StatusSyncResult } from '../../activities/orders/contracts';

interface StubParts {
  orderFingerprint: (ref: OdooOrderRef) => Promise<string>;
  syncShipments: (ref: OdooOrderRef) => Promise<ShipmentSyncResult>;
  syncInvoices: (ref: OdooOrderRef) => Promise<InvoiceSyncResult>;
  syncCreditMemos: (ref: OdooOrderRef) => Promise<CreditMemoSyncResult>;
  syncOrderStatus: (ref: OdooOrderRef) => Promise<StatusSyncResult>;
}

/**
 * A stubbed worker's fulfilOrder: the real round (its order of parts, its failure naming) made
 * of the worker's other stubbed activities, so a test scripts the parts as it did the steps.
 */
export function withFulfilmentRound<A extends StubParts>(activities: A): A & { fulfilOrder: (ref: OdooOrderRef) => Promise<FulfilmentRound> } {
  return {
    ...activities,
    fulfilOrder: (ref: OdooOrderRef) =>
      fulfilmentRound({
        fingerprint: () => activities.orderFingerprint(ref),
        shipments: () => activities.syncShipments(ref),
        invoices: () => activities.syncInvoices(ref),
        creditMemos: () => activities.syncCreditMemos(ref),
        status: () => activities.syncOrderStatus(ref),
      }),
  };
}

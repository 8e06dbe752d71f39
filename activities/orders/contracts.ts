// What the order activities take and give back. Plain data only: these values travel through
// Temporal's history, so they hold ids and short texts, never secrets or whole documents.

export interface OrderRef { channel: string; incrementId: string }

export type PaymentKind = 'online' | 'offline';

export interface ImportResult {
  /** not_importable: the Magento status is not one the channel imports (yet);
   * canceled_before_import: canceled in Magento before it reached Odoo, so it never will */
  outcome: 'imported' | 'already_imported' | 'not_importable' | 'canceled_before_import';
  magentoOrderId: number;
  magentoStatus: string;
  paymentKind: PaymentKind;
  autoConfirm: boolean;
  odooOrderId?: number;
  odooOrderName?: string;
  /** channel setting orders.followUpDays: how long the workflow waits for refunds after completion */
  followUpDays: number;
  /** the sale order is confirmed (the import confirmed it, or found it so); absent in results of
   * runs from before the import confirmed, which confirm in a step of their own */
  confirmed?: boolean;
}

export interface OdooOrderRef extends OrderRef { magentoOrderId: number; odooOrderId: number }

export interface ShipmentSyncResult {
  /** Magento shipment ids pushed by this call (or by an attempt of it whose answer was lost) */
  created: number[];
  /** every validated Odoo delivery now has its Magento shipment */
  fullyShipped: boolean;
  anyShipped: boolean;
  /** the sale order was cancelled in Odoo: nothing was pushed; the workflow mirrors the cancel */
  odooCanceled?: boolean;
}

export interface InvoiceSyncResult {
  /** what happened in this call, for the status view */
  actions: string[];
  /** every invoice exists on both sides and is paid */
  settled: boolean;
}

export interface CreditMemoSyncResult {
  /** what happened in this call, for the status view */
  actions: string[];
  /** everything Magento invoiced has been refunded (both sides agree): the order's money is all back */
  fullyRefunded: boolean;
}

export type CancelVerdict =
  | { accepted: true; outcome: 'canceled' | 'credit_memo'; detail: string }
  | { accepted: false; outcome: 'refused'; detail: string };

export interface CancelInput extends OrderRef { magentoOrderId?: number; odooOrderId?: number; reason: string }

export interface AddressSyncResult {
  /** what changed in Odoo, for the status view; empty when the addresses already agree */
  actions: string[];
}

export interface StatusSyncResult {
  /** milestone comments written to Magento and tag changes made in Odoo by this call */
  actions: string[];
}

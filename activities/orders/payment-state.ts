import type { Order } from '../../integrations/magento';
import type { PaymentKind } from './contracts';
import { OrderDataError } from './failures';

/**
 * How an order is paid, from Magento's money rather than the method's name. Pure: unit-tested in
 * test/unit/payment-state.test.ts.
 *
 * online: a gateway captured or authorised at checkout, Magento invoices, Odoo follows.
 * offline: the money comes later (cheque, transfer, cash on delivery), Odoo invoices.
 * paid: Magento holds the whole grand total as paid (total_paid, or the payment's amount_paid) —
 * an offline order marked paid in Magento (cash collected, cheque cashed) is paid in Odoo too.
 */

export interface PaymentMethodMapping { kind: PaymentKind; journal?: number | undefined }

export interface PaymentState {
  method: string;
  kind: PaymentKind;
  paid: boolean;
  /** what Magento holds as paid, in the order currency */
  paidAmount: number;
  /** how the kind was decided, for the status view */
  decidedBy: 'mapping' | 'core method' | 'money';
  /** the gateway's transaction id (payment.last_trans_id), for the Odoo payment's memo */
  transactionId?: string;
}

// Magento core's offline methods (Magento\OfflinePayments, "free" for zero totals).
const CORE_OFFLINE = new Set(['checkmo', 'banktransfer', 'cashondelivery', 'purchaseorder', 'free', 'companycredit']);
// Gateways shipped with 2.4.7 (Braintree, PayPal, Authorize.net via extensions most stores use).
const CORE_ONLINE = new Set(['braintree', 'braintree_paypal', 'braintree_cc_vault', 'paypal_express', 'payflowpro', 'payflow_advanced', 'payflow_link', 'hosted_pro', 'paypal_billing_agreement', 'authorizenet_acceptjs']);

const cents = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) : 0);

export function paymentStateOf(order: Order, mappings: Readonly<Record<string, PaymentMethodMapping>> = {}): PaymentState {
  const payment = order.payment;
  const method = (payment?.method ?? '').trim();
  const grand = cents(order.grand_total);
  const paidCents = Math.max(cents(order.total_paid), cents(payment?.amount_paid));
  const onlineCents = cents((payment as { base_amount_paid_online?: number | null } | undefined)?.base_amount_paid_online);
  const authorised = cents(payment?.amount_authorized);
  const paid = grand > 0 ? paidCents >= grand : true;
  const transactionId = payment?.last_trans_id?.trim() || undefined;
  const base = { method, paid, paidAmount: paidCents / 100, ...(transactionId ? { transactionId } : {}) };

  const mapped = mappings[method];
  if (mapped) return { ...base, kind: mapped.kind, decidedBy: 'mapping' };
  if (CORE_OFFLINE.has(method)) {
    // A gateway's money on an "offline" code is a store customisation: the money decides.
    return { ...base, kind: onlineCents > 0 ? 'online' : 'offline', decidedBy: onlineCents > 0 ? 'money' : 'core method' };
  }
  if (CORE_ONLINE.has(method)) return { ...base, kind: 'online', decidedBy: 'core method' };
  // An unknown method (a custom module, "bitcoin"): a gateway capture or authorisation says
  // online, but only a mapping says which journal and whether that is how the merchant books it.
  const seen = onlineCents > 0 || authorised > 0 ? `Magento shows it captured/authorised online (${((onlineCents || authorised) / 100).toFixed(2)})` : paidCents > 0 ? `Magento shows ${(paidCents / 100).toFixed(2)} paid` : 'Magento shows nothing paid yet';
  throw new OrderDataError(
    'UnmappedPaymentMethod',
    `order ${order.increment_id}: payment.method "${method || '(none)'}" is not a Magento core method and the channel does not map it (${seen}): ` +
      `set orders.paymentMethods.${method || '<code>'} to {"kind": "online"|"offline", "journal": <Odoo journal id>}, then retry`,
  );
}

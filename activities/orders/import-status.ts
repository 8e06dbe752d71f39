/**
 * When an order is imported, never whether (issue 10, class 5): the channel's importStatuses say
 * which statuses are ready (e.g. "pending_payment" waits for the payment); an order already past
 * them — complete (virtual goods are invoiced and complete at checkout), closed, or held before the
 * poller saw it — was placed and is imported now. Only an order canceled before its import never
 * reaches Odoo. Pure: shared by the import activity and `orders reconcile`.
 */
export type ImportDecision = 'import' | 'wait' | 'never';

// Magento order states (fixed by Magento\Sales\Model\Order; statuses are per store) an order
// reaches only after it was placed and accepted.
const PAST_IMPORT = new Set(['complete', 'closed', 'holded']);

export function importDecision(order: { status?: string | null; state?: string | null }, importStatuses: readonly string[]): ImportDecision {
  const status = order.status ?? '';
  const state = order.state ?? '';
  if (state === 'canceled' || status === 'canceled') return 'never';
  if (importStatuses.includes(status)) return 'import';
  if (PAST_IMPORT.has(state) || PAST_IMPORT.has(status)) return 'import';
  return 'wait';
}

import type { AccountMove, SaleOrder } from '../../integrations/odoo';

/** What an Odoo sale order has reached, in the order Magento's history shows them. */
export type OdooMilestone = 'confirmed' | 'delivered' | 'invoiced' | 'paid' | 'cancelled';

const PAID = new Set(['paid', 'in_payment']);

/**
 * The milestones an Odoo order has reached now, from its own states (pure). A cancelled order
 * shows only "cancelled": whatever it reached before was reported while it happened.
 */
export function reachedMilestones(order: Pick<SaleOrder, 'state' | 'delivery_status' | 'invoice_status'>, invoices: AccountMove[]): OdooMilestone[] {
  if (order.state === 'cancel') return ['cancelled'];
  if (order.state !== 'sale') return [];
  const reached: OdooMilestone[] = ['confirmed'];
  if (order.delivery_status === 'full') reached.push('delivered');
  const posted = invoices.filter((m) => m.move_type === 'out_invoice' && m.state === 'posted');
  if (order.invoice_status === 'invoiced' && posted.length > 0) {
    reached.push('invoiced');
    if (posted.every((m) => PAID.has(m.payment_state))) reached.push('paid');
  }
  return reached;
}

/** the marker a milestone comment carries, so it is written once however often the sync runs */
export function milestoneMarker(milestone: OdooMilestone): string {
  return `[odoo:${milestone}]`;
}

export function milestoneComment(milestone: OdooMilestone, orderName: string, invoiceNames: string[]): string {
  const what: Record<OdooMilestone, string> = {
    confirmed: 'order confirmed',
    delivered: 'everything delivered',
    invoiced: `fully invoiced${invoiceNames.length ? ` (${invoiceNames.join(', ')})` : ''}`,
    paid: 'paid in full',
    cancelled: 'cancelled in Odoo',
  };
  return `Odoo ${orderName}: ${what[milestone]} ${milestoneMarker(milestone)}`;
}

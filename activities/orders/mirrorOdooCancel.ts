import type { CancelVerdict, OdooOrderRef } from './contracts';
import { cancelOrder } from './cancelOrder';
import { whatShipped } from './shipped-check';
import { OrderDataError } from './failures';
import { isClosedInMagento, requireOrder } from './magento-order';
import type { OrderActivityContext } from './order-context';

/** What a sale order cancelled by hand in Odoo became in Magento; `still_open` when it is not (or no longer) cancelled. */
export type OdooCancelResult = { outcome: 'still_open' } | (CancelVerdict & { accepted: true });

/**
 * The order desk cancelled the sale order in Odoo (Brainvire's main cancellation path). Odoo
 * allows that at any point, so this decides what Magento may be told:
 *
 *  - nothing shipped, nothing invoiced: the Magento order is cancelled;
 *  - invoiced: refunded by credit memo (and the Odoo invoice reversed by a credit note), exactly
 *    as an ops cancel of an invoiced order;
 *  - goods shipped (a done Odoo delivery or a Magento shipment): nothing is written anywhere and
 *    the order parks. Money for goods that left cannot be given back by a cancel; a person
 *    decides (a return and credit memo, or the Odoo order set back to quotation and confirmed).
 *
 * Re-read every time, so a retry after ops acted finds the current answer: Odoo order reopened
 * → still_open (fulfilment goes on); Magento order closed or cancelled by hand → accepted.
 */
export async function mirrorOdooCancel(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<OdooCancelResult> {
  const { magento, odoo } = ctx.clientsFor(ref.channel);
  const odooOrder = await odoo.readSaleOrder(ref.odooOrderId);
  if (!odooOrder) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  if (odooOrder.state !== 'cancel') return { outcome: 'still_open' };

  const order = await requireOrder(magento, ref.incrementId, ref.magentoOrderId);
  const shipped = await whatShipped(magento, odoo, order, odooOrder);
  if (shipped) {
    // Ops settled it in Magento themselves (refunded the return, or cancelled): the order is over.
    if (isClosedInMagento(order)) {
      return { accepted: true, outcome: order.state === 'closed' ? 'credit_memo' : 'canceled', detail: `Odoo order ${odooOrder.name} cancelled; Magento order ${order.increment_id} was ${order.state} by hand` };
    }
    throw new OrderDataError(
      'CanceledAfterShipment',
      `order ${ref.incrementId}: Odoo sale order ${odooOrder.name} was cancelled in Odoo, but ${shipped}; nothing was written to Magento. ` +
        'Refund the returned goods with a credit memo in Magento, or set the Odoo order back to quotation and confirm it, then retry',
    );
  }
  const verdict = await cancelOrder(ctx, { ...ref, reason: `cancelled in Odoo (${odooOrder.name})` });
  // cancelOrder refuses only for shipped goods, which was checked above; a shipment pushed in
  // between is the same case.
  if (!verdict.accepted) throw new OrderDataError('CanceledAfterShipment', `order ${ref.incrementId}: Odoo sale order ${odooOrder.name} was cancelled in Odoo, but ${verdict.detail}`);
  return verdict;
}

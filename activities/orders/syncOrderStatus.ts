import { setExclusiveOrderTag } from '../../integrations/odoo';
import type { OdooOrderRef, StatusSyncResult } from './contracts';
import { OrderDataError } from './failures';
import { isClosedInMagento } from './magento-order';
import { milestoneComment, milestoneMarker, reachedMilestones } from './order-milestones';
import type { OrderActivityContext } from './order-context';

/**
 * Order status both ways (channel key orderStatus):
 *  - comments: each Odoo milestone the order has reached becomes one comment in the Magento
 *    order's status history. The history itself is the record of what was written (the
 *    comment's marker), so a retry or a second run writes nothing twice. The customer is
 *    notified only with notifyCustomer.
 *  - odooTag: the Magento status as the order's one "Magento: <status>" tag in Odoo.
 * Both off: nothing is read.
 */
export async function syncOrderStatus(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<StatusSyncResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  const settings = channel.orderStatus;
  if (!settings.comments && !settings.odooTag) return { actions: [] };
  const [order, odooOrder] = await Promise.all([magento.orders.get(ref.magentoOrderId), odoo.readSaleOrder(ref.odooOrderId)]);
  if (!odooOrder) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  const actions: string[] = [];

  if (settings.comments) {
    const invoices = odooOrder.invoice_ids.length ? await odoo.readMoves(odooOrder.invoice_ids) : [];
    const written = (order.status_histories ?? []).map((h) => h.comment ?? '');
    const invoiceNames = invoices.filter((m) => m.move_type === 'out_invoice' && m.state === 'posted').map((m) => String(m.name || m.id));
    for (const milestone of reachedMilestones(odooOrder, invoices)) {
      if (written.some((c) => c.includes(milestoneMarker(milestone)))) continue;
      // Until Magento agrees (mirrorOdooCancel cancelled or refunded it), an Odoo cancel may be one
      // that parks the order, and then nothing at all is written to Magento.
      if (milestone === 'cancelled' && !isClosedInMagento(order)) continue;
      await magento.orders.addComment(ref.magentoOrderId, {
        comment: milestoneComment(milestone, odooOrder.name, invoiceNames),
        isCustomerNotified: settings.notifyCustomer,
        isVisibleOnFront: settings.notifyCustomer,
      });
      actions.push(`Odoo milestone "${milestone}" → Magento comment`);
    }
  }
  if (settings.odooTag && order.status) {
    if (await setExclusiveOrderTag(odoo, odooOrder.id, 'Magento', order.status)) actions.push(`Magento status "${order.status}" → Odoo tag`);
  }
  return { actions };
}

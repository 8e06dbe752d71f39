import type { OdooOrderRef } from './contracts';
import { OrderDataError } from './failures';
import type { OrderActivityContext } from './order-context';

export interface ConfirmResult { outcome: 'confirmed' | 'already_confirmed'; odooOrderName: string }

/**
 * Confirms the quotation (Odoo then creates the delivery). Already confirmed is success. Runs
 * started before the import confirmed call it as a step of its own; newer ones confirm in the import.
 */
export async function confirmOrder(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<ConfirmResult> {
  const { odoo } = ctx.clientsFor(ref.channel);
  const order = await odoo.readSaleOrder(ref.odooOrderId);
  if (!order) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  if (order.state === 'sale') return { outcome: 'already_confirmed', odooOrderName: order.name };
  if (order.state === 'cancel') {
    throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${order.name} is cancelled, so it cannot be confirmed; set it back to quotation in Odoo or cancel the order`);
  }
  return { outcome: await odoo.ensureConfirmed(order.id), odooOrderName: order.name };
}

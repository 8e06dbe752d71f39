import { IntegrationError } from '../../integrations/errors';
import type { OdooOrderRef } from './contracts';
import { OrderDataError } from './failures';
import type { OrderActivityContext } from './order-context';

export interface ConfirmResult { outcome: 'confirmed' | 'already_confirmed'; odooOrderName: string }

/** Confirms the quotation (Odoo then creates the delivery). Already confirmed is success. */
export async function confirmOrder(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<ConfirmResult> {
  const { odoo } = ctx.clientsFor(ref.channel);
  const order = await odoo.readSaleOrder(ref.odooOrderId);
  if (!order) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  if (order.state === 'sale') return { outcome: 'already_confirmed', odooOrderName: order.name };
  if (order.state === 'cancel') {
    throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${order.name} is cancelled, so it cannot be confirmed; set it back to quotation in Odoo or cancel the order`);
  }
  try {
    await odoo.confirmSaleOrder(order.id);
  } catch (err) {
    // A confirm that reached Odoo but whose answer was lost is retried; Odoo then refuses
    // ("not in a state requiring confirmation"). Reading the state tells the two apart.
    if (err instanceof IntegrationError && !err.retryable) {
      const now = await odoo.readSaleOrder(order.id);
      if (now?.state === 'sale') return { outcome: 'already_confirmed', odooOrderName: now.name };
    }
    throw err;
  }
  return { outcome: 'confirmed', odooOrderName: order.name };
}

import { deliveryPartnerOf, setDeliveryPartner } from '../../integrations/odoo/deliveries';
import { orderAddressesOf, setOrderAddresses } from '../../integrations/odoo/order-addresses';
import type { AddressSyncResult, OdooOrderRef } from './contracts';
import { requireOrder } from './magento-order';
import type { OrderActivityContext } from './order-context';
import { resolvePartnersLocked } from './partners';

/**
 * An address edited in the Magento admin after import reaches Odoo: the sale order's invoice and
 * delivery addresses, and every delivery that has not left yet. The same partner resolution as
 * the import finds (or makes) the contact for the current address, so an unchanged address
 * changes nothing and a second run writes nothing. A delivery already done keeps the address it
 * shipped to.
 */
export async function syncAddresses(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<AddressSyncResult> {
  const { magento, odoo } = ctx.clientsFor(ref.channel);
  const order = await requireOrder(magento, ref.incrementId, ref.magentoOrderId);
  const partners = await resolvePartnersLocked(ctx, ref.channel, order);
  const saleOrder = await orderAddressesOf(odoo, ref.odooOrderId);
  if (!saleOrder || saleOrder.state === 'cancel') return { actions: [] };
  const actions: string[] = [];
  const changes: { invoiceId?: number; deliveryId?: number } = {};
  if (saleOrder.invoiceId !== partners.invoiceId) changes.invoiceId = partners.invoiceId;
  if (saleOrder.deliveryId !== partners.deliveryId) changes.deliveryId = partners.deliveryId;
  if (Object.keys(changes).length > 0) {
    await setOrderAddresses(odoo, ref.odooOrderId, changes);
    actions.push(`Odoo order ${ref.odooOrderId}: ${Object.keys(changes).map((k) => (k === 'invoiceId' ? 'invoice' : 'delivery')).join(' and ')} address updated from Magento`);
  }
  for (const picking of await odoo.listPickings(ref.odooOrderId)) {
    if (picking.state === 'done' || picking.state === 'cancel') continue;
    if ((await deliveryPartnerOf(odoo, picking.id)) === partners.deliveryId) continue;
    await setDeliveryPartner(odoo, picking.id, partners.deliveryId);
    actions.push(`delivery ${picking.name} now goes to the edited address`);
  }
  return { actions };
}

import type { AddressSyncResult, OdooOrderRef } from './contracts';
import { requireOrder } from './magento-order';
import type { OrderActivityContext } from './order-context';
import { resolvePartnersLocked } from './partners';

type Many2one = [number, string] | false;
const idOf = (value: unknown): number | undefined => (Array.isArray(value) ? (value as [number, string])[0] : undefined);

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
  const [saleOrder] = await odoo.read('sale.order', [ref.odooOrderId], ['partner_invoice_id', 'partner_shipping_id', 'state']);
  if (!saleOrder || saleOrder.state === 'cancel') return { actions: [] };
  const actions: string[] = [];
  const changes: Record<string, number> = {};
  if (idOf(saleOrder.partner_invoice_id as Many2one) !== partners.invoiceId) changes.partner_invoice_id = partners.invoiceId;
  if (idOf(saleOrder.partner_shipping_id as Many2one) !== partners.deliveryId) changes.partner_shipping_id = partners.deliveryId;
  if (Object.keys(changes).length > 0) {
    await odoo.write('sale.order', [ref.odooOrderId], changes);
    actions.push(`Odoo order ${ref.odooOrderId}: ${Object.keys(changes).map((k) => (k === 'partner_invoice_id' ? 'invoice' : 'delivery')).join(' and ')} address updated from Magento`);
  }
  for (const picking of await odoo.listPickings(ref.odooOrderId)) {
    if (picking.state === 'done' || picking.state === 'cancel') continue;
    const [current] = await odoo.read('stock.picking', [picking.id], ['partner_id']);
    if (idOf(current?.partner_id) === partners.deliveryId) continue;
    await odoo.write('stock.picking', [picking.id], { partner_id: partners.deliveryId });
    actions.push(`delivery ${picking.name} now goes to the edited address`);
  }
  return { actions };
}

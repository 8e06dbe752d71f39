import type { MagentoClient, Order } from '../../integrations/magento';
import type { OdooClient, SaleOrder } from '../../integrations/odoo';

// What makes a cancel impossible (goods left the warehouse), asked by the cancel and by the mirror
// of a cancel made in Odoo.

/** Names the first thing that has left the warehouse, or null. */
export async function whatShipped(magento: MagentoClient, odoo: OdooClient, order: Order, odooOrder: SaleOrder | null): Promise<string | null> {
  if (odooOrder) {
    const shipped = await odoo.shippedDelivery(odooOrder.id);
    if (shipped !== null) return `Odoo delivery ${shipped} has shipped`;
  }
  const shipments = await magento.shipments.forOrder(order.entity_id);
  const first = shipments[0];
  return first ? `Magento shipment ${first.increment_id ?? first.entity_id} exists` : null;
}

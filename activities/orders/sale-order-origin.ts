import type { OdooClient, SaleOrder } from '../../integrations/odoo';

/** The sale order's Source Document: the shop order it came from, channel included. */
export function saleOrderOrigin(channel: string, incrementId: string): string {
  return `Magento ${incrementId} (${channel})`;
}

/** what orders imported before the origin named the channel carry */
export function legacyOrigin(incrementId: string): string {
  return `Magento ${incrementId}`;
}

/**
 * Odoo's sale orders for a Magento order, found without a binding: by the origin (which names the
 * channel, since two shops on one Odoo may both have an order 000000042) or, for orders imported
 * before a B2B purchase order number became the customer reference, by client_order_ref.
 */
export function saleOrdersOf(odoo: OdooClient, channel: string, incrementId: string): Promise<SaleOrder[]> {
  return odoo.findSaleOrdersByReference(incrementId, [saleOrderOrigin(channel, incrementId), legacyOrigin(incrementId)]);
}

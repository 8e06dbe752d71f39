import { deliveryStates } from '../../integrations/odoo/deliveries';
import type { OdooOrderRef } from './contracts';
import { requireOrder } from './magento-order';
import type { OrderActivityContext } from './order-context';
import { contentHash } from '../sync/hash';

/**
 * A cheap "has anything happened to this order?" for the fulfilment loop's timed polls: one
 * Magento read and at most three Odoo reads, against the 20–35 calls of a full round (shipments,
 * invoices, payments, credit memos). It covers what a round acts on: the Magento order (any
 * shipment, invoice, credit memo, hold or edit changes its updated_at and status), the Odoo
 * sale order's states and documents, each delivery's state and tracking number, and each
 * invoice's and credit note's state, payment state and amount due. Values are read, not
 * write_dates: a payment changes an invoice's payment state without the order being written.
 */
export async function orderFingerprint(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<string> {
  const { magento, odoo } = ctx.clientsFor(ref.channel);
  const [order, saleOrder] = await Promise.all([requireOrder(magento, ref.incrementId, ref.magentoOrderId), odoo.readSaleOrder(ref.odooOrderId)]);
  // A vanished Odoo order is the full round's to report.
  if (!saleOrder) return `missing:${Date.now()}`;
  const [pickings, moves] = await Promise.all([
    deliveryStates(odoo, saleOrder.picking_ids),
    saleOrder.invoice_ids.length ? odoo.readMoves(saleOrder.invoice_ids) : Promise.resolve([]),
  ]);
  return contentHash({
    magento: { updatedAt: order.updated_at ?? null, status: order.status, state: order.state ?? null },
    odoo: {
      state: saleOrder.state, invoiceStatus: saleOrder.invoice_status, deliveryStatus: saleOrder.delivery_status ?? null,
      pickings: pickings.map((p) => [p.id, p.state, p.trackingRef]),
      moves: moves.map((m) => [m.id, m.state, m.payment_state, m.amount_residual]),
    },
  });
}

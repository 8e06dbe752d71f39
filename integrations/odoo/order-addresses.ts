import { z } from 'zod';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { parseAnswer } from './parse-answer';
import { Many2one } from './schemas';

export interface OrderAddresses {
  state: string;
  invoiceId: number | null;
  deliveryId: number | null;
}

const AddressesRow = z.looseObject({ id: z.number().int(), state: z.string(), partner_invoice_id: Many2one, partner_shipping_id: Many2one });

/** A sale order's state and its invoice and delivery addresses; null when it is gone. */
export async function orderAddressesOf(odoo: OdooClient, orderId: number): Promise<OrderAddresses | null> {
  const [row] = await odoo.read('sale.order', [orderId], ['partner_invoice_id', 'partner_shipping_id', 'state']);
  if (!row) return null;
  const order = parseAnswer(AddressesRow, row, 'sale.order.read');
  return { state: order.state, invoiceId: many2oneId(order.partner_invoice_id), deliveryId: many2oneId(order.partner_shipping_id) };
}

/** Points the sale order at other invoice and/or delivery addresses (contacts). */
export async function setOrderAddresses(odoo: OdooClient, orderId: number, addresses: { invoiceId?: number; deliveryId?: number }): Promise<void> {
  const vals: Record<string, number> = {};
  if (addresses.invoiceId !== undefined) vals.partner_invoice_id = addresses.invoiceId;
  if (addresses.deliveryId !== undefined) vals.partner_shipping_id = addresses.deliveryId;
  await odoo.write('sale.order', [orderId], vals);
}

import { z } from 'zod';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { parseRows } from './parse-answer';
import { Many2one, OptionalText } from './schemas';

/** Who a delivery (stock.picking) goes to; null when the picking is gone or has no partner. */
export async function deliveryPartnerOf(odoo: OdooClient, pickingId: number): Promise<number | null> {
  const [row] = parseRows(
    z.looseObject({ id: z.number().int(), partner_id: Many2one }),
    await odoo.read('stock.picking', [pickingId], ['partner_id']),
    'stock.picking.read',
  );
  return row ? many2oneId(row.partner_id) : null;
}

/** Sends a delivery that has not left yet to another address (contact). */
export async function setDeliveryPartner(odoo: OdooClient, pickingId: number, partnerId: number): Promise<void> {
  await odoo.write('stock.picking', [pickingId], { partner_id: partnerId });
}

const StateRow = z.looseObject({ id: z.number().int(), state: z.string(), carrier_tracking_ref: OptionalText.optional() });

/** Each delivery's state and tracking number, for telling whether anything changed. */
export async function deliveryStates(odoo: OdooClient, pickingIds: number[]): Promise<Array<{ id: number; state: string; trackingRef: string | false }>> {
  if (pickingIds.length === 0) return [];
  const rows = await odoo.read('stock.picking', pickingIds, ['state', 'carrier_tracking_ref']);
  return parseRows(StateRow, rows, 'stock.picking.read').map((p) => ({ id: p.id, state: p.state, trackingRef: p.carrier_tracking_ref ?? false }));
}

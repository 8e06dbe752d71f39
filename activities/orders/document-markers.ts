import type { Picking } from '../../integrations/odoo';

// The text the connector writes into the Magento documents it makes (shipment and credit memo
// comments), so that one whose binding was lost is still recognised as ours on the next run.

/** in a Magento shipment's comment: the Odoo delivery it came from */
export function pickingMarker(picking: Pick<Picking, 'id'>): string {
  return `(odoo picking ${picking.id})`;
}

/** in a Magento invoice's or credit memo's comment: the Odoo invoice or credit note it came from */
export function moveMarker(moveId: number): string {
  return `(odoo move ${moveId})`;
}

/** the binding key of a pushed shipment */
export function shipmentKey(incrementId: string, pickingId: number): string {
  return `${incrementId}:${pickingId}`;
}

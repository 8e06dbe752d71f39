import type { LineQty, Order, Shipment } from '../../integrations/magento';
import type { OdooClient, Picking } from '../../integrations/odoo';
import type { OdooOrderRef, ShipmentSyncResult } from './contracts';
import { OrderDataError } from './failures';
import { bundleShipmentTypes, documentItems, shipsByBundleRow, type BundleShipment } from './bundle-documents';
import { allocate, magentoLines, type MagentoLine } from './magento-lines';
import { carrierTitleOf, shippingCodesOf } from './magento-order';
import { many2oneId } from '../../integrations/odoo/many2one';
import { skusOfProducts } from '../../integrations/odoo/product-skus';
import type { OrderActivityContext } from './order-context';
import { pickingMarker, shipmentKey } from './document-markers';

/**
 * Pushes every validated Odoo delivery to Magento as a shipment with what it actually carried,
 * one shipment per delivery (a partial delivery gives a partial shipment, its backorder the
 * next one). Before each POST the order's Magento shipments are read: one carrying this
 * delivery's marker was created by an earlier attempt and is only bound.
 */
export async function syncShipments(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<ShipmentSyncResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  const odooOrder = await odoo.readSaleOrder(ref.odooOrderId);
  if (!odooOrder) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  const pickings = await odoo.outgoingPickings(ref.odooOrderId);
  const done = pickings.filter((p) => p.state === 'done');
  const open = pickings.filter((p) => p.state !== 'done' && p.state !== 'cancel');
  // An unconfirmed quotation has no deliveries yet: that is "not shipped", not "nothing to ship".
  const deliveriesSettled = odooOrder.state === 'sale' && open.length === 0;
  // Cancelled by hand in Odoo: a done delivery must not reach Magento as a shipment before the
  // workflow has decided what the cancel means (mirrorOdooCancel).
  if (odooOrder.state === 'cancel') return { created: [], fullyShipped: false, anyShipped: done.length > 0, odooCanceled: true };
  if (!channel.orders.syncShipments) return { created: [], fullyShipped: deliveriesSettled, anyShipped: done.length > 0 };

  const unpushed: Picking[] = [];
  for (const picking of done) {
    if (!(await ctx.bindings.find(ref.channel, 'shipment', shipmentKey(ref.incrementId, picking.id)))) unpushed.push(picking);
  }
  const created: number[] = [];
  if (unpushed.length > 0) {
    let order = await magento.orders.get(ref.magentoOrderId);
    const shipments = await magento.shipments.forOrder(ref.magentoOrderId);
    for (const picking of unpushed) {
      const key = shipmentKey(ref.incrementId, picking.id);
      const already = shipments.find((s) => carriesMarker(s, picking));
      // Made by an earlier attempt whose answer was lost (a timeout, a 503 from a proxy after
      // Magento had shipped): pushed by this order all the same, so it is counted, and the
      // workflow looks again at once as for any new shipment.
      if (already) created.push(already.entity_id);
      else {
        const items = await shippedItems(odoo, order, picking, await bundleShipmentTypes(magento, order), done);
        // Nothing left to ship in Magento for this delivery (shipped there by hand, or Odoo sent
        // a product the order does not have): recorded as handled, so it is not looked at again.
        if (items.length > 0) {
          const shipmentId = await magento.orders.ship(ref.magentoOrderId, {
            items,
            // The customer gets the "your order has shipped" e-mail, with the tracking number.
            notify: true,
            appendComment: false,
            comment: { comment: `Odoo delivery ${picking.name} ${pickingMarker(picking)}`, isVisibleOnFront: false },
            tracks: tracksFor(order, picking),
            ...(channel.inventory.target === 'msi' ? { sourceCode: channel.inventory.sourceCode } : {}),
          });
          created.push(shipmentId);
          // The next delivery's quantities are measured against what is now shipped.
          order = await magento.orders.get(ref.magentoOrderId);
        }
      }
      await ctx.bindings.bind({ channel: ref.channel, kind: 'shipment', magentoKey: key, odooId: picking.id });
    }
  }
  return { created, fullyShipped: deliveriesSettled, anyShipped: done.length > 0 };
}

function carriesMarker(shipment: Shipment, picking: Picking): boolean {
  const marker = pickingMarker(picking);
  return (shipment.comments ?? []).some((c) => (c.comment ?? '').includes(marker));
}

async function shippedItems(odoo: OdooClient, order: Order, picking: Picking, bundles: Map<number, BundleShipment>, done: Picking[]): Promise<LineQty[]> {
  const lines = magentoLines(order).filter((l) => !l.isVirtual);
  const room = (l: MagentoLine) => l.qtyOrdered - l.qtyShipped - l.qtyCanceled - l.qtyRefunded;
  const perComponent = allocate(lines, await deliveredBySku(odoo, [picking]), room);
  const byBundleRow = shipsByBundleRow(bundles);
  const together = lines.filter(byBundleRow);
  if (together.length === 0) return documentItems(lines, perComponent, byBundleRow);
  // A bundle shipped together ships whole, but Odoo may deliver its components in different
  // deliveries: what counts for it is everything delivered so far less what Magento shipped, so
  // the delivery that completes a bundle ships it (an earlier one with part of it ships none).
  const delivered = await deliveredBySku(odoo, done);
  const items = perComponent.filter((i) => !together.some((l) => l.itemId === i.orderItemId));
  for (const line of together) {
    const sofar = [...delivered].find(([sku]) => sku.toLowerCase() === line.sku.toLowerCase())?.[1] ?? 0;
    items.push({ orderItemId: line.itemId, qty: Math.max(0, Math.min(sofar - line.qtyShipped, room(line))) });
  }
  return documentItems(lines, items, byBundleRow);
}

/** what these validated deliveries carried, per SKU */
async function deliveredBySku(odoo: OdooClient, pickings: Picking[]): Promise<Map<string, number>> {
  const moves = (await odoo.movesOfPickings(pickings.map((p) => p.id))).filter((m) => m.state === 'done' && m.quantity > 0);
  const skus = await skusOfProducts(odoo, moves.map((m) => many2oneId(m.product_id)).filter((id): id is number => id !== null));
  const bySku = new Map<string, number>();
  for (const move of moves) {
    const sku = skus.get(many2oneId(move.product_id) ?? -1);
    if (sku) bySku.set(sku, (bySku.get(sku) ?? 0) + move.quantity);
  }
  return bySku;
}

function tracksFor(order: Order, picking: Picking): Array<{ trackNumber: string; title: string; carrierCode: string }> {
  const trackingRef = typeof picking.carrier_tracking_ref === 'string' ? picking.carrier_tracking_ref.trim() : '';
  if (!trackingRef) return [];
  return [{ trackNumber: trackingRef, title: carrierTitleOf(order) ?? 'Carrier', carrierCode: shippingCodesOf(order)?.carrier ?? 'custom' }];
}

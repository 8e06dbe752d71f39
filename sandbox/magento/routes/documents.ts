import { badRequest, notFound } from '../magento-error';
import { refundInvoice } from '../order-rules';
import { renderCreditmemo, renderInvoice, renderShipment } from '../render';
import { defineRoute, intParam, requireBodyParam } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json } from '../state';
import { refundRequest } from './orders';
import { refundVerbatim } from '../verbatim-rules';

export const documentRoutes = [
  defineRoute('GET', '/V1/invoices', 'Magento_Sales::sales_invoice', (ctx) =>
    applySearch([...ctx.state.invoices.map(renderInvoice), ...ctx.state.verbatimDocuments.invoices], parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/invoices/:id', 'Magento_Sales::sales_invoice', (ctx) => {
    const recorded = ctx.state.verbatimDocuments.invoices.find((i) => i.entity_id === intParam(ctx, 'id'));
    if (recorded) return recorded;
    const invoice = ctx.state.invoices.find((i) => i.entity_id === intParam(ctx, 'id'));
    if (!invoice) throw notFound();
    return renderInvoice(invoice);
  }),
  defineRoute('POST', '/V1/invoice/:invoiceId/refund', 'Magento_Sales::sales_invoice', (ctx) => {
    // An invoice of a verbatim order (recorded with it, or made by the sandbox since)
    const recorded = ctx.state.verbatimDocuments.invoices.find((i) => i.entity_id === intParam(ctx, 'invoiceId'));
    const verbatimOrder = recorded && ctx.state.verbatimOrders.find((o) => o.entity_id === recorded.order_id);
    if (recorded && verbatimOrder) return String(refundVerbatim(ctx.state, verbatimOrder, refundRequest(ctx), recorded).entity_id);
    const invoice = ctx.state.invoices.find((i) => i.entity_id === intParam(ctx, 'invoiceId'));
    if (!invoice) throw notFound();
    return String(refundInvoice(ctx.state, invoice, refundRequest(ctx)).entity_id);
  }),
  defineRoute('GET', '/V1/shipments', 'Magento_Sales::shipment', (ctx) =>
    applySearch([...ctx.state.shipments.map(renderShipment), ...ctx.state.verbatimDocuments.shipments], parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/shipment/:id', 'Magento_Sales::shipment', (ctx) => {
    const recorded = ctx.state.verbatimDocuments.shipments.find((s) => s.entity_id === intParam(ctx, 'id'));
    if (recorded) return recorded;
    const shipment = ctx.state.shipments.find((s) => s.entity_id === intParam(ctx, 'id'));
    if (!shipment) throw notFound();
    return renderShipment(shipment);
  }),
  defineRoute('POST', '/V1/shipment/track', 'Magento_Sales::shipment', (ctx) => {
    const entity = requireBodyParam(ctx, 'entity') as Json;
    const shipment = ctx.state.shipments.find((s) => s.entity_id === Number(entity.parent_id));
    if (!shipment || Number(entity.order_id) !== shipment.order_id) throw badRequest('Could not save the shipment tracking.');
    const now = ctx.state.now();
    const track = {
      entity_id: ctx.state.nextId('shipment_track'),
      order_id: shipment.order_id,
      parent_id: shipment.entity_id,
      track_number: String(entity.track_number ?? ''),
      title: String(entity.title ?? ''),
      carrier_code: String(entity.carrier_code ?? ''),
      description: entity.description === undefined ? null : String(entity.description),
      qty: entity.qty === undefined ? null : Number(entity.qty),
      weight: entity.weight === undefined ? null : Number(entity.weight),
      created_at: now,
      updated_at: now,
    };
    shipment.tracks.push(track);
    shipment.updated_at = now;
    return { ...track };
  }),
  defineRoute('GET', '/V1/creditmemos', 'Magento_Sales::sales_creditmemo', (ctx) =>
    applySearch([...ctx.state.creditmemos.map(renderCreditmemo), ...ctx.state.verbatimDocuments.creditmemos], parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/creditmemo/:id', 'Magento_Sales::sales_creditmemo', (ctx) => {
    const recorded = ctx.state.verbatimDocuments.creditmemos.find((c) => c.entity_id === intParam(ctx, 'id'));
    if (recorded) return recorded;
    const creditmemo = ctx.state.creditmemos.find((c) => c.entity_id === intParam(ctx, 'id'));
    if (!creditmemo) throw notFound();
    return renderCreditmemo(creditmemo);
  }),
];

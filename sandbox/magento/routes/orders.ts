import { notFound } from '../magento-error';
import { addOrderComment, cancelOrder, holdOrder, invoiceOrder, refundOrder, shipOrder, unholdOrder, type LineRequest, type RefundRequest } from '../order-rules';
import { renderOrder } from '../render';
import { bodyParam, defineRoute, intParam, requireBodyParam, type RequestContext } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json, SbOrder } from '../state';
import { addVerbatimComment, cancelVerbatim, holdVerbatim, invoiceVerbatim, refundVerbatim, shipVerbatim, unholdVerbatim } from '../verbatim-rules';

function orderOf(ctx: RequestContext, param = 'id'): SbOrder {
  const order = ctx.state.order(intParam(ctx, param));
  if (!order) throw notFound();
  return order;
}

/** a verbatim order (POST /__sandbox/orders/verbatim): its body is the record the document rules change */
function verbatimOf(ctx: RequestContext, param = 'id'): Json | undefined {
  return ctx.state.verbatimOrders.find((o) => o.entity_id === intParam(ctx, param));
}

function lines(value: unknown): LineRequest[] | undefined {
  return Array.isArray(value) ? (value as Json[]).map((l) => ({ order_item_id: Number(l.order_item_id), qty: Number(l.qty) })) : undefined;
}

const flag = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 'true';

export function refundRequest(ctx: RequestContext): RefundRequest {
  const args = (bodyParam(ctx, 'arguments') as Json | undefined) ?? {};
  const ext = (args.extension_attributes as Json | undefined) ?? {};
  return {
    items: lines(bodyParam(ctx, 'items')),
    notify: flag(bodyParam(ctx, 'notify')),
    appendComment: flag(bodyParam(ctx, 'appendComment')),
    comment: bodyParam(ctx, 'comment') as RefundRequest['comment'],
    ...(args.shipping_amount !== undefined ? { shipping_amount: Number(args.shipping_amount) } : {}),
    ...(args.adjustment_positive !== undefined ? { adjustment_positive: Number(args.adjustment_positive) } : {}),
    ...(args.adjustment_negative !== undefined ? { adjustment_negative: Number(args.adjustment_negative) } : {}),
    ...(Array.isArray(ext.return_to_stock_items) ? { return_to_stock_items: ext.return_to_stock_items as number[] } : {}),
    isOnline: flag(bodyParam(ctx, 'isOnline')),
  };
}

// POST /V1/order/:orderId/{invoice,ship,refund} return the new entity id the way the model holds
// it: a string of digits, which clients must accept as well as a number.
export const orderRoutes = [
  defineRoute('GET', '/V1/orders', 'Magento_Sales::actions_view', (ctx) =>
    applySearch([...ctx.state.orders.map(renderOrder), ...ctx.state.verbatimOrders], parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/orders/:id', 'Magento_Sales::actions_view', (ctx) => ctx.state.verbatimOrders.find((o) => o.entity_id === intParam(ctx, 'id')) ?? renderOrder(orderOf(ctx))),
  defineRoute('POST', '/V1/orders/:id/cancel', 'Magento_Sales::cancel', (ctx) => {
    const verbatim = verbatimOf(ctx);
    return verbatim ? cancelVerbatim(ctx.state, verbatim) : cancelOrder(ctx.state, orderOf(ctx));
  }),
  defineRoute('POST', '/V1/orders/:id/hold', 'Magento_Sales::hold', (ctx) => {
    const verbatim = verbatimOf(ctx);
    return verbatim ? holdVerbatim(ctx.state, verbatim) : holdOrder(ctx.state, orderOf(ctx));
  }),
  defineRoute('POST', '/V1/orders/:id/unhold', 'Magento_Sales::unhold', (ctx) => {
    const verbatim = verbatimOf(ctx);
    return verbatim ? unholdVerbatim(ctx.state, verbatim) : unholdOrder(ctx.state, orderOf(ctx));
  }),
  defineRoute('POST', '/V1/orders/:id/comments', 'Magento_Sales::comment', (ctx) => {
    const history = requireBodyParam(ctx, 'statusHistory') as Json;
    const verbatim = verbatimOf(ctx);
    return verbatim ? addVerbatimComment(ctx.state, verbatim, history) : addOrderComment(ctx.state, orderOf(ctx), history);
  }),
  defineRoute('GET', '/V1/orders/:id/comments', 'Magento_Sales::actions_view', (ctx) => {
    const verbatim = verbatimOf(ctx);
    const order = verbatim ? undefined : orderOf(ctx);
    const items = verbatim ? ((verbatim.status_histories as Json[] | undefined) ?? []).map((h) => ({ ...h })) : [...order!.status_histories].reverse().map((h) => ({ ...h }));
    const id = verbatim ? Number(verbatim.entity_id) : order!.entity_id;
    return { items, search_criteria: { filter_groups: [{ filters: [{ field: 'parent_id', value: String(id), condition_type: 'eq' }] }] }, total_count: items.length };
  }),
  defineRoute('POST', '/V1/order/:orderId/invoice', 'Magento_Sales::invoice', (ctx) => {
    const req = {
      items: lines(bodyParam(ctx, 'items')),
      capture: flag(bodyParam(ctx, 'capture')),
      notify: flag(bodyParam(ctx, 'notify')),
      appendComment: flag(bodyParam(ctx, 'appendComment')),
      comment: bodyParam(ctx, 'comment') as Json | undefined,
    };
    const verbatim = verbatimOf(ctx, 'orderId');
    return String(verbatim ? invoiceVerbatim(ctx.state, verbatim, req).entity_id : invoiceOrder(ctx.state, orderOf(ctx, 'orderId'), req).entity_id);
  }),
  defineRoute('POST', '/V1/order/:orderId/ship', 'Magento_Sales::ship', (ctx) => {
    const args = (bodyParam(ctx, 'arguments') as Json | undefined) ?? {};
    const sourceCode = (args.extension_attributes as Json | undefined)?.source_code;
    const req = {
      items: lines(bodyParam(ctx, 'items')),
      notify: flag(bodyParam(ctx, 'notify')),
      appendComment: flag(bodyParam(ctx, 'appendComment')),
      comment: bodyParam(ctx, 'comment') as Json | undefined,
      tracks: (bodyParam(ctx, 'tracks') as Json[] | undefined) ?? [],
      ...(typeof sourceCode === 'string' ? { sourceCode } : {}),
    };
    const verbatim = verbatimOf(ctx, 'orderId');
    return String(verbatim ? shipVerbatim(ctx.state, verbatim, req).entity_id : shipOrder(ctx.state, orderOf(ctx, 'orderId'), req).entity_id);
  }),
  defineRoute('POST', '/V1/order/:orderId/refund', 'Magento_Sales::creditmemo', (ctx) => {
    const req = refundRequest(ctx);
    // RefundOrder is offline only.
    delete req.isOnline;
    const verbatim = verbatimOf(ctx, 'orderId');
    return String(verbatim ? refundVerbatim(ctx.state, verbatim, req).entity_id : refundOrder(ctx.state, orderOf(ctx, 'orderId'), req).entity_id);
  }),
];

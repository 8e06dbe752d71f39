import { badRequest, MagentoError, notFound } from './magento-error';
import type { SandboxState, SbComment, SbCreditmemo, SbDocumentItem, SbInvoice, SbOrder, SbOrderItem, SbShipment } from './state';

/**
 * Magento's order rules, as Magento\Sales\Model\Order and the ShipOrder / InvoiceOrder /
 * RefundOrder / RefundInvoice services apply them in 2.4.7. A configurable line is a priced
 * parent plus a "dummy" simple child: quantities are taken from the parent, the child follows.
 */

export interface LineRequest {
  order_item_id: number;
  qty: number;
}

export interface CommentRequest {
  comment?: string;
  is_visible_on_front?: number;
}

const EPS = 0.0001;
export const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
const money = (n: number): string => `$${n.toFixed(2)}`;

export const DEFAULT_STATUS: Record<string, string> = {
  new: 'pending', pending_payment: 'pending_payment', processing: 'processing', complete: 'complete',
  closed: 'closed', canceled: 'canceled', holded: 'holded', payment_review: 'payment_review',
};

// ---- quantities of one line (Order\Item::getQtyTo*) -------------------------------------------

export const isDummy = (item: SbOrderItem): boolean => item.parent_item_id !== undefined;
export const qtyToInvoice = (i: SbOrderItem): number => (isDummy(i) ? 0 : Math.max(i.qty_ordered - i.qty_invoiced - i.qty_canceled, 0));
export const qtyToShip = (i: SbOrderItem): number =>
  isDummy(i) || i.is_virtual ? 0 : Math.max(i.qty_ordered - i.qty_shipped - i.qty_refunded - i.qty_canceled, 0);
export const qtyToRefund = (i: SbOrderItem): number => (isDummy(i) ? 0 : Math.max(i.qty_invoiced - i.qty_refunded, 0));
export const qtyToCancel = (i: SbOrderItem): number => Math.min(qtyToInvoice(i), qtyToShip(i));

// ---- order predicates (Order::can*) ---------------------------------------------------------------

const isHeldOrInReview = (o: SbOrder): boolean => o.state === 'holded' || o.state === 'payment_review';

export function canInvoice(o: SbOrder): boolean {
  if (isHeldOrInReview(o) || ['canceled', 'complete', 'closed'].includes(o.state)) return false;
  return o.items.some((i) => qtyToInvoice(i) > 0);
}

export function canShip(o: SbOrder): boolean {
  if (isHeldOrInReview(o) || o.state === 'canceled') return false;
  return o.items.some((i) => qtyToShip(i) > 0);
}

export function canCreditmemo(o: SbOrder): boolean {
  if (isHeldOrInReview(o) || o.state === 'canceled' || o.state === 'closed') return false;
  return Math.abs(o.total_paid - o.total_refunded) >= EPS;
}

export function canCancel(o: SbOrder): boolean {
  if (isHeldOrInReview(o)) return false;
  if (o.items.every((i) => qtyToInvoice(i) === 0)) return false;
  return !['canceled', 'complete', 'closed'].includes(o.state);
}

export function canHold(o: SbOrder): boolean {
  return !['canceled', 'payment_review', 'complete', 'closed', 'holded'].includes(o.state);
}

export function grandTotal(o: SbOrder): number {
  const lines = o.items.filter((i) => !isDummy(i));
  const subtotal = lines.reduce((s, i) => s + i.price * i.qty_ordered, 0);
  const tax = lines.reduce((s, i) => s + i.tax_amount, 0) + o.shipping_tax_amount;
  return round2(subtotal + tax + o.shipping_amount);
}

function setState(o: SbOrder, state: string): void {
  o.state = state;
  o.status = DEFAULT_STATUS[state] ?? state;
}

/** OrderStateResolver::getStateForOrder after a document was created */
function resolveState(o: SbOrder, inProgress: boolean): void {
  let next = o.state;
  if (o.state !== 'canceled' && o.state !== 'holded' && !canInvoice(o) && !canShip(o)) {
    if (grandTotal(o) === 0 || canCreditmemo(o)) next = 'complete';
    else if (o.total_refunded > 0) next = 'closed';
  }
  if ((o.state === 'new' || o.state === 'pending_payment') && inProgress) next = 'processing';
  if (next !== o.state) setState(o, next);
}

function childrenOf(o: SbOrder, parent: SbOrderItem): SbOrderItem[] {
  return o.items.filter((i) => i.parent_item_id === parent.item_id);
}

/** Requested quantities per non-dummy line; an empty request means "everything remaining". */
function plannedQuantities(
  o: SbOrder,
  requested: LineRequest[] | undefined,
  remaining: (i: SbOrderItem) => number,
  overMessage: string,
  messages: string[],
): Map<SbOrderItem, number> {
  const plan = new Map<SbOrderItem, number>();
  if (!requested || requested.length === 0) {
    for (const item of o.items) if (remaining(item) > 0) plan.set(item, remaining(item));
    return plan;
  }
  for (const line of requested) {
    const item = o.items.find((i) => i.item_id === Number(line.order_item_id));
    // Unknown ids and dummy children are skipped, as the document factories do: only the order's
    // own non-dummy lines carry quantities.
    if (!item || isDummy(item)) continue;
    const qty = Number(line.qty);
    if (!(qty > 0)) continue;
    if (qty > remaining(item) + EPS) {
      messages.push(overMessage.replace('%1', item.sku));
      continue;
    }
    plan.set(item, (plan.get(item) ?? 0) + qty);
  }
  return plan;
}

function documentError(kind: 'Invoice' | 'Shipment' | 'Creditmemo', messages: string[]): MagentoError {
  return badRequest(`${kind} Document Validation Error(s):\n${messages.join('\n')}`);
}

function docItem(state: SandboxState, table: string, parentId: number, item: SbOrderItem, qty: number, priced: boolean, tax = 0): SbDocumentItem {
  return {
    entity_id: state.nextId(table),
    parent_id: parentId,
    order_item_id: item.item_id,
    product_id: item.product_id,
    sku: item.sku,
    name: item.name,
    qty,
    price: priced ? item.price : 0,
    row_total: priced ? round2(item.price * qty) : 0,
    tax_amount: priced ? tax : 0,
    weight: item.weight,
  };
}

function newComment(state: SandboxState, table: string, parentId: number, comment: CommentRequest | undefined, notified: boolean): SbComment[] {
  if (!comment?.comment) return [];
  return [{
    entity_id: state.nextId(table),
    parent_id: parentId,
    comment: comment.comment,
    is_customer_notified: notified ? 1 : 0,
    is_visible_on_front: comment.is_visible_on_front ? 1 : 0,
    created_at: state.now(),
  }];
}

/** share of a line's tax for qty, the last share taking the rounding remainder */
function taxShare(total: number, already: number, qty: number, qtyOrdered: number, closesLine: boolean): number {
  return closesLine ? round2(total - already) : round2((total * qty) / qtyOrdered);
}

// ---- invoice ----------------------------------------------------------------------------------------

export interface InvoiceRequest {
  items?: LineRequest[];
  capture?: boolean;
  notify?: boolean;
  appendComment?: boolean;
  comment?: CommentRequest;
}

export function invoiceOrder(state: SandboxState, o: SbOrder, req: InvoiceRequest): SbInvoice {
  const messages: string[] = [];
  if (['payment_review', 'holded', 'canceled', 'complete', 'closed'].includes(o.state)) {
    messages.push(`An invoice cannot be created when an order has a status of ${o.status}`);
  } else if (!canInvoice(o)) {
    messages.push('The order does not allow an invoice to be created.');
  }
  const plan = plannedQuantities(o, req.items, qtyToInvoice,
    'The quantity to invoice must not be greater than the uninvoiced quantity for product SKU "%1".', messages);
  if (messages.length === 0 && plan.size === 0) messages.push("You can't create an invoice without products.");
  if (messages.length > 0) throw documentError('Invoice', messages);

  const id = state.nextId('invoice');
  const items: SbDocumentItem[] = [];
  let subtotal = 0;
  let tax = 0;
  let totalQty = 0;
  for (const [item, qty] of plan) {
    const closes = qty >= qtyToInvoice(item) - EPS;
    const lineTax = taxShare(item.tax_amount, item.tax_invoiced, qty, item.qty_ordered, closes);
    items.push(docItem(state, 'invoice_item', id, item, qty, true, lineTax));
    for (const child of childrenOf(o, item)) {
      items.push(docItem(state, 'invoice_item', id, child, qty, false));
      child.qty_invoiced += qty;
    }
    item.qty_invoiced += qty;
    item.tax_invoiced = round2(item.tax_invoiced + lineTax);
    item.row_invoiced = round2(item.row_invoiced + item.price * qty);
    subtotal += item.price * qty;
    tax += lineTax;
    totalQty += qty;
  }
  // Shipping goes with the first invoice.
  const shipping = round2(o.shipping_amount - o.shipping_invoiced);
  const shippingTax = o.shipping_invoiced === 0 ? o.shipping_tax_amount : 0;
  subtotal = round2(subtotal);
  tax = round2(tax + shippingTax);
  const grand = round2(subtotal + tax + shipping);

  o.shipping_invoiced = round2(o.shipping_invoiced + shipping);
  o.subtotal_invoiced = round2(o.subtotal_invoiced + subtotal);
  o.tax_invoiced = round2(o.tax_invoiced + tax);
  o.total_invoiced = round2(o.total_invoiced + grand);
  o.total_paid = round2(o.total_paid + grand);
  o.payment.amount_paid = round2(o.payment.amount_paid + grand);
  const now = state.now();
  const invoice: SbInvoice = {
    entity_id: id,
    order_id: o.entity_id,
    increment_id: String(id).padStart(9, '0'),
    state: 2,
    store_id: o.store_id,
    ...(req.capture && o.payment.last_trans_id ? { transaction_id: o.payment.last_trans_id } : {}),
    created_at: now,
    updated_at: now,
    subtotal,
    tax_amount: tax,
    shipping_amount: shipping,
    grand_total: grand,
    total_qty: totalQty,
    base_total_refunded: 0,
    currency: o.currency,
    items,
    comments: newComment(state, 'invoice_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
    refunded_qty: {},
  };
  state.invoices.push(invoice);
  o.updated_at = now;
  resolveState(o, true);
  return invoice;
}

// ---- shipment ----------------------------------------------------------------------------------------

export interface ShipRequest {
  items?: LineRequest[];
  notify?: boolean;
  appendComment?: boolean;
  comment?: CommentRequest;
  tracks?: Array<{ track_number?: string; title?: string; carrier_code?: string }>;
  sourceCode?: string;
}

export function shipOrder(state: SandboxState, o: SbOrder, req: ShipRequest): SbShipment {
  const messages: string[] = [];
  if (['payment_review', 'holded', 'canceled'].includes(o.state) || o.items.every((i) => i.is_virtual)) {
    messages.push(`A shipment cannot be created when an order has a status of ${o.status}`);
  } else if (!canShip(o)) {
    messages.push('The order does not allow a shipment to be created.');
  }
  const plan = plannedQuantities(o, req.items, qtyToShip,
    'The quantity to ship must not be greater than the unshipped quantity for product SKU "%1".', messages);
  if (messages.length === 0 && plan.size === 0) messages.push("You can't create a shipment without products.");
  if (messages.length > 0) throw documentError('Shipment', messages);

  const id = state.nextId('shipment');
  const now = state.now();
  const sourceCode = req.sourceCode ?? 'default';
  const items: SbDocumentItem[] = [];
  let totalQty = 0;
  let totalWeight = 0;
  for (const [item, qty] of plan) {
    // Configurable children are not shipment lines (ShipmentFactory marks them deleted) but
    // their shipped quantity follows the parent.
    items.push(docItem(state, 'shipment_item', id, item, qty, true));
    item.qty_shipped += qty;
    for (const child of childrenOf(o, item)) child.qty_shipped += qty;
    totalQty += qty;
    totalWeight += item.weight * qty;
    // MSI deducts the source quantity when the goods leave (SourceDeductionService).
    const source = state.sourceItems.find((s) => s.sku === item.sku && s.source_code === sourceCode);
    if (source) {
      source.quantity = Math.max(0, source.quantity - qty);
      if (source.quantity === 0) source.status = 0;
    }
  }
  const shipment: SbShipment = {
    entity_id: id,
    order_id: o.entity_id,
    increment_id: String(id).padStart(9, '0'),
    store_id: o.store_id,
    ...(o.customer_id !== undefined ? { customer_id: o.customer_id } : {}),
    billing_address_id: o.billing_address.entity_id,
    shipping_address_id: o.shipping_address.entity_id,
    total_qty: totalQty,
    total_weight: round2(totalWeight),
    created_at: now,
    updated_at: now,
    source_code: sourceCode,
    items,
    tracks: (req.tracks ?? []).map((t) => ({
      entity_id: state.nextId('shipment_track'),
      order_id: o.entity_id,
      parent_id: id,
      track_number: String(t.track_number ?? ''),
      title: String(t.title ?? ''),
      carrier_code: String(t.carrier_code ?? ''),
      description: null,
      qty: null,
      weight: null,
      created_at: now,
      updated_at: now,
    })),
    comments: newComment(state, 'shipment_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
  };
  state.shipments.push(shipment);
  o.updated_at = now;
  resolveState(o, true);
  return shipment;
}

// ---- credit memo --------------------------------------------------------------------------------------

export interface RefundRequest {
  items?: LineRequest[];
  notify?: boolean;
  appendComment?: boolean;
  comment?: CommentRequest;
  shipping_amount?: number;
  adjustment_positive?: number;
  adjustment_negative?: number;
  return_to_stock_items?: number[];
  isOnline?: boolean;
}

export function refundOrder(state: SandboxState, o: SbOrder, req: RefundRequest): SbCreditmemo {
  return createCreditmemo(state, o, req, undefined);
}

export function refundInvoice(state: SandboxState, invoice: SbInvoice, req: RefundRequest): SbCreditmemo {
  const order = state.order(invoice.order_id);
  if (!order) throw notFound();
  return createCreditmemo(state, order, req, invoice);
}

function createCreditmemo(state: SandboxState, o: SbOrder, req: RefundRequest, invoice: SbInvoice | undefined): SbCreditmemo {
  const messages: string[] = [];
  if (invoice && (invoice.state !== 2 || invoice.grand_total <= invoice.base_total_refunded + EPS)) {
    messages.push("We can't create creditmemo for the invoice.");
  }
  if (['payment_review', 'holded', 'canceled', 'closed'].includes(o.state)) {
    messages.push(`A creditmemo can not be created when an order has a status of ${o.status}`);
  } else if (!canCreditmemo(o)) {
    messages.push('The order does not allow a creditmemo to be created.');
  }
  // Against an invoice only what that invoice billed, less what was already refunded from it.
  const remaining = (item: SbOrderItem): number => {
    const fromOrder = qtyToRefund(item);
    if (!invoice) return fromOrder;
    const billed = invoice.items.filter((d) => d.order_item_id === item.item_id).reduce((s, d) => s + d.qty, 0);
    return Math.min(fromOrder, Math.max(billed - (invoice.refunded_qty[item.item_id] ?? 0), 0));
  };
  const plan = plannedQuantities(o, req.items, remaining,
    'The quantity to creditmemo must not be greater than the unrefunded quantity for product SKU "%1".', messages);
  if (messages.length === 0 && plan.size === 0) messages.push("You can't create a creditmemo without products.");
  if (messages.length > 0) throw documentError('Creditmemo', messages);

  const allowedShipping = round2(
    invoice ? Math.min(invoice.shipping_amount, o.shipping_invoiced - o.shipping_refunded) : o.shipping_invoiced - o.shipping_refunded,
  );
  const shipping = req.shipping_amount === undefined ? allowedShipping : round2(Number(req.shipping_amount));
  if (shipping > allowedShipping + EPS) {
    throw badRequest('Maximum shipping amount allowed to refund is: %1', [money(allowedShipping)]);
  }
  const adjPositive = round2(Number(req.adjustment_positive ?? 0));
  const adjNegative = round2(Number(req.adjustment_negative ?? 0));

  let subtotal = 0;
  let tax = 0;
  const lines: Array<[SbOrderItem, number, number]> = [];
  for (const [item, qty] of plan) {
    const closes = qty >= qtyToRefund(item) - EPS;
    const lineTax = taxShare(item.tax_invoiced, item.tax_refunded, qty, item.qty_invoiced, closes);
    lines.push([item, qty, lineTax]);
    subtotal += item.price * qty;
    tax += lineTax;
  }
  subtotal = round2(subtotal);
  tax = round2(tax);
  const grand = round2(subtotal + tax + shipping + adjPositive - adjNegative);
  const available = round2(o.total_paid - o.total_refunded);
  if (grand > available + EPS) throw badRequest('The most money available to refund is %1.', [money(available)]);
  if (grand <= 0) throw badRequest("The credit memo's total must be positive.");

  const id = state.nextId('creditmemo');
  const items: SbDocumentItem[] = [];
  const returnToStock = new Set((req.return_to_stock_items ?? []).map(Number));
  for (const [item, qty, lineTax] of lines) {
    items.push(docItem(state, 'creditmemo_item', id, item, qty, true, lineTax));
    item.qty_refunded += qty;
    item.tax_refunded = round2(item.tax_refunded + lineTax);
    item.amount_refunded = round2(item.amount_refunded + item.price * qty);
    for (const child of childrenOf(o, item)) {
      items.push(docItem(state, 'creditmemo_item', id, child, qty, false));
      child.qty_refunded += qty;
    }
    if (invoice) invoice.refunded_qty[item.item_id] = (invoice.refunded_qty[item.item_id] ?? 0) + qty;
    if (returnToStock.has(item.item_id)) {
      const source = state.sourceItems.find((s) => s.sku === item.sku && s.source_code === 'default');
      if (source) {
        source.quantity += qty;
        source.status = 1;
      }
    }
  }
  o.subtotal_refunded = round2(o.subtotal_refunded + subtotal);
  o.tax_refunded = round2(o.tax_refunded + tax);
  o.shipping_refunded = round2(o.shipping_refunded + shipping);
  o.adjustment_positive = round2(o.adjustment_positive + adjPositive);
  o.adjustment_negative = round2(o.adjustment_negative + adjNegative);
  o.total_refunded = round2(o.total_refunded + grand);
  if (req.isOnline) o.total_online_refunded = round2(o.total_online_refunded + grand);
  else o.total_offline_refunded = round2(o.total_offline_refunded + grand);
  o.payment.amount_refunded = round2(o.payment.amount_refunded + grand);
  if (invoice) invoice.base_total_refunded = round2(invoice.base_total_refunded + grand);

  const now = state.now();
  const creditmemo: SbCreditmemo = {
    entity_id: id,
    order_id: o.entity_id,
    ...(invoice ? { invoice_id: invoice.entity_id } : {}),
    increment_id: String(id).padStart(9, '0'),
    state: 2,
    store_id: o.store_id,
    created_at: now,
    updated_at: now,
    subtotal,
    tax_amount: tax,
    shipping_amount: shipping,
    adjustment_positive: adjPositive,
    adjustment_negative: adjNegative,
    grand_total: grand,
    currency: o.currency,
    items,
    comments: newComment(state, 'creditmemo_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
  };
  state.creditmemos.push(creditmemo);
  o.updated_at = now;
  resolveState(o, false);
  return creditmemo;
}

// ---- cancel / hold / comments ------------------------------------------------------------------------

/** OrderManagement::cancel: false (no exception) when canCancel() says no */
export function cancelOrder(state: SandboxState, o: SbOrder): boolean {
  if (!canCancel(o)) return false;
  // Order::registerCancellation: what was invoiced and not refunded keeps the order alive.
  let next = 'canceled';
  for (const item of o.items) {
    if (next !== 'processing' && qtyToRefund(item) > 0) next = qtyToShip(item) > qtyToCancel(item) ? 'processing' : 'complete';
  }
  let subtotal = 0;
  let tax = 0;
  for (const item of o.items) {
    const qty = qtyToCancel(item);
    if (qty <= 0) continue;
    item.qty_canceled += qty;
    for (const child of childrenOf(o, item)) child.qty_canceled += qty;
    const lineTax = round2((item.tax_amount * qty) / item.qty_ordered);
    item.tax_canceled = round2(item.tax_canceled + lineTax);
    subtotal += item.price * qty;
    tax += lineTax;
  }
  const shipping = round2(o.shipping_amount - o.shipping_invoiced);
  o.subtotal_canceled = round2(o.subtotal_canceled + subtotal);
  o.tax_canceled = round2(o.tax_canceled + tax);
  o.shipping_canceled = round2(o.shipping_canceled + shipping);
  o.total_canceled = round2(o.total_canceled + subtotal + tax + shipping);
  setState(o, next);
  o.updated_at = state.now();
  return true;
}

export function holdOrder(state: SandboxState, o: SbOrder): true {
  if (!canHold(o)) throw badRequest('A hold action is not available.');
  o.hold_before_state = o.state;
  o.hold_before_status = o.status;
  setState(o, 'holded');
  o.updated_at = state.now();
  return true;
}

export function unholdOrder(state: SandboxState, o: SbOrder): true {
  if (o.state !== 'holded') throw badRequest('You cannot remove the hold.');
  o.state = o.hold_before_state ?? 'new';
  o.status = o.hold_before_status ?? DEFAULT_STATUS[o.state] ?? o.state;
  delete o.hold_before_state;
  delete o.hold_before_status;
  o.updated_at = state.now();
  return true;
}

export interface CommentInput {
  comment?: string;
  is_customer_notified?: number | boolean;
  is_visible_on_front?: number | boolean;
  status?: string;
}

/** OrderService::addComment: the status cannot be changed through this route */
export function addOrderComment(state: SandboxState, o: SbOrder, input: CommentInput): true {
  if (input.status && input.status !== o.status) {
    throw badRequest('Unable to add comment: The status "%1" is not part of the order status history.', [input.status]);
  }
  const now = state.now();
  o.status_histories.push({
    entity_id: state.nextId('order_status_history'),
    parent_id: o.entity_id,
    comment: input.comment ?? null,
    is_customer_notified: input.is_customer_notified ? 1 : 0,
    is_visible_on_front: input.is_visible_on_front ? 1 : 0,
    status: o.status,
    entity_name: 'order',
    created_at: now,
  });
  o.updated_at = now;
  return true;
}

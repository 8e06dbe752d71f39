import { badRequest, MagentoError } from './magento-error';
import { DEFAULT_STATUS, round2, type CommentRequest, type InvoiceRequest, type LineRequest, type RefundRequest, type ShipRequest } from './order-rules';
import type { Json, SandboxState } from './state';

/**
 * Magento 2.4.7's document rules for a verbatim order (POST /__sandbox/orders/verbatim). The
 * recorded body stays the record: an invoice, shipment, credit memo or cancel changes exactly the
 * fields Magento changes (the items' quantities and *_invoiced / *_refunded amounts, the order's
 * totals, total_paid / total_due, payment.amount_paid, state and status), and every other field
 * stays as recorded. Money comes from the body's own rows (discounts, tax, discount tax
 * compensation), each document taking its share and the one that closes a row taking what is
 * left, so the documents add up to the order to the cent as they do in Magento.
 *
 * Which rows carry quantities is Order\Item::isDummy(): in invoices and credit memos a
 * configurable's child and a fixed-price bundle's children follow their parent, and a
 * dynamic-price bundle's parent follows its children; in shipments a bundle shipped together
 * ships as its parent (children follow), one shipped separately as its children.
 */

const EPS = 0.0001;
/** per invoice: quantities refunded against it, per order item id (Magento keeps this on the invoice items; it is not in the body) */
const refundedQty = new WeakMap<Json, Record<string, number>>();
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.isFinite(Number(v)) && v !== null && v !== '' ? Number(v) : 0);
const money = (n: number): string => `$${n.toFixed(2)}`;

const itemsOf = (o: Json): Json[] => (Array.isArray(o.items) ? (o.items as Json[]) : []);
const parentOf = (o: Json, item: Json): Json | undefined => (item.parent_item_id ? itemsOf(o).find((i) => i.item_id === item.parent_item_id) : undefined);
const childrenOf = (o: Json, item: Json): Json[] => itemsOf(o).filter((i) => i.parent_item_id !== undefined && i.parent_item_id === item.item_id);
const optionOf = (item: Json, key: string): unknown => (item.product_options as Json | undefined)?.[key];

/**
 * A bundle's "Ship Bundle Items": 1 separately, 0 together (Magento's default). A REST order body
 * does not carry it: the parent row's product_options (a body taken from the database), then the
 * sandbox catalog's product (custom attribute shipment_type), then "together".
 */
export function shipsSeparately(state: SandboxState, parent: Json): boolean {
  if (parent.product_type !== 'bundle') return false;
  const recorded = optionOf(parent, 'shipment_type');
  if (recorded !== undefined && recorded !== null) return num(recorded) === 1;
  const product = state.products.find((p) => p.id === parent.product_id || p.sku === parent.sku);
  const attr = ((product?.custom_attributes as Json[] | undefined) ?? []).find((a) => a.attribute_code === 'shipment_type');
  return attr ? num(attr.value) === 1 : false;
}

/** dynamic price: the children carry the money (product_calculations 0, or priced children) */
function childrenCalculated(o: Json, parent: Json): boolean {
  if (parent.product_type !== 'bundle') return false;
  const recorded = optionOf(parent, 'product_calculations');
  if (recorded !== undefined && recorded !== null) return num(recorded) === 0;
  return childrenOf(o, parent).some((c) => num(c.price) * num(c.qty_ordered) > 0);
}

function isDummy(state: SandboxState, o: Json, item: Json, forShipment: boolean): boolean {
  const parent = parentOf(o, item);
  const hasChildren = childrenOf(o, item).length > 0;
  if (forShipment) {
    if (hasChildren) return shipsSeparately(state, item);
    if (parent) return !shipsSeparately(state, parent);
    return false;
  }
  if (hasChildren) return childrenCalculated(o, item);
  if (parent) return !childrenCalculated(o, parent);
  return false;
}

const isVirtual = (item: Json): boolean => num(item.is_virtual) === 1 || item.is_virtual === true || item.product_type === 'virtual' || item.product_type === 'downloadable';
const toInvoice = (s: SandboxState, o: Json, i: Json): number => (isDummy(s, o, i, false) ? 0 : Math.max(num(i.qty_ordered) - num(i.qty_invoiced) - num(i.qty_canceled), 0));
const toShip = (s: SandboxState, o: Json, i: Json): number =>
  isDummy(s, o, i, true) || isVirtual(i) ? 0 : Math.max(num(i.qty_ordered) - num(i.qty_shipped) - num(i.qty_refunded) - num(i.qty_canceled), 0);
const toRefund = (s: SandboxState, o: Json, i: Json): number => (isDummy(s, o, i, false) ? 0 : Math.max(num(i.qty_invoiced) - num(i.qty_refunded), 0));
const toCancel = (s: SandboxState, o: Json, i: Json): number => Math.min(toInvoice(s, o, i), isVirtual(i) ? toInvoice(s, o, i) : Math.max(num(i.qty_ordered) - num(i.qty_shipped) - num(i.qty_refunded) - num(i.qty_canceled), 0));

const heldOrInReview = (o: Json): boolean => o.state === 'holded' || o.state === 'payment_review';
const canInvoice = (s: SandboxState, o: Json): boolean => !heldOrInReview(o) && !['canceled', 'complete', 'closed'].includes(String(o.state)) && itemsOf(o).some((i) => toInvoice(s, o, i) > 0);
const canShip = (s: SandboxState, o: Json): boolean => !heldOrInReview(o) && o.state !== 'canceled' && itemsOf(o).some((i) => toShip(s, o, i) > 0);
const canCreditmemo = (o: Json): boolean => !heldOrInReview(o) && o.state !== 'canceled' && o.state !== 'closed' && Math.abs(num(o.total_paid) - num(o.total_refunded)) >= EPS;

function setState(o: Json, state: string): void {
  o.state = state;
  o.status = DEFAULT_STATUS[state] ?? state;
}

/** OrderStateResolver after a document */
function resolveState(s: SandboxState, o: Json): void {
  let next = String(o.state);
  if (o.state !== 'canceled' && o.state !== 'holded' && !canInvoice(s, o) && !canShip(s, o)) {
    if (num(o.grand_total) === 0 || canCreditmemo(o)) next = 'complete';
    else if (num(o.total_refunded) > 0) next = 'closed';
  }
  if (next === o.state && (o.state === 'new' || o.state === 'pending_payment')) next = 'processing';
  if (next !== o.state) setState(o, next);
}

/** adds `delta` to a field and `delta / rate` to its base_ twin (rate: the order's base_to_order_rate) */
function add(target: Json, field: string, delta: number, rate = 1): void {
  target[field] = round2(num(target[field]) + delta);
  target[`base_${field}`] = round2(num(target[`base_${field}`]) + delta / (rate || 1));
}

/** a dummy row follows the quantities of the row that carries them */
function follow(s: SandboxState, o: Json, item: Json, qtyField: string, delta: number, forShipment: boolean): void {
  for (const child of childrenOf(o, item)) {
    if (!isDummy(s, o, child, forShipment)) continue;
    child[qtyField] = num(child[qtyField]) + (delta * num(child.qty_ordered)) / Math.max(num(item.qty_ordered), EPS);
  }
  const parent = parentOf(o, item);
  if (parent && isDummy(s, o, parent, forShipment)) {
    // the parent counts as done as far as all of its children are
    const done = Math.min(...childrenOf(o, parent).map((c) => (num(c[qtyField]) * num(parent.qty_ordered)) / Math.max(num(c.qty_ordered), EPS)));
    parent[qtyField] = Math.round(done * 10_000) / 10_000;
  }
}

/** shipping_assignments repeat the items: they show the same quantities */
function mirrorAssignments(o: Json): void {
  const ext = o.extension_attributes as Json | undefined;
  for (const assignment of (ext?.shipping_assignments as Json[] | undefined) ?? []) {
    for (const copy of (assignment.items as Json[] | undefined) ?? []) {
      const item = itemsOf(o).find((i) => i.item_id === copy.item_id);
      if (item) Object.assign(copy, item);
    }
  }
}

function totalDue(o: Json): void {
  o.total_due = round2(num(o.grand_total) - num(o.total_paid));
  o.base_total_due = round2(num(o.base_grand_total ?? o.grand_total) - num(o.base_total_paid ?? o.total_paid));
}

function plan(s: SandboxState, o: Json, requested: LineRequest[] | undefined, remaining: (i: Json) => number, forShipment: boolean, over: string, messages: string[]): Map<Json, number> {
  const out = new Map<Json, number>();
  if (!requested || requested.length === 0) {
    for (const item of itemsOf(o)) if (remaining(item) > EPS) out.set(item, remaining(item));
    return out;
  }
  for (const line of requested) {
    const item = itemsOf(o).find((i) => i.item_id === Number(line.order_item_id));
    const qty = Number(line.qty);
    // Unknown ids and dummy rows are skipped, as the document factories do: only the rows that
    // carry quantities count (a bundle shipped together is shipped by naming its parent).
    if (!item || !(qty > 0) || isDummy(s, o, item, forShipment)) continue;
    if (qty > remaining(item) + EPS) {
      messages.push(over.replace('%1', String(item.sku)));
      continue;
    }
    out.set(item, (out.get(item) ?? 0) + qty);
  }
  return out;
}

function documentError(kind: 'Invoice' | 'Shipment' | 'Creditmemo', messages: string[]): MagentoError {
  return badRequest(`${kind} Document Validation Error(s):\n${messages.join('\n')}`);
}

function comments(s: SandboxState, table: string, parentId: number, comment: CommentRequest | undefined, notified: boolean): Json[] {
  if (!comment?.comment) return [];
  return [{ entity_id: s.nextId(table), parent_id: parentId, comment: comment.comment, is_customer_notified: notified ? 1 : 0, is_visible_on_front: comment.is_visible_on_front ? 1 : 0, created_at: s.now() }];
}

/** a row's share of `field` for qty out of `of`; the share that closes the row takes what is left */
function share(item: Json, field: string, done: string, qty: number, of: number, closes: boolean): number {
  return closes ? round2(num(item[field]) - num(item[done])) : round2((num(item[field]) * qty) / Math.max(of, EPS));
}

function docItem(s: SandboxState, table: string, parentId: number, item: Json, qty: number, amounts: { row: number; tax: number; discount: number } | undefined): Json {
  const base = { entity_id: s.nextId(table), parent_id: parentId, order_item_id: item.item_id, product_id: item.product_id, sku: item.sku, name: item.name, qty };
  if (!amounts) return { ...base, price: 0, row_total: 0 };
  return {
    ...base,
    price: num(item.price), base_price: num(item.base_price ?? item.price), price_incl_tax: num(item.price_incl_tax ?? item.price),
    row_total: amounts.row, base_row_total: amounts.row, row_total_incl_tax: round2(amounts.row + amounts.tax),
    tax_amount: amounts.tax, base_tax_amount: amounts.tax, discount_amount: amounts.discount, base_discount_amount: amounts.discount,
  };
}

// ---- invoice -----------------------------------------------------------------------------------

export function invoiceVerbatim(s: SandboxState, o: Json, req: InvoiceRequest): Json {
  const rate = num(o.base_to_order_rate) || 1;
  const messages: string[] = [];
  if (['payment_review', 'holded', 'canceled', 'complete', 'closed'].includes(String(o.state))) messages.push(`An invoice cannot be created when an order has a status of ${String(o.status)}`);
  else if (!canInvoice(s, o)) messages.push('The order does not allow an invoice to be created.');
  const lines = plan(s, o, req.items, (i) => toInvoice(s, o, i), false, 'The quantity to invoice must not be greater than the uninvoiced quantity for product SKU "%1".', messages);
  if (messages.length === 0 && lines.size === 0) messages.push("You can't create an invoice without products.");
  if (messages.length > 0) throw documentError('Invoice', messages);

  const id = s.nextId('invoice');
  const docItems: Json[] = [];
  let subtotal = 0, tax = 0, discount = 0, compensation = 0, qtyTotal = 0;
  for (const [item, qty] of lines) {
    const closes = qty >= toInvoice(s, o, item) - EPS;
    // price × qty: REST renders row_total after the discount (ChangeOutputArray), the invoice row is before it
    const row = closes ? round2(round2(num(item.price) * num(item.qty_ordered)) - num(item.row_invoiced)) : round2(num(item.price) * qty);
    const lineTax = share(item, 'tax_amount', 'tax_invoiced', qty, num(item.qty_ordered), closes);
    const lineDiscount = share(item, 'discount_amount', 'discount_invoiced', qty, num(item.qty_ordered), closes);
    const lineComp = closes ? round2(num(item.discount_tax_compensation_amount) - num(item.discount_tax_compensation_invoiced)) : round2((num(item.discount_tax_compensation_amount) * qty) / Math.max(num(item.qty_ordered), EPS));
    docItems.push(docItem(s, 'invoice_item', id, item, qty, { row, tax: lineTax, discount: lineDiscount }));
    for (const child of childrenOf(o, item).filter((c) => isDummy(s, o, c, false))) docItems.push(docItem(s, 'invoice_item', id, child, (qty * num(child.qty_ordered)) / Math.max(num(item.qty_ordered), EPS), undefined));
    item.qty_invoiced = num(item.qty_invoiced) + qty;
    add(item, 'row_invoiced', row, rate);
    add(item, 'tax_invoiced', lineTax, rate);
    add(item, 'discount_invoiced', lineDiscount, rate);
    if (lineComp) item.discount_tax_compensation_invoiced = round2(num(item.discount_tax_compensation_invoiced) + lineComp);
    follow(s, o, item, 'qty_invoiced', qty, false);
    subtotal += row; tax += lineTax; discount += lineDiscount; compensation += lineComp; qtyTotal += qty;
  }
  // Shipping (and its tax and discount) goes with the first invoice.
  const firstInvoice = num(o.shipping_invoiced) === 0 && num(o.total_invoiced) === 0;
  const shipping = round2(num(o.shipping_amount) - num(o.shipping_invoiced));
  const shippingTax = firstInvoice ? num(o.shipping_tax_amount) : 0;
  const shippingDiscount = firstInvoice ? Math.abs(num(o.shipping_discount_amount)) : 0;
  const shippingComp = firstInvoice ? num(o.shipping_discount_tax_compensation_amount) : 0;
  subtotal = round2(subtotal);
  tax = round2(tax + shippingTax);
  discount = round2(discount + shippingDiscount);
  let grand = round2(subtotal + tax + shipping + compensation + shippingComp - discount);
  // The invoice that leaves nothing to invoice takes the rest, as Magento's total collectors do.
  if (!itemsOf(o).some((i) => toInvoice(s, o, i) > EPS)) grand = round2(num(o.grand_total) - num(o.total_invoiced));

  add(o, 'subtotal_invoiced', subtotal, rate);
  add(o, 'tax_invoiced', tax, rate);
  add(o, 'shipping_invoiced', shipping, rate);
  add(o, 'discount_invoiced', -discount, rate);
  add(o, 'total_invoiced', grand, rate);
  add(o, 'total_paid', grand, rate);
  const payment = (o.payment ?? (o.payment = {})) as Json;
  add(payment, 'amount_paid', grand, rate);
  totalDue(o);
  const now = s.now();
  const currency = o.order_currency_code ?? 'USD';
  const invoice: Json = {
    base_currency_code: o.base_currency_code ?? currency, base_grand_total: grand, base_subtotal: subtotal, base_tax_amount: tax, base_shipping_amount: shipping, base_discount_amount: -discount,
    billing_address_id: o.billing_address_id, can_void_flag: 0, created_at: now, discount_amount: -discount, email_sent: req.notify ? 1 : 0, entity_id: id,
    global_currency_code: o.global_currency_code ?? currency, grand_total: grand, increment_id: String(id).padStart(9, '0'), order_currency_code: currency, order_id: o.entity_id,
    shipping_amount: shipping, shipping_incl_tax: round2(shipping + shippingTax), shipping_tax_amount: shippingTax, state: 2, store_currency_code: o.store_currency_code ?? currency, store_id: o.store_id,
    subtotal, subtotal_incl_tax: round2(subtotal + tax - shippingTax), tax_amount: tax, total_qty: qtyTotal,
    ...(req.capture && (o.payment as Json).last_trans_id ? { transaction_id: (o.payment as Json).last_trans_id } : {}),
    updated_at: now, items: docItems, comments: comments(s, 'invoice_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
  };
  s.verbatimDocuments.invoices.push(invoice);
  o.updated_at = now;
  resolveState(s, o);
  mirrorAssignments(o);
  return invoice;
}

// ---- shipment ----------------------------------------------------------------------------------

export function shipVerbatim(s: SandboxState, o: Json, req: ShipRequest): Json {
  const messages: string[] = [];
  if (['payment_review', 'holded', 'canceled'].includes(String(o.state)) || itemsOf(o).every(isVirtual)) messages.push(`A shipment cannot be created when an order has a status of ${String(o.status)}`);
  else if (!canShip(s, o)) messages.push('The order does not allow a shipment to be created.');
  const lines = plan(s, o, req.items, (i) => toShip(s, o, i), true, 'The quantity to ship must not be greater than the unshipped quantity for product SKU "%1".', messages);
  if (messages.length === 0 && lines.size === 0) messages.push("You can't create a shipment without products.");
  if (messages.length > 0) throw documentError('Shipment', messages);

  const id = s.nextId('shipment');
  const now = s.now();
  const docItems: Json[] = [];
  let qtyTotal = 0, weight = 0;
  for (const [item, qty] of lines) {
    docItems.push({ ...docItem(s, 'shipment_item', id, item, qty, undefined), price: num(item.price), weight: num(item.weight) });
    // A bundle shipped together lists its components too (ShipmentFactory keeps the dummy children).
    for (const child of childrenOf(o, item).filter((c) => item.product_type === 'bundle' && isDummy(s, o, c, true))) {
      docItems.push({ ...docItem(s, 'shipment_item', id, child, (qty * num(child.qty_ordered)) / Math.max(num(item.qty_ordered), EPS), undefined), weight: num(child.weight) });
    }
    item.qty_shipped = num(item.qty_shipped) + qty;
    follow(s, o, item, 'qty_shipped', qty, true);
    qtyTotal += qty;
    weight += num(item.weight) * qty;
  }
  const shipment: Json = {
    billing_address_id: o.billing_address_id, created_at: now, ...(o.customer_id !== undefined ? { customer_id: o.customer_id } : {}), email_sent: req.notify ? 1 : 0, entity_id: id,
    increment_id: String(id).padStart(9, '0'), order_id: o.entity_id, packages: [], store_id: o.store_id, total_qty: qtyTotal, total_weight: round2(weight), updated_at: now,
    items: docItems,
    tracks: (req.tracks ?? []).map((t) => ({ entity_id: s.nextId('shipment_track'), order_id: o.entity_id, parent_id: id, track_number: String(t.track_number ?? ''), title: String(t.title ?? ''), carrier_code: String(t.carrier_code ?? ''), description: null, qty: null, weight: null, created_at: now, updated_at: now })),
    comments: comments(s, 'shipment_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
    ...(req.sourceCode ? { extension_attributes: { source_code: req.sourceCode } } : {}),
  };
  s.verbatimDocuments.shipments.push(shipment);
  o.updated_at = now;
  resolveState(s, o);
  mirrorAssignments(o);
  return shipment;
}

// ---- credit memo -------------------------------------------------------------------------------

export function refundVerbatim(s: SandboxState, o: Json, req: RefundRequest, invoice?: Json): Json {
  const rate = num(o.base_to_order_rate) || 1;
  const messages: string[] = [];
  if (invoice && (invoice.state !== 2 || num(invoice.grand_total) <= num(invoice.base_total_refunded) + EPS)) messages.push("We can't create creditmemo for the invoice.");
  if (['payment_review', 'holded', 'canceled', 'closed'].includes(String(o.state))) messages.push(`A creditmemo can not be created when an order has a status of ${String(o.status)}`);
  else if (!canCreditmemo(o)) messages.push('The order does not allow a creditmemo to be created.');
  const refundedFromInvoice = invoice ? (refundedQty.get(invoice) ?? {}) : {};
  const remaining = (item: Json): number => {
    const fromOrder = toRefund(s, o, item);
    if (!invoice) return fromOrder;
    const billed = ((invoice.items as Json[]) ?? []).filter((d) => d.order_item_id === item.item_id).reduce((sum, d) => sum + num(d.qty), 0);
    return Math.min(fromOrder, Math.max(billed - num(refundedFromInvoice[String(item.item_id)]), 0));
  };
  const lines = plan(s, o, req.items, remaining, false, 'The quantity to creditmemo must not be greater than the unrefunded quantity for product SKU "%1".', messages);
  if (messages.length === 0 && lines.size === 0 && req.shipping_amount === undefined && !req.adjustment_positive) messages.push("You can't create a creditmemo without products.");
  if (messages.length > 0) throw documentError('Creditmemo', messages);

  const allowedShipping = round2(invoice ? Math.min(num(invoice.shipping_amount), num(o.shipping_invoiced) - num(o.shipping_refunded)) : num(o.shipping_invoiced) - num(o.shipping_refunded));
  const shipping = req.shipping_amount === undefined ? allowedShipping : round2(Number(req.shipping_amount));
  if (shipping > allowedShipping + EPS) throw badRequest('Maximum shipping amount allowed to refund is: %1', [money(allowedShipping)]);
  const shippingTax = allowedShipping > 0 ? round2((num(o.shipping_tax_amount) * shipping) / Math.max(num(o.shipping_amount), EPS)) : 0;
  const adjPositive = round2(Number(req.adjustment_positive ?? 0));
  const adjNegative = round2(Number(req.adjustment_negative ?? 0));

  const id = s.nextId('creditmemo');
  const docItems: Json[] = [];
  let subtotal = 0, tax = 0, discount = 0;
  for (const [item, qty] of lines) {
    const closes = qty >= toRefund(s, o, item) - EPS;
    const row = share(item, 'row_invoiced', 'amount_refunded', qty, num(item.qty_invoiced), closes);
    const lineTax = share(item, 'tax_invoiced', 'tax_refunded', qty, num(item.qty_invoiced), closes);
    const lineDiscount = share(item, 'discount_invoiced', 'discount_refunded', qty, num(item.qty_invoiced), closes);
    docItems.push(docItem(s, 'creditmemo_item', id, item, qty, { row, tax: lineTax, discount: lineDiscount }));
    for (const child of childrenOf(o, item).filter((c) => isDummy(s, o, c, false))) docItems.push(docItem(s, 'creditmemo_item', id, child, (qty * num(child.qty_ordered)) / Math.max(num(item.qty_ordered), EPS), undefined));
    item.qty_refunded = num(item.qty_refunded) + qty;
    add(item, 'amount_refunded', row, rate);
    add(item, 'tax_refunded', lineTax, rate);
    add(item, 'discount_refunded', lineDiscount, rate);
    follow(s, o, item, 'qty_refunded', qty, false);
    if (invoice) refundedFromInvoice[String(item.item_id)] = num(refundedFromInvoice[String(item.item_id)]) + qty;
    subtotal += row; tax += lineTax; discount += lineDiscount;
  }
  subtotal = round2(subtotal);
  tax = round2(tax + shippingTax);
  discount = round2(discount);
  let grand = round2(subtotal + tax + shipping - discount + adjPositive - adjNegative);
  const available = round2(num(o.total_paid) - num(o.total_refunded));
  // The credit memo that refunds everything left takes exactly what is left.
  const refundsAll = !itemsOf(o).some((i) => toRefund(s, o, i) > EPS) && shipping >= allowedShipping - EPS && adjPositive === 0 && adjNegative === 0;
  if (refundsAll && Math.abs(grand - available) <= 0.05) grand = available;
  if (grand > available + EPS) throw badRequest('The most money available to refund is %1.', [money(available)]);
  if (grand <= 0) throw badRequest("The credit memo's total must be positive.");

  add(o, 'subtotal_refunded', subtotal, rate);
  add(o, 'tax_refunded', tax, rate);
  add(o, 'shipping_refunded', shipping, rate);
  add(o, 'discount_refunded', -discount, rate);
  o.adjustment_positive = round2(num(o.adjustment_positive) + adjPositive);
  o.adjustment_negative = round2(num(o.adjustment_negative) + adjNegative);
  add(o, 'total_refunded', grand, rate);
  add(o, req.isOnline ? 'total_online_refunded' : 'total_offline_refunded', grand, rate);
  add(o.payment as Json, 'amount_refunded', grand, rate);
  if (invoice) {
    invoice.base_total_refunded = round2(num(invoice.base_total_refunded) + grand);
    refundedQty.set(invoice, refundedFromInvoice);
  }
  const now = s.now();
  const currency = o.order_currency_code ?? 'USD';
  const creditmemo: Json = {
    adjustment: round2(adjPositive - adjNegative), adjustment_negative: adjNegative, adjustment_positive: adjPositive, base_adjustment: round2(adjPositive - adjNegative),
    base_currency_code: o.base_currency_code ?? currency, base_grand_total: grand, base_shipping_amount: shipping, base_subtotal: subtotal, base_tax_amount: tax, base_discount_amount: -discount,
    created_at: now, creditmemo_status: 2, discount_amount: -discount, entity_id: id, grand_total: grand, increment_id: String(id).padStart(9, '0'),
    ...(invoice ? { invoice_id: invoice.entity_id } : {}), order_currency_code: currency, order_id: o.entity_id, shipping_amount: shipping, shipping_tax_amount: shippingTax, state: 2, store_id: o.store_id,
    subtotal, tax_amount: tax, updated_at: now, items: docItems, comments: comments(s, 'creditmemo_comment', id, req.comment, Boolean(req.appendComment && req.notify)),
  };
  s.verbatimDocuments.creditmemos.push(creditmemo);
  o.updated_at = now;
  resolveState(s, o);
  mirrorAssignments(o);
  return creditmemo;
}

// ---- cancel ------------------------------------------------------------------------------------

export function cancelVerbatim(s: SandboxState, o: Json): boolean {
  if (heldOrInReview(o) || itemsOf(o).every((i) => toInvoice(s, o, i) === 0) || ['canceled', 'complete', 'closed'].includes(String(o.state))) return false;
  const rate = num(o.base_to_order_rate) || 1;
  let next = 'canceled';
  for (const item of itemsOf(o)) {
    if (next !== 'processing' && toRefund(s, o, item) > 0) next = toShip(s, o, item) > toCancel(s, o, item) ? 'processing' : 'complete';
  }
  let subtotal = 0, tax = 0, discount = 0;
  for (const item of itemsOf(o)) {
    const qty = toCancel(s, o, item);
    if (qty <= 0) continue;
    item.qty_canceled = num(item.qty_canceled) + qty;
    follow(s, o, item, 'qty_canceled', qty, false);
    const of = Math.max(num(item.qty_ordered), EPS);
    const lineTax = round2((num(item.tax_amount) * qty) / of);
    item.tax_canceled = round2(num(item.tax_canceled) + lineTax);
    subtotal += num(item.price) * qty;
    tax += lineTax;
    discount += (num(item.discount_amount) * qty) / of;
  }
  const shipping = round2(num(o.shipping_amount) - num(o.shipping_invoiced));
  add(o, 'subtotal_canceled', round2(subtotal), rate);
  add(o, 'tax_canceled', round2(tax), rate);
  add(o, 'shipping_canceled', shipping, rate);
  add(o, 'discount_canceled', -round2(discount), rate);
  add(o, 'total_canceled', round2(subtotal + tax + shipping - discount), rate);
  setState(o, next);
  o.updated_at = s.now();
  mirrorAssignments(o);
  return true;
}

/** OrderService::addComment on a verbatim order: newest first, as the body lists them */
export function addVerbatimComment(s: SandboxState, o: Json, input: Json): true {
  if (input.status && input.status !== o.status) throw badRequest('Unable to add comment: The status "%1" is not part of the order status history.', [String(input.status)]);
  const now = s.now();
  const histories = Array.isArray(o.status_histories) ? (o.status_histories as Json[]) : (o.status_histories = []);
  (histories as Json[]).unshift({
    comment: input.comment ?? null, created_at: now, entity_id: s.nextId('order_status_history'), entity_name: 'order',
    is_customer_notified: input.is_customer_notified ? 1 : 0, is_visible_on_front: input.is_visible_on_front ? 1 : 0, parent_id: o.entity_id, status: o.status,
  });
  o.updated_at = now;
  return true;
}

/** Order::hold / unhold on a verbatim order (what canHold allows; the state before is kept for unhold) */
const heldBefore = new WeakMap<Json, { state: unknown; status: unknown }>();

export function holdVerbatim(s: SandboxState, o: Json): true {
  if (['canceled', 'payment_review', 'complete', 'closed', 'holded'].includes(String(o.state))) throw badRequest('A hold action is not available.');
  heldBefore.set(o, { state: o.state, status: o.status });
  setState(o, 'holded');
  o.updated_at = s.now();
  return true;
}

export function unholdVerbatim(s: SandboxState, o: Json): true {
  if (o.state !== 'holded') throw badRequest('You cannot remove the hold.');
  const before = heldBefore.get(o);
  o.state = before?.state ?? 'new';
  o.status = before?.status ?? DEFAULT_STATUS[String(o.state)] ?? o.state;
  heldBefore.delete(o);
  o.updated_at = s.now();
  return true;
}

import { z } from 'zod';
import { IntegrationError } from '../errors';
import { formatIssuePath, type MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import {
  BooleanResultSchema, EntityIdResultSchema, OrderSchema, OrderSearchEnvelopeSchema, OrderSearchResultSchema, OrderStatusHistorySearchResultSchema,
  OrderSummarySchema, type Order, type OrderSummary, type SearchResult,
} from './schemas';
import { SearchCriteria } from './search-criteria';

/** One order of a search page, checked on its own: a bad one does not hide the others. */
export type OrderEntry =
  | { ok: true; order: Order; summary: OrderSummary }
  /** summary null: not even the increment id is readable */
  | { ok: false; summary: OrderSummary | null; error: IntegrationError };

/**
 * Checks one order body against the order contract. The error names the order by its increment
 * id and the field inside the order ("items[5].sku"), not the order's position in a page.
 */
export function checkOrder(raw: unknown, operation: string, position?: number): OrderEntry {
  const summary = OrderSummarySchema.safeParse(raw);
  const full = OrderSchema.safeParse(raw);
  if (full.success) return { ok: true, order: full.data, summary: summary.success ? summary.data : { increment_id: full.data.increment_id } };
  const issues = full.error.issues
    .slice(0, 5)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`)
    .join('; ');
  const who = summary.success ? `order ${summary.data.increment_id}` : `the order at position ${position ?? 0} of the answer (no readable increment_id)`;
  const error = new IntegrationError('magento', 'protocol', `Magento ${operation}: ${who} does not match the order contract: ${issues}; fix the order in Magento, then retry`, { operation });
  return { ok: false, summary: summary.success ? summary.data : null, error };
}

export interface LineQty {
  orderItemId: number;
  qty: number;
}

export interface DocumentComment {
  comment: string;
  isVisibleOnFront?: boolean;
}

interface DocumentOptions {
  /** empty or omitted: every remaining quantity */
  items?: LineQty[];
  /** send the customer e-mail */
  notify?: boolean;
  /** put the comment into that e-mail */
  appendComment?: boolean;
  comment?: DocumentComment;
}

export interface ShipOptions extends DocumentOptions {
  tracks?: Array<{ trackNumber: string; title: string; carrierCode: string }>;
  /** MSI source the goods left from; Magento picks one when omitted */
  sourceCode?: string;
}

export interface InvoiceOptions extends DocumentOptions {
  /** true: capture online through the gateway; false: mark paid without contacting it */
  capture?: boolean;
}

export interface RefundOptions extends DocumentOptions {
  shippingAmount?: number;
  adjustmentPositive?: number;
  adjustmentNegative?: number;
  /** order item ids whose quantity goes back to stock */
  returnToStockItems?: number[];
}

export interface OrderCommentInput {
  comment: string;
  isCustomerNotified?: boolean;
  isVisibleOnFront?: boolean;
  /** must equal the current status: this route cannot change it (400 otherwise) */
  status?: string;
}

export function lineItems(items: LineQty[] | undefined): Array<{ order_item_id: number; qty: number }> | undefined {
  return items?.map((i) => ({ order_item_id: i.orderItemId, qty: i.qty }));
}

export function commentBody(comment: DocumentComment | undefined): { comment: string; is_visible_on_front: number } | undefined {
  return comment ? { comment: comment.comment, is_visible_on_front: comment.isVisibleOnFront ? 1 : 0 } : undefined;
}

/** Body keys are the PHP parameter names of RefundOrderInterface / RefundInvoiceInterface. */
export function refundBody(options: RefundOptions): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (options.shippingAmount !== undefined) args.shipping_amount = options.shippingAmount;
  if (options.adjustmentPositive !== undefined) args.adjustment_positive = options.adjustmentPositive;
  if (options.adjustmentNegative !== undefined) args.adjustment_negative = options.adjustmentNegative;
  if (options.returnToStockItems) args.extension_attributes = { return_to_stock_items: options.returnToStockItems };
  return {
    items: lineItems(options.items) ?? [],
    notify: options.notify ?? false,
    appendComment: options.appendComment ?? false,
    ...(options.comment ? { comment: commentBody(options.comment) } : {}),
    ...(Object.keys(args).length > 0 ? { arguments: args } : {}),
  };
}

/** Orders and the document actions that hang off an order (ship, invoice, refund). */
export class OrdersApi {
  constructor(private readonly http: MagentoHttp) {}

  /** by entity_id (not increment_id) */
  async get(id: number): Promise<Order> {
    const raw = await this.http.call(ROUTES.orders.get, { path: { id } }, z.unknown());
    const entry = checkOrder(raw, `GET /V1/orders/${id}`);
    if (!entry.ok) throw entry.error;
    return entry.order;
  }

  search(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.orders.search, { query: criteria.toQueryPairs() }, OrderSearchResultSchema);
  }

  pages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Order>> {
    return paginate((c) => this.search(c), criteria, pageSize);
  }

  /** A search whose orders are checked one by one (listings that must not stop at one bad order). */
  async searchEach(criteria: SearchCriteria = SearchCriteria.empty()): Promise<SearchResult<OrderEntry>> {
    const page = await this.http.call(ROUTES.orders.search, { query: criteria.toQueryPairs() }, OrderSearchEnvelopeSchema);
    return { ...page, items: page.items.map((raw, i) => checkOrder(raw, 'GET /V1/orders', i)) };
  }

  pagesEach(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<OrderEntry>> {
    return paginate((c) => this.searchEach(c), criteria, pageSize);
  }

  /** false (not an error) when Order::canCancel() says no: held, fully invoiced, complete, closed, canceled */
  cancel(id: number): Promise<boolean> {
    return this.http.call(ROUTES.orders.cancel, { path: { id } }, BooleanResultSchema);
  }

  hold(id: number): Promise<boolean> {
    return this.http.call(ROUTES.orders.hold, { path: { id } }, BooleanResultSchema);
  }

  unhold(id: number): Promise<boolean> {
    return this.http.call(ROUTES.orders.unhold, { path: { id } }, BooleanResultSchema);
  }

  addComment(id: number, input: OrderCommentInput): Promise<boolean> {
    const statusHistory: Record<string, unknown> = {
      comment: input.comment,
      is_customer_notified: input.isCustomerNotified ? 1 : 0,
      is_visible_on_front: input.isVisibleOnFront ? 1 : 0,
      parent_id: id,
    };
    if (input.status) statusHistory.status = input.status;
    return this.http.call(ROUTES.orders.addComment, { path: { id }, body: { statusHistory } }, BooleanResultSchema);
  }

  comments(id: number) {
    return this.http.call(ROUTES.orders.comments, { path: { id } }, OrderStatusHistorySearchResultSchema);
  }

  /** POST /V1/order/:orderId/ship; returns the new shipment's entity_id */
  ship(orderId: number, options: ShipOptions = {}): Promise<number> {
    const body: Record<string, unknown> = {
      items: lineItems(options.items) ?? [],
      notify: options.notify ?? false,
      appendComment: options.appendComment ?? false,
      tracks: (options.tracks ?? []).map((t) => ({ track_number: t.trackNumber, title: t.title, carrier_code: t.carrierCode })),
    };
    if (options.comment) body.comment = commentBody(options.comment);
    if (options.sourceCode) body.arguments = { extension_attributes: { source_code: options.sourceCode } };
    return this.http.call(ROUTES.orders.ship, { path: { orderId }, body }, EntityIdResultSchema);
  }

  /** POST /V1/order/:orderId/invoice; returns the new invoice's entity_id */
  invoice(orderId: number, options: InvoiceOptions = {}): Promise<number> {
    const body: Record<string, unknown> = {
      capture: options.capture ?? false,
      items: lineItems(options.items) ?? [],
      notify: options.notify ?? false,
      appendComment: options.appendComment ?? false,
    };
    if (options.comment) body.comment = commentBody(options.comment);
    return this.http.call(ROUTES.orders.invoice, { path: { orderId }, body }, EntityIdResultSchema);
  }

  /** POST /V1/order/:orderId/refund (offline credit memo); returns the new credit memo's entity_id */
  refund(orderId: number, options: RefundOptions = {}): Promise<number> {
    return this.http.call(ROUTES.orders.refund, { path: { orderId }, body: refundBody(options) }, EntityIdResultSchema);
  }
}

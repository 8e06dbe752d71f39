import { seededRandom } from '../demo-world';

/**
 * The sandbox's in-memory store. Records are kept close to their REST shape (Magento's snake_case
 * field names) so that rendering is mostly a copy; the order model keeps the fields the rules
 * mutate typed.
 */

export type Json = Record<string, unknown>;

export interface SbAddress {
  entity_id: number;
  parent_id: number;
  address_type: 'billing' | 'shipping';
  customer_address_id?: number;
  customer_id?: number;
  email: string;
  firstname: string;
  lastname: string;
  street: string[];
  city: string;
  postcode: string;
  country_id: string;
  region?: string;
  region_code?: string;
  region_id?: number;
  telephone: string;
  company?: string;
}

export interface SbOrderItem {
  item_id: number;
  order_id: number;
  parent_item_id?: number;
  quote_item_id: number;
  store_id: number;
  product_id: number;
  product_type: 'simple' | 'configurable' | 'virtual';
  sku: string;
  name: string;
  weight: number;
  is_virtual: number;
  is_qty_decimal: number;
  qty_ordered: number;
  qty_invoiced: number;
  qty_shipped: number;
  qty_refunded: number;
  qty_canceled: number;
  price: number;
  original_price: number;
  price_incl_tax?: number;
  tax_percent: number;
  tax_amount: number;
  tax_invoiced: number;
  tax_refunded: number;
  tax_canceled: number;
  row_invoiced: number;
  amount_refunded: number;
  discount_amount: number;
  created_at: string;
  updated_at: string;
  /** configurable parent: [attribute_id, option id] pairs chosen */
  configurable_item_options?: Array<{ option_id: string; option_value: number }>;
}

export interface SbStatusHistory {
  entity_id: number;
  parent_id: number;
  comment: string | null;
  is_customer_notified: number | null;
  is_visible_on_front: number;
  status: string;
  entity_name: string;
  created_at: string;
}

export interface SbPayment {
  entity_id: number;
  parent_id: number;
  method: string;
  title: string;
  kind: 'online' | 'offline';
  amount_ordered: number;
  amount_paid: number;
  amount_refunded: number;
  shipping_amount: number;
  last_trans_id?: string;
  cc_last4: string | null;
  cc_type?: string;
  /** what a gateway authorised / captured at checkout (OrderPaymentInterface); omitted when unset, as Magento omits nulls */
  amount_authorized?: number;
  base_amount_paid_online?: number;
}

/** "items[0].sku" set to `value`, or removed when `remove` is true */
export interface RawEdit { path: string; value?: unknown; remove?: boolean }

export interface SbOrder {
  entity_id: number;
  increment_id: string;
  state: string;
  status: string;
  hold_before_state?: string;
  hold_before_status?: string;
  store_id: number;
  store_name: string;
  quote_id: number;
  protect_code: string;
  created_at: string;
  updated_at: string;
  customer_id?: number;
  customer_is_guest: number;
  customer_email: string;
  customer_firstname: string;
  customer_lastname: string;
  customer_group_id: number;
  currency: string;
  shipping_method: string;
  shipping_description: string;
  /** the tax rate applied to every line (one rate per destination in the demo world) */
  tax_code?: string;
  tax_percent: number;
  shipping_amount: number;
  shipping_tax_amount: number;
  shipping_invoiced: number;
  shipping_refunded: number;
  shipping_canceled: number;
  subtotal_invoiced: number;
  subtotal_refunded: number;
  subtotal_canceled: number;
  tax_invoiced: number;
  tax_refunded: number;
  tax_canceled: number;
  total_paid: number;
  total_invoiced: number;
  total_refunded: number;
  total_offline_refunded: number;
  total_online_refunded: number;
  total_canceled: number;
  adjustment_positive: number;
  adjustment_negative: number;
  items: SbOrderItem[];
  billing_address: SbAddress;
  shipping_address: SbAddress;
  payment: SbPayment;
  status_histories: SbStatusHistory[];
  /**
   * Applied to the rendered order last: what a broken third-party module or a hand-edited row
   * makes Magento answer (a numeric sku, no customer_email). Tests of malformed orders set it.
   */
  rawEdits?: RawEdit[];
  relation_parent_id?: string;
  relation_parent_real_id?: string;
}

export interface SbDocumentItem {
  entity_id: number;
  parent_id: number;
  order_item_id: number;
  product_id: number;
  sku: string;
  name: string;
  qty: number;
  price: number;
  row_total: number;
  tax_amount: number;
  weight?: number;
}

export interface SbComment {
  entity_id: number;
  parent_id: number;
  comment: string;
  is_customer_notified: number;
  is_visible_on_front: number;
  created_at: string;
}

export interface SbInvoice {
  entity_id: number;
  order_id: number;
  increment_id: string;
  /** 1 open, 2 paid, 3 canceled */
  state: number;
  store_id: number;
  transaction_id?: string;
  created_at: string;
  updated_at: string;
  subtotal: number;
  tax_amount: number;
  shipping_amount: number;
  grand_total: number;
  total_qty: number;
  base_total_refunded: number;
  currency: string;
  items: SbDocumentItem[];
  comments: SbComment[];
  /** qty refunded against this invoice, per order item id */
  refunded_qty: Record<number, number>;
}

export interface SbTrack {
  entity_id: number;
  order_id: number;
  parent_id: number;
  track_number: string;
  title: string;
  carrier_code: string;
  description: string | null;
  qty: number | null;
  weight: number | null;
  created_at: string;
  updated_at: string;
}

export interface SbShipment {
  entity_id: number;
  order_id: number;
  increment_id: string;
  store_id: number;
  customer_id?: number;
  billing_address_id: number;
  shipping_address_id: number;
  total_qty: number;
  total_weight: number;
  created_at: string;
  updated_at: string;
  source_code: string;
  items: SbDocumentItem[];
  tracks: SbTrack[];
  comments: SbComment[];
}

export interface SbCreditmemo {
  entity_id: number;
  order_id: number;
  invoice_id?: number;
  increment_id: string;
  /** 1 open, 2 refunded, 3 canceled */
  state: number;
  store_id: number;
  created_at: string;
  updated_at: string;
  subtotal: number;
  tax_amount: number;
  shipping_amount: number;
  adjustment_positive: number;
  adjustment_negative: number;
  grand_total: number;
  currency: string;
  items: SbDocumentItem[];
  comments: SbComment[];
}

export interface SbAttributeOption {
  value: string;
  label: string;
  sort_order: number;
  is_default: boolean;
  store_labels: Array<{ store_id: number; label: string }>;
}

export interface SbAttribute {
  attribute_id: number;
  attribute_code: string;
  frontend_input: string;
  entity_type_id: string;
  is_required: boolean;
  is_user_defined: boolean;
  default_frontend_label: string;
  frontend_labels: Array<{ store_id: number; label: string }>;
  backend_type: string;
  scope: string;
  is_filterable: boolean;
  is_visible: boolean;
  options: SbAttributeOption[];
  /** option ids of the default option(s), comma-separated, as eav_attribute.default_value */
  default_value?: string;
  /** further ProductAttributeInterface fields, kept when an attribute is created with them */
  is_searchable?: string;
  is_comparable?: string;
  is_visible_on_front?: string;
  used_in_product_listing?: string;
  is_filterable_in_search?: boolean;
  is_unique?: string;
  position?: number;
  note?: string;
  apply_to?: string[];
}

/** eav_entity_attribute: an attribute placed in an attribute set (and one group of it) */
export interface SbEntityAttribute {
  entity_attribute_id: number;
  attribute_set_id: number;
  attribute_group_id: number;
  attribute_id: number;
  sort_order: number;
}

export interface SbCategory {
  id: number;
  parent_id: number;
  name: string;
  is_active: boolean;
  position: number;
  level: number;
  path: string;
  include_in_menu: boolean;
  created_at: string;
  updated_at: string;
  custom_attributes: Array<{ attribute_code: string; value: unknown }>;
}

/** MSI: a stock (stock_id, name) sells to the websites of its sales channels, from its linked sources */
export interface SbStock {
  stock_id: number;
  name: string;
  sales_channels: Array<{ type: string; code: string }>;
}

export interface SbStockSourceLink {
  stock_id: number;
  source_code: string;
  priority: number;
}

export interface SbSourceItem {
  sku: string;
  source_code: string;
  quantity: number;
  status: number;
}

/** The clock every timestamp of the sandbox comes from ("YYYY-MM-DD HH:MM:SS", UTC, as Magento stores it). */
export function magentoTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export class SandboxState {
  websites: Json[] = [];
  storeGroups: Json[] = [];
  storeViews: Json[] = [];
  /** general/locale/weight_unit; a fresh 2.4.7 install says lbs */
  weightUnit: 'lbs' | 'kgs' = 'lbs';
  customerGroups: Json[] = [];
  taxRates: Json[] = [];
  customers: Json[] = [];
  categories: SbCategory[] = [];
  attributes: SbAttribute[] = [];
  attributeSets: Json[] = [];
  attributeGroups: Json[] = [];
  /** set membership recorded by POST /V1/products/attribute-sets/attributes (one row per attribute and set) */
  entityAttributes: SbEntityAttribute[] = [];
  /** ProductInterface JSON (without stock_item, which is rendered from the source items) */
  products: Json[] = [];
  sourceItems: SbSourceItem[] = [];
  /** MSI sources (SourceInterface JSON), stocks and the links between them */
  sources: Json[] = [];
  stocks: SbStock[] = [];
  stockSourceLinks: SbStockSourceLink[] = [];
  orders: SbOrder[] = [];
  /**
   * Orders recorded from a real store (POST /__sandbox/orders/verbatim), served exactly as given:
   * GET /V1/orders/:id and order searches return these bodies byte for byte (after JSON parsing).
   */
  verbatimOrders: Json[] = [];
  /** the documents given with a verbatim order, served as given in the invoice/shipment/credit memo searches */
  verbatimDocuments: { invoices: Json[]; shipments: Json[]; creditmemos: Json[] } = { invoices: [], shipments: [], creditmemos: [] };

  /**
   * Stores a recorded order body unchanged. Its entity_id is kept unless another order holds it
   * (then the next free id is given, and the body's own entity_id and its items' order_id follow);
   * generated orders continue above it.
   */
  addVerbatimOrder(order: Json, documents: Partial<Record<'invoices' | 'shipments' | 'creditmemos', Json[]>> = {}): number {
    const wanted = Number(order.entity_id);
    const taken = (id: number) => this.order(id) !== undefined || this.verbatimOrders.some((o) => o.entity_id === id);
    const id = Number.isInteger(wanted) && wanted > 0 && !taken(wanted) ? wanted : this.nextId('sales_order');
    this.startSequenceAt('sales_order', id + 1);
    if (id !== wanted) {
      order.entity_id = id;
      for (const item of Array.isArray(order.items) ? (order.items as Json[]) : []) item.order_id = id;
    }
    this.verbatimOrders.push(order);
    for (const kind of ['invoices', 'shipments', 'creditmemos'] as const) {
      for (const doc of documents[kind] ?? []) this.verbatimDocuments[kind].push({ ...doc, order_id: id });
    }
    return id;
  }
  invoices: SbInvoice[] = [];
  shipments: SbShipment[] = [];
  creditmemos: SbCreditmemo[] = [];

  private readonly sequences = new Map<string, number>();
  readonly random: () => number;

  constructor(
    readonly seed: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  now(): string {
    return magentoTimestamp(this.clock());
  }

  /** per-table auto-increment, like MySQL's */
  nextId(table: string, start = 1): number {
    const next = (this.sequences.get(table) ?? start - 1) + 1;
    this.sequences.set(table, next);
    return next;
  }

  /** makes the next id of a table at least `next` (ids below were handed out by seeding) */
  startSequenceAt(table: string, next: number): void {
    this.sequences.set(table, Math.max(this.sequences.get(table) ?? 0, next - 1));
  }

  order(id: number): SbOrder | undefined {
    return this.orders.find((o) => o.entity_id === id);
  }

  productBySku(sku: string): Json | undefined {
    // Magento matches SKUs case-insensitively (MySQL collation).
    const wanted = sku.toLowerCase();
    return this.products.find((p) => String(p.sku).toLowerCase() === wanted);
  }

  productById(id: number): Json | undefined {
    return this.products.find((p) => p.id === id);
  }

  attribute(code: string): SbAttribute | undefined {
    return this.attributes.find((a) => a.attribute_code === code);
  }

  storeViewByCode(code: string): Json | undefined {
    return this.storeViews.find((s) => s.code === code);
  }

  defaultSourceQty(sku: string): number {
    return this.sourceItems.find((s) => s.sku === sku && s.source_code === 'default')?.quantity ?? 0;
  }
}

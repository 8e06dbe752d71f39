import { isDummy, round2 } from './order-rules';
import type { Json, SandboxState, SbAddress, SbCategory, SbComment, SbCreditmemo, SbDocumentItem, SbInvoice, SbOrder, SbOrderItem, SbShipment, RawEdit } from './state';

/**
 * REST bodies from the sandbox records, following Magento's serializer: nullable getters are left
 * out when null, non-nullable ones are emitted as null, extension_attributes only when non-empty.
 */

/** Fields left undefined are the ones Magento omits (nullable getters returning null). */
function compact(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

const nz = (n: number): number | undefined => (n === 0 ? undefined : round2(n));

function renderAddress(a: SbAddress): Json {
  return compact({ ...a });
}

function renderItem(o: SbOrder, item: SbOrderItem, withParent = true): Json {
  const child = isDummy(item);
  const rowTotal = child ? 0 : round2(item.price * item.qty_ordered);
  const priceInclTax = child ? undefined : round2(item.price * (1 + item.tax_percent / 100));
  const body: Json = compact({
    amount_refunded: item.amount_refunded,
    base_amount_refunded: item.amount_refunded,
    base_discount_amount: 0,
    base_discount_invoiced: 0,
    base_original_price: child ? undefined : item.original_price,
    base_price: child ? 0 : item.price,
    base_price_incl_tax: priceInclTax,
    base_row_invoiced: item.row_invoiced,
    base_row_total: rowTotal,
    base_tax_amount: item.tax_amount,
    base_tax_invoiced: item.tax_invoiced,
    created_at: item.created_at,
    discount_amount: item.discount_amount,
    discount_invoiced: 0,
    discount_percent: 0,
    free_shipping: 0,
    is_qty_decimal: item.is_qty_decimal,
    is_virtual: item.is_virtual,
    item_id: item.item_id,
    name: item.name,
    no_discount: 0,
    order_id: item.order_id,
    original_price: item.original_price,
    parent_item_id: item.parent_item_id,
    price: item.price,
    price_incl_tax: priceInclTax,
    product_id: item.product_id,
    product_type: item.product_type,
    qty_canceled: item.qty_canceled,
    qty_invoiced: item.qty_invoiced,
    qty_ordered: item.qty_ordered,
    qty_refunded: item.qty_refunded,
    qty_shipped: item.qty_shipped,
    quote_item_id: item.quote_item_id,
    row_invoiced: item.row_invoiced,
    row_total: rowTotal,
    row_weight: child ? 0 : round2(item.weight * item.qty_ordered),
    sku: item.sku,
    store_id: item.store_id,
    tax_amount: item.tax_amount,
    tax_canceled: nz(item.tax_canceled),
    tax_invoiced: item.tax_invoiced,
    tax_percent: item.tax_percent,
    tax_refunded: nz(item.tax_refunded),
    updated_at: item.updated_at,
    weight: item.weight,
    product_option: item.configurable_item_options
      ? { extension_attributes: { configurable_item_options: item.configurable_item_options } }
      : undefined,
  });
  if (child && withParent) {
    const parent = o.items.find((i) => i.item_id === item.parent_item_id);
    if (parent) body.parent_item = renderItem(o, parent, false);
  }
  // ChangeOutputArray recomputes these four in every REST output of an order item.
  body.row_total_incl_tax = round2(rowTotal + item.tax_amount);
  body.base_row_total_incl_tax = body.row_total_incl_tax;
  return body;
}

export function renderOrder(o: SbOrder): Json {
  const body = renderOrderBody(o);
  return o.rawEdits?.length ? applyRawEdits(body, o.rawEdits) : body;
}

/** A copy of `body` with each edit applied; "a.b[2].c" paths, created where missing. */
export function applyRawEdits(body: Json, edits: RawEdit[]): Json {
  // Through JSON, as on the wire: the rendered order shares item objects between items and the
  // shipping assignment, and an edit must reach only the place it names.
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  for (const edit of edits) {
    const keys = edit.path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    let node: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (edit.remove) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else node[last] = edit.value;
  }
  return copy;
}

function renderOrderBody(o: SbOrder): Json {
  const lines = o.items.filter((i) => !isDummy(i));
  const subtotal = round2(lines.reduce((s, i) => s + i.price * i.qty_ordered, 0));
  const itemTax = round2(lines.reduce((s, i) => s + i.tax_amount, 0));
  const tax = round2(itemTax + o.shipping_tax_amount);
  const grand = round2(subtotal + tax + o.shipping_amount);
  const items = o.items.map((i) => renderItem(o, i));
  const shippingTotal = {
    base_shipping_amount: o.shipping_amount,
    base_shipping_discount_amount: 0,
    base_shipping_incl_tax: round2(o.shipping_amount + o.shipping_tax_amount),
    base_shipping_tax_amount: o.shipping_tax_amount,
    shipping_amount: o.shipping_amount,
    shipping_discount_amount: 0,
    shipping_discount_tax_compensation_amount: 0,
    shipping_incl_tax: round2(o.shipping_amount + o.shipping_tax_amount),
    shipping_tax_amount: o.shipping_tax_amount,
    ...(o.shipping_invoiced ? { shipping_invoiced: o.shipping_invoiced, base_shipping_invoiced: o.shipping_invoiced } : {}),
    ...(o.shipping_refunded ? { shipping_refunded: o.shipping_refunded, base_shipping_refunded: o.shipping_refunded } : {}),
    ...(o.shipping_canceled ? { shipping_canceled: o.shipping_canceled, base_shipping_canceled: o.shipping_canceled } : {}),
  };
  const appliedTax = o.tax_code && tax > 0 ? { code: o.tax_code, title: o.tax_code, percent: o.tax_percent, amount: tax, base_amount: tax } : undefined;
  const paid = o.total_paid;
  return compact({
    adjustment_negative: nz(o.adjustment_negative),
    adjustment_positive: nz(o.adjustment_positive),
    base_adjustment_negative: nz(o.adjustment_negative),
    base_adjustment_positive: nz(o.adjustment_positive),
    base_currency_code: o.currency,
    base_discount_amount: 0,
    base_grand_total: grand,
    base_discount_tax_compensation_amount: 0,
    base_shipping_amount: o.shipping_amount,
    base_shipping_canceled: nz(o.shipping_canceled),
    base_shipping_discount_amount: 0,
    base_shipping_incl_tax: shippingTotal.shipping_incl_tax,
    base_shipping_invoiced: nz(o.shipping_invoiced),
    base_shipping_refunded: nz(o.shipping_refunded),
    base_shipping_tax_amount: o.shipping_tax_amount,
    base_subtotal: subtotal,
    base_subtotal_canceled: nz(o.subtotal_canceled),
    base_subtotal_incl_tax: round2(subtotal + itemTax),
    base_subtotal_invoiced: nz(o.subtotal_invoiced),
    base_subtotal_refunded: nz(o.subtotal_refunded),
    base_tax_amount: tax,
    base_tax_canceled: nz(o.tax_canceled),
    base_tax_invoiced: nz(o.tax_invoiced),
    base_tax_refunded: nz(o.tax_refunded),
    base_total_canceled: nz(o.total_canceled),
    base_total_due: round2(grand - paid),
    base_total_invoiced: nz(o.total_invoiced),
    base_total_offline_refunded: nz(o.total_offline_refunded),
    base_total_online_refunded: nz(o.total_online_refunded),
    base_total_paid: nz(paid),
    base_total_refunded: nz(o.total_refunded),
    base_to_global_rate: 1,
    base_to_order_rate: 1,
    billing_address_id: o.billing_address.entity_id,
    created_at: o.created_at,
    customer_email: o.customer_email,
    customer_firstname: o.customer_firstname,
    customer_group_id: o.customer_group_id,
    customer_id: o.customer_id,
    customer_is_guest: o.customer_is_guest,
    customer_lastname: o.customer_lastname,
    customer_note_notify: 1,
    discount_amount: 0,
    email_sent: 1,
    entity_id: o.entity_id,
    global_currency_code: o.currency,
    grand_total: grand,
    discount_tax_compensation_amount: 0,
    hold_before_state: o.hold_before_state,
    hold_before_status: o.hold_before_status,
    increment_id: o.increment_id,
    is_virtual: 0,
    order_currency_code: o.currency,
    protect_code: o.protect_code,
    quote_id: o.quote_id,
    relation_parent_id: o.relation_parent_id,
    relation_parent_real_id: o.relation_parent_real_id,
    shipping_amount: o.shipping_amount,
    shipping_canceled: nz(o.shipping_canceled),
    shipping_description: o.shipping_description,
    shipping_discount_amount: 0,
    shipping_discount_tax_compensation_amount: 0,
    shipping_incl_tax: shippingTotal.shipping_incl_tax,
    shipping_invoiced: nz(o.shipping_invoiced),
    shipping_refunded: nz(o.shipping_refunded),
    shipping_tax_amount: o.shipping_tax_amount,
    state: o.state,
    status: o.status,
    store_currency_code: o.currency,
    store_id: o.store_id,
    store_name: o.store_name,
    store_to_base_rate: 0,
    store_to_order_rate: 0,
    subtotal,
    subtotal_canceled: nz(o.subtotal_canceled),
    subtotal_incl_tax: round2(subtotal + itemTax),
    subtotal_invoiced: nz(o.subtotal_invoiced),
    subtotal_refunded: nz(o.subtotal_refunded),
    tax_amount: tax,
    tax_canceled: nz(o.tax_canceled),
    tax_invoiced: nz(o.tax_invoiced),
    tax_refunded: nz(o.tax_refunded),
    total_canceled: nz(o.total_canceled),
    total_due: round2(grand - paid),
    total_invoiced: nz(o.total_invoiced),
    total_item_count: lines.length,
    total_offline_refunded: nz(o.total_offline_refunded),
    total_online_refunded: nz(o.total_online_refunded),
    total_paid: nz(paid),
    total_qty_ordered: lines.reduce((s, i) => s + i.qty_ordered, 0),
    total_refunded: nz(o.total_refunded),
    updated_at: o.updated_at,
    weight: round2(lines.reduce((s, i) => s + i.weight * i.qty_ordered, 0)),
    items,
    billing_address: renderAddress(o.billing_address),
    payment: compact({
      account_status: null,
      additional_information: [o.payment.title],
      amount_authorized: o.payment.amount_authorized,
      amount_ordered: o.payment.amount_ordered,
      amount_paid: nz(o.payment.amount_paid),
      amount_refunded: nz(o.payment.amount_refunded),
      base_amount_ordered: o.payment.amount_ordered,
      base_amount_paid: nz(o.payment.amount_paid),
      base_amount_paid_online: o.payment.base_amount_paid_online,
      base_amount_refunded: nz(o.payment.amount_refunded),
      base_shipping_amount: o.payment.shipping_amount,
      cc_last4: o.payment.cc_last4,
      cc_type: o.payment.cc_type,
      entity_id: o.payment.entity_id,
      last_trans_id: o.payment.last_trans_id,
      method: o.payment.method,
      parent_id: o.entity_id,
      shipping_amount: o.payment.shipping_amount,
    }),
    // Magento lists the newest comment first.
    status_histories: [...o.status_histories].reverse().map((h) => compact({ ...h })),
    extension_attributes: compact({
      shipping_assignments: [{ shipping: { address: renderAddress(o.shipping_address), method: o.shipping_method, total: shippingTotal }, items }],
      payment_additional_info: [{ key: 'method_title', value: o.payment.title }],
      applied_taxes: appliedTax ? [appliedTax] : [],
      item_applied_taxes: appliedTax
        ? lines.filter((i) => i.tax_amount > 0).map((i) => ({
            type: 'product',
            item_id: i.item_id,
            applied_taxes: [{ ...appliedTax, amount: i.tax_amount, base_amount: i.tax_amount }],
          }))
        : [],
      converting_from_quote: true,
    }),
  });
}

function renderDocItem(d: SbDocumentItem, kind: 'invoice' | 'shipment' | 'creditmemo'): Json {
  const priced = {
    base_price: d.price,
    base_row_total: d.row_total,
    base_tax_amount: d.tax_amount,
    price_incl_tax: d.qty ? round2(d.price + d.tax_amount / d.qty) : d.price,
    row_total_incl_tax: round2(d.row_total + d.tax_amount),
    tax_amount: d.tax_amount,
    discount_amount: 0,
  };
  return compact({
    entity_id: d.entity_id,
    name: d.name,
    parent_id: d.parent_id,
    price: d.price,
    product_id: d.product_id,
    row_total: d.row_total,
    sku: d.sku,
    ...(kind === 'shipment' ? { weight: d.weight } : priced),
    order_item_id: d.order_item_id,
    qty: d.qty,
  });
}

const renderComment = (c: SbComment): Json => ({ ...c });

export function renderInvoice(i: SbInvoice): Json {
  return compact({
    base_currency_code: i.currency,
    base_discount_amount: 0,
    base_grand_total: i.grand_total,
    base_shipping_amount: i.shipping_amount,
    base_subtotal: i.subtotal,
    base_tax_amount: i.tax_amount,
    base_total_refunded: nz(i.base_total_refunded),
    can_void_flag: 0,
    created_at: i.created_at,
    discount_amount: 0,
    entity_id: i.entity_id,
    global_currency_code: i.currency,
    grand_total: i.grand_total,
    increment_id: i.increment_id,
    order_currency_code: i.currency,
    order_id: i.order_id,
    shipping_amount: i.shipping_amount,
    shipping_incl_tax: i.shipping_amount,
    state: i.state,
    store_currency_code: i.currency,
    store_id: i.store_id,
    subtotal: i.subtotal,
    subtotal_incl_tax: round2(i.subtotal + i.tax_amount),
    tax_amount: i.tax_amount,
    total_qty: i.total_qty,
    transaction_id: i.transaction_id,
    updated_at: i.updated_at,
    items: i.items.map((d) => renderDocItem(d, 'invoice')),
    comments: i.comments.map(renderComment),
  });
}

export function renderShipment(s: SbShipment): Json {
  return compact({
    billing_address_id: s.billing_address_id,
    created_at: s.created_at,
    customer_id: s.customer_id,
    email_sent: 0,
    entity_id: s.entity_id,
    increment_id: s.increment_id,
    order_id: s.order_id,
    packages: [],
    shipping_address_id: s.shipping_address_id,
    store_id: s.store_id,
    total_qty: s.total_qty,
    total_weight: s.total_weight,
    updated_at: s.updated_at,
    items: s.items.map((d) => renderDocItem(d, 'shipment')),
    tracks: s.tracks.map((t) => ({ ...t })),
    comments: s.comments.map(renderComment),
    extension_attributes: { source_code: s.source_code },
  });
}

export function renderCreditmemo(c: SbCreditmemo): Json {
  return compact({
    adjustment: round2(c.adjustment_positive - c.adjustment_negative),
    adjustment_negative: c.adjustment_negative,
    adjustment_positive: c.adjustment_positive,
    base_adjustment: round2(c.adjustment_positive - c.adjustment_negative),
    base_currency_code: c.currency,
    base_grand_total: c.grand_total,
    base_shipping_amount: c.shipping_amount,
    base_subtotal: c.subtotal,
    base_tax_amount: c.tax_amount,
    created_at: c.created_at,
    creditmemo_status: c.state,
    entity_id: c.entity_id,
    grand_total: c.grand_total,
    increment_id: c.increment_id,
    invoice_id: c.invoice_id,
    order_currency_code: c.currency,
    order_id: c.order_id,
    shipping_amount: c.shipping_amount,
    state: c.state,
    store_id: c.store_id,
    subtotal: c.subtotal,
    tax_amount: c.tax_amount,
    updated_at: c.updated_at,
    items: c.items.map((d) => renderDocItem(d, 'creditmemo')),
    comments: c.comments.map(renderComment),
  });
}

/** StockItemInterface as Magento's default configuration renders it */
export function renderStockItem(state: SandboxState, product: Json): Json {
  const configurable = product.type_id === 'configurable';
  const qty = configurable ? 0 : state.defaultSourceQty(String(product.sku));
  const status = state.sourceItems.find((s) => s.sku === product.sku && s.source_code === 'default')?.status;
  return {
    item_id: product.id,
    product_id: product.id,
    stock_id: 1,
    qty,
    is_in_stock: configurable ? true : status === 1 && qty > 0,
    is_qty_decimal: false,
    show_default_notification_message: false,
    use_config_min_qty: true,
    min_qty: 0,
    use_config_min_sale_qty: 1,
    min_sale_qty: 1,
    use_config_max_sale_qty: true,
    max_sale_qty: 10000,
    use_config_backorders: true,
    backorders: 0,
    use_config_notify_stock_qty: true,
    notify_stock_qty: 1,
    use_config_qty_increments: true,
    qty_increments: 0,
    use_config_enable_qty_inc: true,
    enable_qty_increments: false,
    use_config_manage_stock: true,
    manage_stock: true,
    low_stock_date: null,
    is_decimal_divided: false,
    stock_status_changed_auto: 0,
  };
}

export function renderProduct(state: SandboxState, product: Json): Json {
  const ext = { ...((product.extension_attributes as Json | undefined) ?? {}), stock_item: renderStockItem(state, product) };
  return { ...product, extension_attributes: ext };
}

export function renderCategory(state: SandboxState, c: SbCategory): Json {
  const children = state.categories.filter((x) => x.parent_id === c.id).map((x) => x.id);
  return {
    id: c.id,
    parent_id: c.parent_id,
    name: c.name,
    is_active: c.is_active,
    position: c.position,
    level: c.level,
    children: children.join(','),
    created_at: c.created_at,
    updated_at: c.updated_at,
    path: c.path,
    available_sort_by: [],
    include_in_menu: c.include_in_menu,
    custom_attributes: c.custom_attributes,
  };
}

export function renderCategoryTree(state: SandboxState, c: SbCategory, depth: number | undefined): Json {
  const children = state.categories.filter((x) => x.parent_id === c.id).sort((a, b) => a.position - b.position);
  const productCount = state.products.filter((p) =>
    ((p.extension_attributes as Json | undefined)?.category_links as Json[] | undefined)?.some((l) => l.category_id === String(c.id)),
  ).length;
  return {
    id: c.id,
    parent_id: c.parent_id,
    name: c.name,
    is_active: c.is_active,
    position: c.position,
    level: c.level,
    product_count: productCount,
    children_data: depth === 0 ? [] : children.map((x) => renderCategoryTree(state, x, depth === undefined ? undefined : depth - 1)),
  };
}

import type { DemoPaymentMethod, DemoWorld } from '../demo-world';
import { badRequest } from './magento-error';
import { invoiceOrder, round2 } from './order-rules';
import { regionOf } from './seed';
import type { Json, SandboxState, SbAddress, SbOrder, SbOrderItem } from './state';

/**
 * Places orders the way checkout leaves them: offline methods (checkmo, banktransfer,
 * cashondelivery) as new/pending with nothing invoiced; online methods (braintree) captured at
 * checkout, i.e. processing with an invoice. Configurable products become a priced parent line
 * (whose sku is the chosen child's) plus a zero-priced child line, as in the real order bodies.
 */

export interface OrderSpec {
  /** payment method code from the demo world; otherwise picked by paymentKind or at random */
  paymentMethod?: string;
  paymentKind?: 'online' | 'offline';
  /** a demo customer; otherwise one at random (or a guest when guest is true) */
  customerEmail?: string;
  guest?: boolean;
  /** simple SKUs, configurable child SKUs or configurable parent SKUs (first child then) */
  lines?: Array<{ sku: string; qty?: number }>;
  /** online payment not yet captured: state pending_payment, nothing invoiced */
  awaitingPayment?: boolean;
  shippingMethod?: 'flatrate_flatrate' | 'ups_GND';
}

const SHIPPING: Record<string, { description: string; amount: number }> = {
  flatrate_flatrate: { description: 'Flat Rate - Fixed', amount: 5 },
  ups_GND: { description: 'United Parcel Service - Ground', amount: 12.5 },
};

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function parentOf(state: SandboxState, product: Json): Json | undefined {
  return state.products.find((p) => {
    const links = (p.extension_attributes as Json | undefined)?.configurable_product_links;
    return Array.isArray(links) && links.includes(product.id);
  });
}

function taxFor(world: DemoWorld, address: SbAddress): { code?: string; percent: number } {
  const rate = world.taxRates.find((r) => r.countryId === address.country_id && (r.region === null || r.region === address.region));
  return rate ? { code: rate.code, percent: rate.rate } : { percent: 0 };
}

export function createOrder(state: SandboxState, world: DemoWorld, spec: OrderSpec = {}): SbOrder {
  const rand = state.random;
  const now = state.now();

  const method: DemoPaymentMethod | undefined = spec.paymentMethod
    ? world.paymentMethods.find((m) => m.code === spec.paymentMethod)
    : pick(rand, world.paymentMethods.filter((m) => !spec.paymentKind || m.kind === spec.paymentKind));
  if (!method) throw badRequest('The payment method you requested is not available.');

  const demoCustomer = spec.guest ? undefined : spec.customerEmail ? world.customers.find((c) => c.email === spec.customerEmail) : pick(rand, world.customers);
  if (spec.customerEmail && !demoCustomer) throw badRequest('No such entity with %fieldName = %fieldValue', { fieldName: 'email', fieldValue: spec.customerEmail });
  const customer = demoCustomer ? state.customers.find((c) => c.email === demoCustomer.email) : undefined;

  const orderId = state.nextId('sales_order');
  const entityAddress = (type: 'billing' | 'shipping'): SbAddress => {
    const addresses = (customer?.addresses as Json[] | undefined) ?? [];
    const flag = type === 'billing' ? 'default_billing' : 'default_shipping';
    const source = addresses.find((a) => a[flag]) ?? addresses[0];
    if (source) {
      const region = source.region as Json | undefined;
      return {
        entity_id: state.nextId('sales_order_address'),
        parent_id: orderId,
        address_type: type,
        customer_address_id: source.id as number,
        customer_id: customer!.id as number,
        email: String(customer!.email),
        firstname: String(source.firstname),
        lastname: String(source.lastname),
        street: source.street as string[],
        city: String(source.city),
        postcode: String(source.postcode),
        country_id: String(source.country_id),
        ...(region?.region ? { region: String(region.region), region_code: String(region.region_code), region_id: Number(region.region_id) } : {}),
        telephone: String(source.telephone),
      };
    }
    const guestRegion = regionOf('US', 'Texas')!;
    return {
      entity_id: state.nextId('sales_order_address'),
      parent_id: orderId,
      address_type: type,
      email: `guest${orderId}@example.com`,
      firstname: 'Gabriel',
      lastname: 'Guest',
      street: ['1 Congress Avenue'],
      city: 'Austin',
      postcode: '78701',
      country_id: 'US',
      region: guestRegion.region,
      region_code: guestRegion.region_code,
      region_id: guestRegion.region_id,
      telephone: '+15125550100',
    };
  };
  const billing = entityAddress('billing');
  const shipping = entityAddress('shipping');
  const tax = taxFor(world, shipping);

  const wanted = spec.lines ?? Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
    const product = pick(rand, world.products.filter((p) => p.active));
    return { sku: pick(rand, product.variants).sku, qty: 1 + Math.floor(rand() * 3) };
  });
  if (wanted.length === 0) throw badRequest("You can't create an order without products.");

  const items: SbOrderItem[] = [];
  const line = (product: Json, type: SbOrderItem['product_type'], sku: string, qty: number, price: number, parentId?: number): SbOrderItem => {
    const rowTax = parentId === undefined ? round2((price * qty * tax.percent) / 100) : 0;
    const item: SbOrderItem = {
      item_id: state.nextId('sales_order_item'),
      order_id: orderId,
      ...(parentId !== undefined ? { parent_item_id: parentId } : {}),
      quote_item_id: state.nextId('quote_item'),
      store_id: 1,
      product_id: product.id as number,
      product_type: type,
      sku,
      name: String(product.name),
      // Magento\Quote\Model\Quote\Item: a virtual product's row is_virtual, weightless
      weight: type === 'virtual' ? 0 : Number(product.weight ?? 0),
      is_virtual: type === 'virtual' ? 1 : 0,
      is_qty_decimal: 0,
      qty_ordered: qty,
      qty_invoiced: 0,
      qty_shipped: 0,
      qty_refunded: 0,
      qty_canceled: 0,
      price,
      original_price: parentId === undefined ? price : 0,
      tax_percent: parentId === undefined ? tax.percent : 0,
      tax_amount: rowTax,
      tax_invoiced: 0,
      tax_refunded: 0,
      tax_canceled: 0,
      row_invoiced: 0,
      amount_refunded: 0,
      discount_amount: 0,
      created_at: now,
      updated_at: now,
    };
    items.push(item);
    return item;
  };

  for (const want of wanted) {
    const qty = want.qty ?? 1;
    if (!(qty > 0)) throw badRequest('The requested qty is not available');
    let product = state.productBySku(want.sku);
    if (!product) throw badRequest("The product that was requested doesn't exist. Verify the product and try again.");
    if (product.type_id === 'configurable') {
      const firstChild = ((product.extension_attributes as Json).configurable_product_links as number[])[0];
      product = state.productById(firstChild!)!;
    }
    const parent = parentOf(state, product);
    if (!parent) {
      line(product, product.type_id === 'virtual' ? 'virtual' : 'simple', String(product.sku), qty, Number(product.price));
      continue;
    }
    const parentLine = line(parent, 'configurable', String(product.sku), qty, Number(parent.price));
    const options = ((parent.extension_attributes as Json).configurable_product_options as Json[]) ?? [];
    parentLine.configurable_item_options = options.map((opt) => {
      const code = state.attributes.find((a) => String(a.attribute_id) === opt.attribute_id)?.attribute_code;
      const value = (product!.custom_attributes as Json[]).find((c) => c.attribute_code === code)?.value;
      return { option_id: String(opt.attribute_id), option_value: Number(value) };
    });
    line(product, 'simple', String(product.sku), qty, Number(parent.price), parentLine.item_id);
  }

  const shippingMethod = spec.shippingMethod ?? (rand() < 0.7 ? 'flatrate_flatrate' : 'ups_GND');
  const ship = SHIPPING[shippingMethod]!;
  const isOnline = method.kind === 'online';
  const order: SbOrder = {
    entity_id: orderId,
    increment_id: String(orderId).padStart(9, '0'),
    state: isOnline && spec.awaitingPayment ? 'pending_payment' : 'new',
    status: isOnline && spec.awaitingPayment ? 'pending_payment' : 'pending',
    store_id: 1,
    store_name: 'Main Website\nMain Website Store\nDefault Store View',
    quote_id: state.nextId('quote'),
    protect_code: Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0'),
    created_at: now,
    updated_at: now,
    ...(customer ? { customer_id: customer.id as number } : {}),
    customer_is_guest: customer ? 0 : 1,
    customer_email: customer ? String(customer.email) : billing.email,
    customer_firstname: customer ? String(customer.firstname) : billing.firstname,
    customer_lastname: customer ? String(customer.lastname) : billing.lastname,
    customer_group_id: customer ? Number(customer.group_id) : 0,
    currency: 'USD',
    shipping_method: shippingMethod,
    shipping_description: ship.description,
    shipping_amount: ship.amount,
    shipping_tax_amount: 0,
    ...(tax.code ? { tax_code: tax.code } : {}),
    tax_percent: tax.percent,
    shipping_invoiced: 0, shipping_refunded: 0, shipping_canceled: 0,
    subtotal_invoiced: 0, subtotal_refunded: 0, subtotal_canceled: 0,
    tax_invoiced: 0, tax_refunded: 0, tax_canceled: 0,
    total_paid: 0, total_invoiced: 0, total_refunded: 0, total_offline_refunded: 0, total_online_refunded: 0, total_canceled: 0,
    adjustment_positive: 0, adjustment_negative: 0,
    items,
    billing_address: billing,
    shipping_address: shipping,
    payment: {
      entity_id: state.nextId('sales_order_payment'),
      parent_id: orderId,
      method: method.code,
      title: method.title,
      kind: method.kind,
      amount_ordered: 0,
      amount_paid: 0,
      amount_refunded: 0,
      shipping_amount: ship.amount,
      ...(isOnline ? { last_trans_id: Math.floor(rand() * 1e10).toString(36), cc_type: 'VI' } : {}),
      cc_last4: isOnline ? '1111' : null,
    },
    status_histories: [],
  };
  const lines = items.filter((i) => i.parent_item_id === undefined);
  order.payment.amount_ordered = round2(lines.reduce((s, i) => s + i.price * i.qty_ordered + i.tax_amount, 0) + ship.amount);
  state.orders.push(order);

  // Braintree and friends authorize-and-capture at checkout: the invoice exists before any
  // connector sees the order.
  if (isOnline && !spec.awaitingPayment) invoiceOrder(state, order, { capture: true });
  return order;
}

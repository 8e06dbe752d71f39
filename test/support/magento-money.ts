// Order bodies with Magento 2.4.7's money, for the tests of issue 10: the quote's totals
// collectors (tax after discount, per-row rounding) and REST's ChangeOutputArray (row_total and
// row_total_incl_tax rendered after the discount). Written from the 2.4.7 tax and sales code; the
// tests feed these through POST /__sandbox/orders/verbatim so the connector reads them over HTTP.
import type { Json } from '../../sandbox/magento/state';

const r2 = (v: number): number => Math.round((v + Number.EPSILON * Math.sign(v)) * 100) / 100;

export interface MoneyLine {
  sku: string;
  qty: number;
  /** catalog price: tax-exclusive, or tax-inclusive with `pricesIncludeTax` */
  price: number;
  /** per-line percentage discount (a cart rule); overrides the order's coupon */
  discountPercent?: number;
  /** fixed discount amount on the row (same tax mode as the price) */
  discountAmount?: number;
  productType?: string;
}

export interface MoneySpec {
  incrementId: string;
  currency?: string;
  /** base currency and rate base→order; base_* amounts are the order amounts / rate */
  baseCurrency?: string;
  rate?: number;
  taxPercent?: number;
  pricesIncludeTax?: boolean;
  couponPercent?: number;
  shipping?: number;
  lines: MoneyLine[];
  paymentMethod?: string;
  status?: string;
  state?: string;
}

/**
 * Rewrites a sandbox-placed order (addresses, customer, products that exist) into one with the
 * given money. Returns the bare GET /V1/orders/:id body.
 */
export function withMoney(placed: Json, spec: MoneySpec): Json {
  const rate = spec.taxPercent ?? 0;
  const fx = spec.rate ?? 1;
  const items: Json[] = [];
  let subtotal = 0;
  let tax = 0;
  let discount = 0;
  let dtcTotal = 0;
  let subtotalIncl = 0;
  let grand = 0;
  spec.lines.forEach((l, i) => {
    const pct = l.discountPercent ?? spec.couponPercent ?? 0;
    let price: number;
    let priceIncl: number;
    let rowNet: number;
    let rowTaxBefore: number;
    let rowDiscount: number;
    let rowTax: number;
    let dtc = 0;
    if (spec.pricesIncludeTax) {
      priceIncl = l.price;
      const rowIncl = r2(priceIncl * l.qty);
      rowTaxBefore = r2((rowIncl * rate) / (100 + rate));
      rowNet = r2(rowIncl - rowTaxBefore);
      price = r2(priceIncl / (1 + rate / 100));
      rowDiscount = l.discountAmount ?? r2((rowIncl * pct) / 100);
      rowTax = r2(((rowIncl - rowDiscount) * rate) / (100 + rate));
      dtc = r2(rowTaxBefore - rowTax);
    } else {
      price = l.price;
      rowNet = r2(price * l.qty);
      rowDiscount = l.discountAmount ?? r2((rowNet * pct) / 100);
      rowTax = r2(((rowNet - rowDiscount) * rate) / 100);
      priceIncl = r2(price * (1 + rate / 100));
      rowTaxBefore = rowTax;
    }
    const rowIncl = r2(rowNet + rowTax + dtc - rowDiscount);
    subtotal += rowNet;
    subtotalIncl += r2(rowNet + rowTaxBefore);
    tax += rowTax;
    discount += rowDiscount;
    dtcTotal += dtc;
    grand += rowIncl;
    const template = ((placed.items as Json[])[0] ?? {}) as Json;
    const itemId = Number(template.item_id ?? 1) * 100 + i;
    items.push({
      ...template,
      item_id: itemId,
      quote_item_id: itemId,
      sku: l.sku,
      name: `Product ${l.sku}`,
      product_type: l.productType ?? 'simple',
      qty_ordered: l.qty,
      qty_invoiced: 0,
      qty_shipped: 0,
      qty_refunded: 0,
      qty_canceled: 0,
      price,
      base_price: r2(price / fx),
      original_price: price,
      base_original_price: r2(price / fx),
      price_incl_tax: priceIncl,
      base_price_incl_tax: r2(priceIncl / fx),
      // REST (ChangeOutputArray): after the discount
      row_total: Math.max(r2(rowNet - rowDiscount), 0),
      base_row_total: Math.max(r2((rowNet - rowDiscount) / fx), 0),
      row_total_incl_tax: rowIncl,
      base_row_total_incl_tax: r2(rowIncl / fx),
      tax_amount: rowTax,
      base_tax_amount: r2(rowTax / fx),
      tax_percent: rate,
      discount_amount: rowDiscount,
      base_discount_amount: r2(rowDiscount / fx),
      discount_percent: pct,
      discount_tax_compensation_amount: dtc,
      base_discount_tax_compensation_amount: r2(dtc / fx),
      parent_item_id: undefined,
      parent_item: undefined,
    });
  });
  const shipping = spec.shipping ?? 0;
  grand = r2(grand + shipping);
  const currency = spec.currency ?? 'USD';
  const base = spec.baseCurrency ?? currency;
  const body: Json = {
    ...placed,
    increment_id: spec.incrementId,
    // the sandbox gives another id if this one is taken (the placed order holds it)
    entity_id: placed.entity_id,
    items: items.map((it) => Object.fromEntries(Object.entries(it).filter(([, v]) => v !== undefined))),
    order_currency_code: currency,
    base_currency_code: base,
    global_currency_code: base,
    store_currency_code: base,
    base_to_order_rate: fx,
    base_to_global_rate: 1,
    subtotal: r2(subtotal),
    base_subtotal: r2(subtotal / fx),
    subtotal_incl_tax: r2(subtotalIncl),
    base_subtotal_incl_tax: r2(subtotalIncl / fx),
    tax_amount: r2(tax),
    base_tax_amount: r2(tax / fx),
    discount_amount: -r2(discount),
    base_discount_amount: -r2(discount / fx),
    discount_tax_compensation_amount: r2(dtcTotal),
    base_discount_tax_compensation_amount: r2(dtcTotal / fx),
    shipping_amount: shipping,
    base_shipping_amount: r2(shipping / fx),
    shipping_incl_tax: shipping,
    base_shipping_incl_tax: r2(shipping / fx),
    shipping_tax_amount: 0,
    base_shipping_tax_amount: 0,
    grand_total: grand,
    base_grand_total: r2(grand / fx),
    total_due: grand,
    base_total_due: r2(grand / fx),
    total_qty_ordered: spec.lines.reduce((s, l) => s + l.qty, 0),
    total_item_count: spec.lines.length,
    ...(spec.status ? { status: spec.status } : {}),
    ...(spec.state ? { state: spec.state } : {}),
  };
  if (spec.paymentMethod) body.payment = { ...(placed.payment as Json), method: spec.paymentMethod };
  // Keep the payment's amounts in line with the new totals (the order was not paid yet).
  const payment = body.payment as Json | undefined;
  if (payment) Object.assign(payment, { amount_ordered: grand, base_amount_ordered: r2(grand / fx) });
  // The shipping assignment repeats the shipping totals.
  const ext = body.extension_attributes as Json | undefined;
  const assignments = ext?.shipping_assignments as Json[] | undefined;
  for (const a of assignments ?? []) {
    const shippingBlock = a.shipping as Json | undefined;
    if (shippingBlock) shippingBlock.total = { shipping_amount: shipping, base_shipping_amount: r2(shipping / fx), shipping_incl_tax: shipping, base_shipping_incl_tax: r2(shipping / fx), shipping_tax_amount: 0, base_shipping_tax_amount: 0, shipping_discount_amount: 0 };
    if (Array.isArray(a.items)) a.items = body.items;
  }
  return JSON.parse(JSON.stringify(body)) as Json;
}

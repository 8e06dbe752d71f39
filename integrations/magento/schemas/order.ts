import { z } from 'zod';
import { decimal, integer, magentoDate, searchResults } from './primitives';

/** Magento\Sales\Api\Data\OrderAddressInterface (billing address, and the shipping address inside shipping_assignments) */
export const OrderAddressSchema = z.looseObject({
  address_type: z.string().nullable(),
  city: z.string().nullable(),
  company: z.string().nullish(),
  country_id: z.string().nullable(),
  customer_address_id: integer.nullish(),
  customer_id: integer.nullish(),
  email: z.string().nullish(),
  entity_id: integer.nullish(),
  fax: z.string().nullish(),
  firstname: z.string().nullable(),
  lastname: z.string().nullable(),
  middlename: z.string().nullish(),
  parent_id: integer.nullish(),
  postcode: z.string().nullable(),
  prefix: z.string().nullish(),
  region: z.string().nullish(),
  region_code: z.string().nullish(),
  region_id: integer.nullish(),
  street: z.array(z.string()).nullish(),
  suffix: z.string().nullish(),
  telephone: z.string().nullable(),
  vat_id: z.string().nullish(),
});
export type OrderAddress = z.infer<typeof OrderAddressSchema>;

/** Magento\ConfigurableProduct\Api\Data\ConfigurableItemOptionValueInterface */
export const ConfigurableItemOptionSchema = z.looseObject({
  option_id: z.string().nullable(),
  option_value: integer.nullish(),
});

/** Magento\Catalog\Api\Data\ProductOptionInterface extension attributes (the chosen options of a line) */
export const ProductOptionExtensionSchema = z.looseObject({
  configurable_item_options: z.array(ConfigurableItemOptionSchema).optional(),
  custom_options: z.array(z.looseObject({ option_id: z.string().nullish(), option_value: z.unknown() })).optional(),
  bundle_options: z.array(z.unknown()).optional(),
  downloadable_option: z.unknown().optional(),
});

/** Magento\Catalog\Api\Data\ProductOptionInterface */
export const ProductOptionSchema = z.looseObject({
  extension_attributes: ProductOptionExtensionSchema.optional(),
});

const orderItemShape = {
  item_id: integer,
  order_id: integer.nullish(),
  parent_item_id: integer.nullish(),
  quote_item_id: integer.nullish(),
  store_id: integer.nullish(),
  product_id: integer.nullish(),
  product_type: z.string(),
  sku: z.string(),
  name: z.string().nullish(),
  is_virtual: integer.nullish(),
  is_qty_decimal: integer.nullish(),
  weight: decimal.nullish(),
  row_weight: decimal.nullish(),
  qty_ordered: decimal,
  qty_invoiced: decimal.nullish(),
  qty_shipped: decimal.nullish(),
  qty_refunded: decimal.nullish(),
  qty_canceled: decimal.nullish(),
  qty_backordered: decimal.nullish(),
  qty_returned: decimal.nullish(),
  price: decimal.nullish(),
  base_price: decimal.nullish(),
  original_price: decimal.nullish(),
  base_original_price: decimal.nullish(),
  price_incl_tax: decimal.nullish(),
  base_price_incl_tax: decimal.nullish(),
  row_total: decimal.nullish(),
  base_row_total: decimal.nullish(),
  row_total_incl_tax: decimal.nullish(),
  base_row_total_incl_tax: decimal.nullish(),
  row_invoiced: decimal.nullish(),
  base_row_invoiced: decimal.nullish(),
  tax_amount: decimal.nullish(),
  base_tax_amount: decimal.nullish(),
  tax_percent: decimal.nullish(),
  tax_invoiced: decimal.nullish(),
  tax_refunded: decimal.nullish(),
  discount_amount: decimal.nullish(),
  base_discount_amount: decimal.nullish(),
  discount_percent: decimal.nullish(),
  discount_invoiced: decimal.nullish(),
  discount_refunded: decimal.nullish(),
  discount_tax_compensation_amount: decimal.nullish(),
  amount_refunded: decimal.nullish(),
  base_amount_refunded: decimal.nullish(),
  free_shipping: integer.nullish(),
  no_discount: integer.nullish(),
  applied_rule_ids: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  product_option: ProductOptionSchema.optional(),
};

/** Magento\Sales\Api\Data\OrderItemInterface. Children of configurable/bundle lines carry parent_item_id and a full parent_item. */
export const OrderItemSchema = z.looseObject({
  ...orderItemShape,
  parent_item: z.looseObject(orderItemShape).optional(),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

/** Magento\Sales\Api\Data\OrderPaymentInterface */
export const OrderPaymentSchema = z.looseObject({
  account_status: z.string().nullish(),
  additional_information: z.array(z.string()).nullish(),
  amount_authorized: decimal.nullish(),
  amount_canceled: decimal.nullish(),
  amount_ordered: decimal.nullish(),
  amount_paid: decimal.nullish(),
  amount_refunded: decimal.nullish(),
  base_amount_authorized: decimal.nullish(),
  base_amount_ordered: decimal.nullish(),
  base_amount_paid: decimal.nullish(),
  base_amount_refunded: decimal.nullish(),
  base_shipping_amount: decimal.nullish(),
  cc_last4: z.string().nullish(),
  cc_type: z.string().nullish(),
  cc_trans_id: z.string().nullish(),
  entity_id: integer.nullish(),
  last_trans_id: z.string().nullish(),
  method: z.string().nullable(),
  parent_id: integer.nullish(),
  po_number: z.string().nullish(),
  shipping_amount: decimal.nullish(),
});
export type OrderPayment = z.infer<typeof OrderPaymentSchema>;

/** Magento\Sales\Api\Data\OrderStatusHistoryInterface */
export const OrderStatusHistorySchema = z.looseObject({
  comment: z.string().nullable(),
  created_at: magentoDate.nullish(),
  entity_id: integer.nullish(),
  entity_name: z.string().nullish(),
  is_customer_notified: integer.nullable(),
  is_visible_on_front: integer.nullable(),
  parent_id: integer.nullable(),
  status: z.string().nullish(),
});
export type OrderStatusHistory = z.infer<typeof OrderStatusHistorySchema>;
export const OrderStatusHistorySearchResultSchema = searchResults(OrderStatusHistorySchema);

/** Magento\Sales\Api\Data\TotalInterface (shipping totals of a shipping assignment) */
export const ShippingTotalSchema = z.looseObject({
  base_shipping_amount: decimal.nullish(),
  base_shipping_incl_tax: decimal.nullish(),
  base_shipping_tax_amount: decimal.nullish(),
  shipping_amount: decimal.nullish(),
  shipping_incl_tax: decimal.nullish(),
  shipping_tax_amount: decimal.nullish(),
  shipping_discount_amount: decimal.nullish(),
  shipping_canceled: decimal.nullish(),
  shipping_invoiced: decimal.nullish(),
  shipping_refunded: decimal.nullish(),
});

/** Magento\Sales\Api\Data\ShippingInterface */
export const ShippingSchema = z.looseObject({
  address: OrderAddressSchema.optional(),
  method: z.string().nullish(),
  total: ShippingTotalSchema.optional(),
});

/** Magento\Sales\Api\Data\ShippingAssignmentInterface */
export const ShippingAssignmentSchema = z.looseObject({
  shipping: ShippingSchema,
  items: z.array(OrderItemSchema).nullable(),
  stock_id: integer.nullish(),
});

/** Magento\Payment\Api\Data\PaymentAdditionalInfoInterface */
export const PaymentAdditionalInfoSchema = z.looseObject({
  key: z.string().nullable(),
  value: z.string().nullable(),
});

/** Magento\Tax\Api\Data\OrderTaxDetailsAppliedTaxInterface */
export const AppliedTaxSchema = z.looseObject({
  code: z.string().nullish(),
  title: z.string().nullish(),
  percent: decimal.nullish(),
  amount: decimal.nullable(),
  base_amount: decimal.nullable(),
});

/** Magento\Tax\Api\Data\OrderTaxDetailsItemInterface */
export const ItemAppliedTaxSchema = z.looseObject({
  type: z.string().nullish(),
  item_id: integer.nullish(),
  associated_item_id: integer.nullish(),
  applied_taxes: z.array(AppliedTaxSchema).nullish(),
});

/** extension_attributes of Magento\Sales\Api\Data\OrderInterface */
export const OrderExtensionSchema = z.looseObject({
  shipping_assignments: z.array(ShippingAssignmentSchema).optional(),
  payment_additional_info: z.array(PaymentAdditionalInfoSchema).optional(),
  applied_taxes: z.array(AppliedTaxSchema).optional(),
  item_applied_taxes: z.array(ItemAppliedTaxSchema).optional(),
  converting_from_quote: z.boolean().optional(),
  pickup_location_code: z.string().optional(),
});

/**
 * Magento\Sales\Api\Data\OrderInterface. There is no top-level shipping address: it is
 * extension_attributes.shipping_assignments[].shipping.address (see shippingAddressOf).
 */
export const OrderSchema = z.looseObject({
  entity_id: integer,
  increment_id: z.string(),
  state: z.string(),
  status: z.string(),
  store_id: integer.nullish(),
  store_name: z.string().nullish(),
  created_at: magentoDate,
  updated_at: magentoDate.nullish(),
  customer_id: integer.nullish(),
  customer_is_guest: integer.nullish(),
  customer_email: z.string().nullable(),
  customer_firstname: z.string().nullish(),
  customer_lastname: z.string().nullish(),
  customer_group_id: integer.nullish(),
  customer_note: z.string().nullish(),
  customer_taxvat: z.string().nullish(),
  billing_address_id: integer.nullish(),
  quote_id: integer.nullish(),
  relation_parent_id: z.string().nullish(),
  relation_parent_real_id: z.string().nullish(),
  relation_child_id: z.string().nullish(),
  relation_child_real_id: z.string().nullish(),
  original_increment_id: z.string().nullish(),
  ext_order_id: z.string().nullish(),
  is_virtual: integer.nullish(),
  hold_before_state: z.string().nullish(),
  hold_before_status: z.string().nullish(),
  coupon_code: z.string().nullish(),
  discount_description: z.string().nullish(),
  shipping_description: z.string().nullish(),
  base_currency_code: z.string().nullish(),
  order_currency_code: z.string().nullish(),
  global_currency_code: z.string().nullish(),
  store_currency_code: z.string().nullish(),
  base_to_order_rate: decimal.nullish(),
  base_to_global_rate: decimal.nullish(),
  weight: decimal.nullish(),
  total_item_count: integer.nullish(),
  total_qty_ordered: decimal.nullish(),
  subtotal: decimal.nullish(),
  base_subtotal: decimal.nullish(),
  subtotal_incl_tax: decimal.nullish(),
  base_subtotal_incl_tax: decimal.nullish(),
  discount_amount: decimal.nullish(),
  base_discount_amount: decimal.nullish(),
  tax_amount: decimal.nullish(),
  base_tax_amount: decimal.nullish(),
  shipping_amount: decimal.nullish(),
  base_shipping_amount: decimal.nullish(),
  shipping_tax_amount: decimal.nullish(),
  base_shipping_tax_amount: decimal.nullish(),
  shipping_incl_tax: decimal.nullish(),
  base_shipping_incl_tax: decimal.nullish(),
  shipping_discount_amount: decimal.nullish(),
  grand_total: decimal.nullable(),
  base_grand_total: decimal.nullish(),
  total_paid: decimal.nullish(),
  base_total_paid: decimal.nullish(),
  total_due: decimal.nullish(),
  base_total_due: decimal.nullish(),
  total_invoiced: decimal.nullish(),
  base_total_invoiced: decimal.nullish(),
  total_refunded: decimal.nullish(),
  base_total_refunded: decimal.nullish(),
  total_offline_refunded: decimal.nullish(),
  total_online_refunded: decimal.nullish(),
  total_canceled: decimal.nullish(),
  base_total_canceled: decimal.nullish(),
  subtotal_invoiced: decimal.nullish(),
  subtotal_refunded: decimal.nullish(),
  subtotal_canceled: decimal.nullish(),
  tax_invoiced: decimal.nullish(),
  tax_refunded: decimal.nullish(),
  tax_canceled: decimal.nullish(),
  shipping_invoiced: decimal.nullish(),
  shipping_refunded: decimal.nullish(),
  shipping_canceled: decimal.nullish(),
  adjustment_positive: decimal.nullish(),
  adjustment_negative: decimal.nullish(),
  items: z.array(OrderItemSchema),
  billing_address: OrderAddressSchema.optional(),
  payment: OrderPaymentSchema.optional(),
  status_histories: z.array(OrderStatusHistorySchema).nullish(),
  extension_attributes: OrderExtensionSchema.optional(),
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderSearchResultSchema = searchResults(OrderSchema);

/** The shipping address of the first shipping assignment, where Magento keeps it. */
export function shippingAddressOf(order: Order): OrderAddress | undefined {
  return order.extension_attributes?.shipping_assignments?.[0]?.shipping.address;
}

/** The shipping method code ("flatrate_flatrate") of the first shipping assignment. */
export function shippingMethodOf(order: Order): string | undefined {
  return order.extension_attributes?.shipping_assignments?.[0]?.shipping.method ?? undefined;
}

/**
 * The few fields a listing needs to route an order (poller, reconcile): read on their own, so
 * one order whose lines or addresses break the contract cannot make the whole page unreadable.
 */
export const OrderSummarySchema = z.looseObject({
  // Only the increment id must be readable: whatever else is broken, the order's workflow can
  // be started and will name the field.
  entity_id: integer.nullish().catch(null),
  increment_id: z.string(),
  state: z.string().nullish().catch(null),
  status: z.string().nullish().catch(null),
  created_at: magentoDate.nullish().catch(null),
  updated_at: magentoDate.nullish().catch(null),
});
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

/** A search page whose items are checked one by one (see OrdersApi.searchEach). */
export const OrderSearchEnvelopeSchema = searchResults(z.unknown());

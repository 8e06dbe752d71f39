import { z } from 'zod';
import { decimal, integer, magentoDate, searchResults } from './primitives';

/** Magento\Sales\Api\Data\InvoiceItemInterface */
export const InvoiceItemSchema = z.looseObject({
  entity_id: integer.nullish(),
  parent_id: integer.nullish(),
  order_item_id: integer,
  product_id: integer.nullish(),
  sku: z.string().nullable(),
  name: z.string().nullish(),
  qty: decimal,
  price: decimal.nullish(),
  base_price: decimal.nullish(),
  price_incl_tax: decimal.nullish(),
  row_total: decimal.nullish(),
  base_row_total: decimal.nullish(),
  row_total_incl_tax: decimal.nullish(),
  tax_amount: decimal.nullish(),
  base_tax_amount: decimal.nullish(),
  discount_amount: decimal.nullish(),
});

/** Magento\Sales\Api\Data\InvoiceCommentInterface */
export const InvoiceCommentSchema = z.looseObject({
  entity_id: integer.nullish(),
  parent_id: integer.nullable(),
  comment: z.string().nullable(),
  is_customer_notified: integer.nullable(),
  is_visible_on_front: integer.nullable(),
  created_at: magentoDate.nullish(),
});

/** Magento\Sales\Api\Data\InvoiceInterface. state: 1 open, 2 paid, 3 canceled. */
export const InvoiceSchema = z.looseObject({
  entity_id: integer,
  order_id: integer,
  increment_id: z.string().nullish(),
  state: integer.nullish(),
  store_id: integer.nullish(),
  transaction_id: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  total_qty: decimal.nullable(),
  subtotal: decimal.nullish(),
  base_subtotal: decimal.nullish(),
  subtotal_incl_tax: decimal.nullish(),
  tax_amount: decimal.nullish(),
  base_tax_amount: decimal.nullish(),
  shipping_amount: decimal.nullish(),
  base_shipping_amount: decimal.nullish(),
  shipping_incl_tax: decimal.nullish(),
  shipping_tax_amount: decimal.nullish(),
  discount_amount: decimal.nullish(),
  grand_total: decimal.nullish(),
  base_grand_total: decimal.nullish(),
  base_total_refunded: decimal.nullish(),
  order_currency_code: z.string().nullish(),
  base_currency_code: z.string().nullish(),
  can_void_flag: integer.nullish(),
  is_used_for_refund: integer.nullish(),
  items: z.array(InvoiceItemSchema),
  comments: z.array(InvoiceCommentSchema).nullish(),
});
export type Invoice = z.infer<typeof InvoiceSchema>;
export const InvoiceSearchResultSchema = searchResults(InvoiceSchema);

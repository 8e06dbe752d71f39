import { z } from 'zod';
import { decimal, integer, magentoDate, searchResults } from './primitives';

/** Magento\Sales\Api\Data\CreditmemoItemInterface */
export const CreditmemoItemSchema = z.looseObject({
  entity_id: integer.nullable(),
  parent_id: integer.nullish(),
  order_item_id: integer,
  product_id: integer.nullish(),
  sku: z.string().nullish(),
  name: z.string().nullish(),
  qty: decimal,
  price: decimal.nullish(),
  base_price: decimal.nullish(),
  price_incl_tax: decimal.nullish(),
  row_total: decimal.nullish(),
  base_row_total: decimal.nullish(),
  row_total_incl_tax: decimal.nullish(),
  tax_amount: decimal.nullish(),
  discount_amount: decimal.nullish(),
});

/** Magento\Sales\Api\Data\CreditmemoCommentInterface */
export const CreditmemoCommentSchema = z.looseObject({
  entity_id: integer.nullish(),
  parent_id: integer.nullable(),
  comment: z.string().nullable(),
  is_customer_notified: integer.nullable(),
  is_visible_on_front: integer.nullable(),
  created_at: magentoDate.nullish(),
});

/** Magento\Sales\Api\Data\CreditmemoInterface. state: 1 open, 2 refunded, 3 canceled. */
export const CreditmemoSchema = z.looseObject({
  entity_id: integer,
  order_id: integer,
  invoice_id: integer.nullish(),
  increment_id: z.string().nullish(),
  state: integer.nullish(),
  creditmemo_status: integer.nullish(),
  store_id: integer.nullish(),
  transaction_id: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  subtotal: decimal.nullish(),
  base_subtotal: decimal.nullish(),
  subtotal_incl_tax: decimal.nullish(),
  tax_amount: decimal.nullish(),
  base_tax_amount: decimal.nullish(),
  shipping_amount: decimal.nullish(),
  base_shipping_amount: decimal.nullish(),
  shipping_incl_tax: decimal.nullish(),
  adjustment: decimal.nullish(),
  adjustment_positive: decimal.nullish(),
  adjustment_negative: decimal.nullish(),
  discount_amount: decimal.nullish(),
  grand_total: decimal.nullish(),
  base_grand_total: decimal.nullish(),
  order_currency_code: z.string().nullish(),
  items: z.array(CreditmemoItemSchema),
  comments: z.array(CreditmemoCommentSchema).nullish(),
});
export type Creditmemo = z.infer<typeof CreditmemoSchema>;
export const CreditmemoSearchResultSchema = searchResults(CreditmemoSchema);

import { z } from 'zod';
import { decimal, integer, magentoDate, searchResults } from './primitives';

/** Magento\Sales\Api\Data\ShipmentItemInterface */
export const ShipmentItemSchema = z.looseObject({
  entity_id: integer.nullish(),
  parent_id: integer.nullish(),
  order_item_id: integer,
  product_id: integer.nullish(),
  sku: z.string().nullish(),
  name: z.string().nullish(),
  qty: decimal,
  price: decimal.nullish(),
  row_total: decimal.nullish(),
  weight: decimal.nullish(),
});

/** Magento\Sales\Api\Data\ShipmentTrackInterface */
export const ShipmentTrackSchema = z.looseObject({
  entity_id: integer.nullish(),
  order_id: integer.nullable(),
  parent_id: integer.nullable(),
  track_number: z.string().nullable(),
  title: z.string().nullable(),
  carrier_code: z.string().nullable(),
  description: z.string().nullable().optional(),
  qty: decimal.nullable().optional(),
  weight: decimal.nullable().optional(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
});
export type ShipmentTrack = z.infer<typeof ShipmentTrackSchema>;

/** Magento\Sales\Api\Data\ShipmentCommentInterface */
export const ShipmentCommentSchema = z.looseObject({
  entity_id: integer.nullish(),
  parent_id: integer.nullable(),
  comment: z.string().nullable(),
  is_customer_notified: integer.nullable(),
  is_visible_on_front: integer.nullable(),
  created_at: magentoDate.nullish(),
});

/** extension_attributes of Magento\Sales\Api\Data\ShipmentInterface (MSI) */
export const ShipmentExtensionSchema = z.looseObject({
  source_code: z.string().optional(),
});

/** Magento\Sales\Api\Data\ShipmentInterface: items, tracks and comments are embedded */
export const ShipmentSchema = z.looseObject({
  entity_id: integer,
  order_id: integer,
  increment_id: z.string().nullish(),
  store_id: integer.nullish(),
  customer_id: integer.nullish(),
  billing_address_id: integer.nullish(),
  shipping_address_id: integer.nullish(),
  shipment_status: integer.nullish(),
  total_qty: decimal.nullish(),
  total_weight: decimal.nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  items: z.array(ShipmentItemSchema),
  tracks: z.array(ShipmentTrackSchema),
  comments: z.array(ShipmentCommentSchema).nullable(),
  extension_attributes: ShipmentExtensionSchema.optional(),
});
export type Shipment = z.infer<typeof ShipmentSchema>;
export const ShipmentSearchResultSchema = searchResults(ShipmentSchema);

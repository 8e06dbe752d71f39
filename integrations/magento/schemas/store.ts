import { z } from 'zod';
import { integer } from './primitives';

// GET /V1/store/* answer plain arrays (no search envelope) that include the admin scope (id 0).

/** Magento\Store\Api\Data\WebsiteInterface */
export const WebsiteSchema = z.looseObject({
  id: integer.nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  default_group_id: integer.nullable(),
});
export type Website = z.infer<typeof WebsiteSchema>;

/** Magento\Store\Api\Data\GroupInterface */
export const StoreGroupSchema = z.looseObject({
  id: integer.nullable(),
  website_id: integer.nullable(),
  root_category_id: integer.nullable(),
  default_store_id: integer.nullable(),
  name: z.string().nullable(),
  code: z.string().nullable(),
});
export type StoreGroup = z.infer<typeof StoreGroupSchema>;

/** Magento\Store\Api\Data\StoreInterface (a store view) */
export const StoreViewSchema = z.looseObject({
  id: integer.nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  website_id: integer.nullable(),
  store_group_id: integer.nullable(),
  is_active: integer.nullable(),
});
export type StoreView = z.infer<typeof StoreViewSchema>;

/** Magento\Store\Api\Data\StoreConfigInterface (the fields the connector reads): one per store view */
export const StoreConfigSchema = z.looseObject({
  id: integer.nullable(),
  code: z.string().nullable(),
  website_id: integer.nullable(),
  base_currency_code: z.string().nullish(),
  /** general/locale/weight_unit: "lbs" or "kgs" */
  weight_unit: z.string().nullish(),
});
export type StoreConfig = z.infer<typeof StoreConfigSchema>;

import { z } from 'zod';
import { CustomAttributeSchema, decimal, flag, integer, magentoDate, searchResults } from './primitives';
import { StockItemSchema } from './stock';

/** Magento\ConfigurableProduct\Api\Data\OptionValueInterface */
export const ConfigurableOptionValueSchema = z.looseObject({
  value_index: integer.nullable(),
});

/** Magento\ConfigurableProduct\Api\Data\OptionInterface: attribute_id is a string */
export const ConfigurableOptionSchema = z.looseObject({
  id: integer.nullish(),
  attribute_id: z.string().nullish(),
  label: z.string().nullish(),
  position: integer.nullish(),
  is_use_default: flag.nullish(),
  values: z.array(ConfigurableOptionValueSchema).nullish(),
  product_id: integer.nullish(),
});
export type ConfigurableOption = z.infer<typeof ConfigurableOptionSchema>;

/** Magento\Catalog\Api\Data\CategoryLinkInterface */
export const CategoryLinkSchema = z.looseObject({
  position: integer.nullish(),
  category_id: z.string().nullable(),
});

/** extension_attributes of Magento\Catalog\Api\Data\ProductInterface */
export const ProductExtensionSchema = z.looseObject({
  website_ids: z.array(integer).optional(),
  category_links: z.array(CategoryLinkSchema).optional(),
  stock_item: StockItemSchema.optional(),
  configurable_product_options: z.array(ConfigurableOptionSchema).optional(),
  /** child product ids (not SKUs) */
  configurable_product_links: z.array(integer).optional(),
});

/** Magento\Catalog\Api\Data\ProductTierPriceInterface */
export const TierPriceSchema = z.looseObject({
  customer_group_id: integer.nullable(),
  qty: decimal.nullable(),
  value: decimal.nullable(),
});

/**
 * Magento\Catalog\Api\Data\ProductInterface: only 17 top-level fields; description, url_key,
 * special_price, tax_class_id, category_ids… are custom_attributes.
 */
export const ProductSchema = z.looseObject({
  id: integer.nullish(),
  sku: z.string(),
  name: z.string().nullish(),
  attribute_set_id: integer.nullish(),
  price: decimal.nullish(),
  /** 1 enabled, 2 disabled */
  status: integer.nullish(),
  /** 1 not visible individually, 2 catalog, 3 search, 4 catalog & search */
  visibility: integer.nullish(),
  type_id: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  weight: decimal.nullish(),
  extension_attributes: ProductExtensionSchema.optional(),
  product_links: z.array(z.unknown()).nullish(),
  options: z.array(z.unknown()).nullish(),
  media_gallery_entries: z.array(z.unknown()).nullish(),
  tier_prices: z.array(TierPriceSchema).nullish(),
  custom_attributes: z.array(CustomAttributeSchema).nullish(),
});
export type Product = z.infer<typeof ProductSchema>;
export const ProductSearchResultSchema = searchResults(ProductSchema);

/** The value of one custom attribute, e.g. customAttributeOf(product, 'description'). */
export function customAttributeOf(entity: { custom_attributes?: Array<{ attribute_code: string; value: unknown }> | null }, code: string): unknown {
  return entity.custom_attributes?.find((a) => a.attribute_code === code)?.value;
}

import { z } from 'zod';
import { flag, integer, searchResults } from './primitives';

/** Magento\Eav\Api\Data\AttributeOptionLabelInterface */
export const AttributeOptionLabelSchema = z.looseObject({
  store_id: integer.nullish(),
  label: z.string().nullish(),
});

/** Magento\Eav\Api\Data\AttributeOptionInterface: value is the option id as a string ("" for the empty option) */
export const AttributeOptionSchema = z.looseObject({
  label: z.string().nullable(),
  value: z.string().nullable(),
  sort_order: integer.nullish(),
  is_default: flag.nullish(),
  store_labels: z.array(AttributeOptionLabelSchema).nullish(),
});
export type AttributeOption = z.infer<typeof AttributeOptionSchema>;

/** Magento\Eav\Api\Data\AttributeFrontendLabelInterface */
export const AttributeFrontendLabelSchema = z.looseObject({
  store_id: integer.nullish(),
  label: z.string().nullish(),
});

/** Magento\Catalog\Api\Data\ProductAttributeInterface */
export const ProductAttributeSchema = z.looseObject({
  attribute_id: integer.nullish(),
  attribute_code: z.string(),
  frontend_input: z.string().nullable(),
  entity_type_id: z.string().nullable(),
  is_required: flag.nullable(),
  is_user_defined: flag.nullish(),
  default_frontend_label: z.string().nullish(),
  frontend_labels: z.array(AttributeFrontendLabelSchema).nullable(),
  backend_type: z.string().nullish(),
  scope: z.string().nullish(),
  is_filterable: flag.nullish(),
  is_searchable: z.string().nullish(),
  is_visible: flag.nullish(),
  position: integer.nullish(),
  default_value: z.string().nullish(),
  options: z.array(AttributeOptionSchema).nullish(),
});
export type ProductAttribute = z.infer<typeof ProductAttributeSchema>;
export const ProductAttributeSearchResultSchema = searchResults(ProductAttributeSchema);

/** Magento\Eav\Api\Data\AttributeSetInterface */
export const AttributeSetSchema = z.looseObject({
  attribute_set_id: integer.nullish(),
  attribute_set_name: z.string().nullable(),
  sort_order: integer.nullable(),
  entity_type_id: integer.nullish(),
});
export type AttributeSet = z.infer<typeof AttributeSetSchema>;
export const AttributeSetSearchResultSchema = searchResults(AttributeSetSchema);

/** extension_attributes of Magento\Eav\Api\Data\AttributeGroupInterface */
export const AttributeGroupExtensionSchema = z.looseObject({
  attribute_group_code: z.string().optional(),
  sort_order: z.string().optional(),
});

/** Magento\Eav\Api\Data\AttributeGroupInterface: attribute_group_id is a string */
export const AttributeGroupSchema = z.looseObject({
  attribute_group_id: z.string().nullish(),
  attribute_group_name: z.string().nullish(),
  attribute_set_id: integer.nullish(),
  extension_attributes: AttributeGroupExtensionSchema.optional(),
});
export type AttributeGroup = z.infer<typeof AttributeGroupSchema>;
export const AttributeGroupSearchResultSchema = searchResults(AttributeGroupSchema);

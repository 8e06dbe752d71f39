import { z } from 'zod';
import { CustomAttributeSchema, flag, integer, magentoDate, searchResults } from './primitives';

/** Magento\Catalog\Api\Data\CategoryTreeInterface (GET /V1/categories) */
export interface CategoryTree {
  id?: number | null | undefined;
  parent_id: number | null;
  name: string | null;
  is_active: boolean | null;
  position: number | null;
  level: number | null;
  product_count: number | null;
  children_data: CategoryTree[] | null;
  [key: string]: unknown;
}

export const CategoryTreeSchema: z.ZodType<CategoryTree> = z.looseObject({
  id: integer.nullish(),
  parent_id: integer.nullable(),
  name: z.string().nullable(),
  is_active: flag.nullable(),
  position: integer.nullable(),
  level: integer.nullable(),
  product_count: integer.nullable(),
  get children_data() {
    return z.array(CategoryTreeSchema).nullable();
  },
}) as unknown as z.ZodType<CategoryTree>;

/** Magento\Catalog\Api\Data\CategoryInterface */
export const CategorySchema = z.looseObject({
  id: integer.nullish(),
  parent_id: integer.nullish(),
  name: z.string().nullish(),
  is_active: flag.nullish(),
  position: integer.nullish(),
  level: integer.nullish(),
  /** comma-separated child ids */
  children: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  path: z.string().nullish(),
  available_sort_by: z.array(z.string()).nullish(),
  include_in_menu: flag.nullish(),
  custom_attributes: z.array(CustomAttributeSchema).nullish(),
});
export type Category = z.infer<typeof CategorySchema>;
export const CategorySearchResultSchema = searchResults(CategorySchema);

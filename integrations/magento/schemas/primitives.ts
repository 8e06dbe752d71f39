import { z } from 'zod';

/**
 * Building blocks shared by every Magento schema. Magento casts typed getters (int, float) to JSON
 * numbers, but values of untyped getters and of some third-party modules arrive as numeric
 * strings ("12", "9.5000"); both are read as numbers. Objects are loose: Magento adds fields with
 * every module and extension attribute, and an unknown field must never fail an import.
 */

const NUMERIC = /^-?\d+(\.\d+)?$/;

export const decimal = z.union([z.number(), z.string().regex(NUMERIC).transform(Number)]);
export const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
/** bool getters are cast to true/false; `bool|int` docblocks and older stores give 0/1 */
export const flag = z.union([z.boolean(), z.number()]).transform((v) => Boolean(v));

/** "YYYY-MM-DD HH:MM:SS" in UTC, as stored (no timezone designator) */
export const magentoDate = z.string();

/** Magento\Framework\Api\AttributeInterface: values are raw (strings, or arrays such as category_ids) */
export const CustomAttributeSchema = z.looseObject({
  attribute_code: z.string(),
  value: z.unknown(),
});
export type CustomAttribute = z.infer<typeof CustomAttributeSchema>;

/** Magento\Framework\Api\SearchCriteriaInterface as echoed back in search results */
export const SearchCriteriaEchoSchema = z.looseObject({
  filter_groups: z.array(z.unknown()).nullable().optional(),
  sort_orders: z.array(z.unknown()).nullish(),
  page_size: integer.nullish(),
  current_page: integer.nullish(),
});

/** Every …SearchResult(s)Interface of the connector routes has exactly this envelope. */
export function searchResults<T extends z.ZodType>(item: T) {
  return z.looseObject({
    items: z.array(item),
    search_criteria: SearchCriteriaEchoSchema,
    total_count: integer,
  });
}

export interface SearchResult<T> {
  items: T[];
  search_criteria: z.infer<typeof SearchCriteriaEchoSchema>;
  total_count: number;
}

/** POST /V1/order/:id/invoice and friends return the new entity id as the model holds it: "12" or 12 */
export const EntityIdResultSchema = integer;
export const BooleanResultSchema = z.boolean();
/** void service methods render as [] */
export const VoidResultSchema = z.union([z.array(z.unknown()).length(0), z.null()]).transform(() => undefined);

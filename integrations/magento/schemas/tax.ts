import { z } from 'zod';
import { decimal, integer, searchResults } from './primitives';

/** Magento\Tax\Api\Data\TaxRateTitleInterface */
export const TaxRateTitleSchema = z.looseObject({
  store_id: z.string().nullable(),
  value: z.string().nullable(),
});

/** Magento\Tax\Api\Data\TaxRateInterface */
export const TaxRateSchema = z.looseObject({
  id: integer.nullish(),
  tax_country_id: z.string().nullable(),
  tax_region_id: integer.nullish(),
  region_name: z.string().nullish(),
  tax_postcode: z.string().nullish(),
  zip_is_range: integer.nullish(),
  zip_from: integer.nullish(),
  zip_to: integer.nullish(),
  rate: decimal.nullable(),
  code: z.string().nullable(),
  titles: z.array(TaxRateTitleSchema).nullish(),
});
export type TaxRate = z.infer<typeof TaxRateSchema>;
export const TaxRateSearchResultSchema = searchResults(TaxRateSchema);

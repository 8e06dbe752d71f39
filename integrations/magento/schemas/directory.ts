import { z } from 'zod';

// GET /V1/directory/countries/:countryId (anonymous). Not in the contract's fields.json; names from
// Magento\Directory\Api\Data\CountryInformationInterface and RegionInformationInterface (2.4.7).

/** Magento\Directory\Api\Data\RegionInformationInterface: the id is a string of digits */
export const RegionInformationSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform((v) => Number(v)),
  code: z.string().nullish(),
  name: z.string().nullish(),
});

/** Magento\Directory\Api\Data\CountryInformationInterface */
export const CountryInformationSchema = z.looseObject({
  id: z.string(),
  two_letter_abbreviation: z.string().nullish(),
  three_letter_abbreviation: z.string().nullish(),
  full_name_locale: z.string().nullish(),
  full_name_english: z.string().nullish(),
  available_regions: z.array(RegionInformationSchema).nullish(),
});
export type CountryInformation = z.infer<typeof CountryInformationSchema>;

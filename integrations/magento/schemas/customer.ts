import { z } from 'zod';
import { CustomAttributeSchema, flag, integer, magentoDate, searchResults } from './primitives';

/** Magento\Customer\Api\Data\RegionInterface */
export const RegionSchema = z.looseObject({
  region_code: z.string().nullable(),
  region: z.string().nullable(),
  region_id: integer.nullable(),
});

/** Magento\Customer\Api\Data\AddressInterface */
export const CustomerAddressSchema = z.looseObject({
  id: integer.nullish(),
  customer_id: integer.nullish(),
  region: RegionSchema.nullish(),
  region_id: integer.nullish(),
  country_id: z.string().nullish(),
  street: z.array(z.string()).nullish(),
  company: z.string().nullish(),
  telephone: z.string().nullish(),
  fax: z.string().nullish(),
  postcode: z.string().nullish(),
  city: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  middlename: z.string().nullish(),
  prefix: z.string().nullish(),
  suffix: z.string().nullish(),
  vat_id: z.string().nullish(),
  default_shipping: flag.nullish(),
  default_billing: flag.nullish(),
  custom_attributes: z.array(CustomAttributeSchema).nullish(),
});
export type CustomerAddress = z.infer<typeof CustomerAddressSchema>;

/** extension_attributes of Magento\Customer\Api\Data\CustomerInterface */
export const CustomerExtensionSchema = z.looseObject({
  is_subscribed: z.boolean().optional(),
});

/** Magento\Customer\Api\Data\CustomerInterface: default_billing/default_shipping are address ids as strings */
export const CustomerSchema = z.looseObject({
  id: integer,
  group_id: integer.nullish(),
  default_billing: z.string().nullish(),
  default_shipping: z.string().nullish(),
  created_at: magentoDate.nullish(),
  updated_at: magentoDate.nullish(),
  created_in: z.string().nullish(),
  dob: z.string().nullish(),
  email: z.string().nullable(),
  firstname: z.string().nullable(),
  lastname: z.string().nullable(),
  middlename: z.string().nullish(),
  prefix: z.string().nullish(),
  suffix: z.string().nullish(),
  gender: integer.nullish(),
  store_id: integer.nullish(),
  taxvat: z.string().nullish(),
  website_id: integer.nullish(),
  addresses: z.array(CustomerAddressSchema).nullish(),
  disable_auto_group_change: integer.nullish(),
  extension_attributes: CustomerExtensionSchema.optional(),
  custom_attributes: z.array(CustomAttributeSchema).nullish(),
});
export type Customer = z.infer<typeof CustomerSchema>;
export const CustomerSearchResultSchema = searchResults(CustomerSchema);

/** Magento\Customer\Api\Data\GroupInterface */
export const CustomerGroupSchema = z.looseObject({
  id: integer.nullish(),
  code: z.string().nullable(),
  tax_class_id: integer.nullable(),
  tax_class_name: z.string().nullish(),
});
export type CustomerGroup = z.infer<typeof CustomerGroupSchema>;
export const CustomerGroupSearchResultSchema = searchResults(CustomerGroupSchema);

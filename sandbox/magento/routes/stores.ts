import { notFound } from '../magento-error';
import { defineRoute } from '../router';
import { REGIONS } from '../seed';

// A stock 2.4 install allows every country; the sandbox knows the regions of the US ones the demo
// world uses (ids from Magento's directory_country_region) and no others.
const COUNTRY = /^[A-Z]{2}$/;

function countryInfo(countryId: string) {
  const id = countryId.toUpperCase();
  if (!COUNTRY.test(id)) throw notFound('Requested country is not available.');
  const regions = Object.entries(REGIONS)
    .filter(([key]) => key.startsWith(`${id}/`))
    .map(([key, r]) => ({ id: String(r.id), code: r.code, name: key.slice(id.length + 1) }));
  return {
    id, two_letter_abbreviation: id, three_letter_abbreviation: id, full_name_locale: id, full_name_english: id,
    ...(regions.length > 0 ? { available_regions: regions } : {}),
  };
}

export const storeRoutes = [
  defineRoute('GET', '/V1/store/websites', 'Magento_Backend::store', (ctx) => ctx.state.websites),
  defineRoute('GET', '/V1/store/storeGroups', 'Magento_Backend::store', (ctx) => ctx.state.storeGroups),
  defineRoute('GET', '/V1/store/storeViews', 'Magento_Backend::store', (ctx) => ctx.state.storeViews),
  // StoreConfigManager: every store view but the admin one, with its configuration (the sandbox
  // leaves out the base URLs, which it does not know behind its listener)
  defineRoute('GET', '/V1/store/storeConfigs', 'Magento_Backend::store', (ctx) =>
    ctx.state.storeViews
      .filter((view) => view.id !== 0)
      .map((view) => ({
        id: view.id, code: view.code, website_id: view.website_id, locale: 'en_US', base_currency_code: 'USD', default_display_currency_code: 'USD',
        timezone: 'America/Chicago', weight_unit: ctx.state.weightUnit,
      }))),
  defineRoute('GET', '/V1/directory/countries/:countryId', 'anonymous', (ctx) => countryInfo(ctx.params.countryId!)),
];

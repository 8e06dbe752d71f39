import { noSuchEntity } from '../magento-error';
import { defineRoute, intParam } from '../router';
import { applySearch, parseSearchCriteria } from '../search';

export const customerRoutes = [
  defineRoute('GET', '/V1/customers/search', 'Magento_Customer::customer', (ctx) =>
    applySearch(ctx.state.customers, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/customers/:customerId', 'Magento_Customer::customer', (ctx) => {
    const id = intParam(ctx, 'customerId');
    const customer = ctx.state.customers.find((c) => c.id === id);
    if (!customer) throw noSuchEntity('customerId', Number.isNaN(id) ? ctx.params.customerId : id);
    return customer;
  }),
  defineRoute('GET', '/V1/customerGroups/search', 'Magento_Customer::group', (ctx) =>
    applySearch(ctx.state.customerGroups, parseSearchCriteria(ctx.query, true))),
  defineRoute('GET', '/V1/customerGroups/:id', 'Magento_Customer::group', (ctx) => {
    const id = intParam(ctx, 'id');
    const group = ctx.state.customerGroups.find((g) => g.id === id);
    if (!group) throw noSuchEntity('id', Number.isNaN(id) ? ctx.params.id : id);
    return group;
  }),
  defineRoute('GET', '/V1/taxRates/search', 'Magento_Tax::manage_tax', (ctx) =>
    applySearch(ctx.state.taxRates, parseSearchCriteria(ctx.query, true))),
];

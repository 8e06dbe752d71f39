import { defineRoute } from '../router';

export const storeRoutes = [
  defineRoute('GET', '/V1/store/websites', 'Magento_Backend::store', (ctx) => ctx.state.websites),
  defineRoute('GET', '/V1/store/storeGroups', 'Magento_Backend::store', (ctx) => ctx.state.storeGroups),
  defineRoute('GET', '/V1/store/storeViews', 'Magento_Backend::store', (ctx) => ctx.state.storeViews),
];

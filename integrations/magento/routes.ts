import { percentEncode } from './oauth1';

/**
 * Every Magento REST route this client calls, in one table. The API modules can only send a
 * request through one of these (MagentoHttp.call takes a route, not a string), so the contract
 * test that checks this table against routes-2.4.7.tsv covers everything the client does.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface MagentoRoute {
  readonly method: HttpMethod;
  /** as in routes-2.4.7.tsv, with :placeholders */
  readonly pattern: string;
  /** "GET /V1/orders/:id": the sandbox counts requests under the same key */
  readonly key: string;
}

function route(method: HttpMethod, pattern: string): MagentoRoute {
  return { method, pattern, key: `${method} ${pattern}` };
}

export const ROUTES = {
  orders: {
    search: route('GET', '/V1/orders'),
    get: route('GET', '/V1/orders/:id'),
    cancel: route('POST', '/V1/orders/:id/cancel'),
    hold: route('POST', '/V1/orders/:id/hold'),
    unhold: route('POST', '/V1/orders/:id/unhold'),
    addComment: route('POST', '/V1/orders/:id/comments'),
    comments: route('GET', '/V1/orders/:id/comments'),
    ship: route('POST', '/V1/order/:orderId/ship'),
    invoice: route('POST', '/V1/order/:orderId/invoice'),
    refund: route('POST', '/V1/order/:orderId/refund'),
  },
  invoices: {
    search: route('GET', '/V1/invoices'),
    get: route('GET', '/V1/invoices/:id'),
    refund: route('POST', '/V1/invoice/:invoiceId/refund'),
  },
  shipments: {
    search: route('GET', '/V1/shipments'),
    get: route('GET', '/V1/shipment/:id'),
    addTrack: route('POST', '/V1/shipment/track'),
  },
  creditmemos: {
    search: route('GET', '/V1/creditmemos'),
    get: route('GET', '/V1/creditmemo/:id'),
  },
  products: {
    search: route('GET', '/V1/products'),
    get: route('GET', '/V1/products/:sku'),
    save: route('POST', '/V1/products'),
    update: route('PUT', '/V1/products/:sku'),
    children: route('GET', '/V1/configurable-products/:sku/children'),
    addChild: route('POST', '/V1/configurable-products/:sku/child'),
    configurableOptions: route('GET', '/V1/configurable-products/:sku/options/all'),
    addConfigurableOption: route('POST', '/V1/configurable-products/:sku/options'),
  },
  media: {
    list: route('GET', '/V1/products/:sku/media'),
    create: route('POST', '/V1/products/:sku/media'),
    update: route('PUT', '/V1/products/:sku/media/:entryId'),
    remove: route('DELETE', '/V1/products/:sku/media/:entryId'),
  },
  categories: {
    tree: route('GET', '/V1/categories'),
    search: route('GET', '/V1/categories/list'),
    get: route('GET', '/V1/categories/:categoryId'),
    create: route('POST', '/V1/categories'),
    update: route('PUT', '/V1/categories/:id'),
    move: route('PUT', '/V1/categories/:categoryId/move'),
  },
  attributes: {
    search: route('GET', '/V1/products/attributes'),
    get: route('GET', '/V1/products/attributes/:attributeCode'),
    create: route('POST', '/V1/products/attributes'),
    options: route('GET', '/V1/products/attributes/:attributeCode/options'),
    addOption: route('POST', '/V1/products/attributes/:attributeCode/options'),
    updateOption: route('PUT', '/V1/products/attributes/:attributeCode/options/:optionId'),
    searchSets: route('GET', '/V1/products/attribute-sets/sets/list'),
    searchGroups: route('GET', '/V1/products/attribute-sets/groups/list'),
    assignToSet: route('POST', '/V1/products/attribute-sets/attributes'),
  },
  customers: {
    search: route('GET', '/V1/customers/search'),
    get: route('GET', '/V1/customers/:customerId'),
    update: route('PUT', '/V1/customers/:customerId'),
    searchGroups: route('GET', '/V1/customerGroups/search'),
    getGroup: route('GET', '/V1/customerGroups/:id'),
  },
  tax: {
    searchRates: route('GET', '/V1/taxRates/search'),
  },
  directory: {
    country: route('GET', '/V1/directory/countries/:countryId'),
  },
  stores: {
    websites: route('GET', '/V1/store/websites'),
    groups: route('GET', '/V1/store/storeGroups'),
    views: route('GET', '/V1/store/storeViews'),
    configs: route('GET', '/V1/store/storeConfigs'),
  },
  stock: {
    searchSourceItems: route('GET', '/V1/inventory/source-items'),
    saveSourceItems: route('POST', '/V1/inventory/source-items'),
    resolveStock: route('GET', '/V1/inventory/stock-resolver/:type/:code'),
    sourcesOfStock: route('GET', '/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/:stockId'),
    getStockItem: route('GET', '/V1/stockItems/:productSku'),
    updateStockItem: route('PUT', '/V1/products/:productSku/stockItems/:itemId'),
  },
} as const;

/** The flat list the contract test reads. */
export const CLIENT_ROUTES: readonly MagentoRoute[] = Object.values(ROUTES).flatMap((group) => Object.values(group));

export type PathParams = Record<string, string | number>;

/**
 * Fills :placeholders with percent-encoded values. Every reserved character is encoded, so a SKU
 * such as "GEAR/0010" stays one path segment ("GEAR%2F0010") instead of turning into a 404.
 */
export function buildPath(route: MagentoRoute, params: PathParams = {}): string {
  return route.pattern.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`missing path parameter "${name}" for ${route.key}`);
    return percentEncode(String(value));
  });
}

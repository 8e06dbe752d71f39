import { badRequest, MagentoError, notFound, PRODUCT_NOT_FOUND, requiredField } from '../magento-error';
import { renderStockItem } from '../render';
import { defineRoute, requireBodyParam } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json, SandboxState, SbStock } from '../state';
import { setLegacyStock } from './catalog';

type SourceItem = SandboxState['sourceItems'][number];
const indexes = new WeakMap<SourceItem[], Map<string, SourceItem>>();
const keyOf = (source: string, sku: string) => `${source}\u0000${sku}`;

/**
 * The source item of (source, SKU) through an index kept between requests, so a 1,000-item
 * batch against 100k SKUs costs 1,000 lookups instead of a scan of every item per item. Items
 * are never removed (tests replace the whole list, which gets its own index); other code pushes
 * to the list, so a hit is checked and a miss falls back to the scan.
 */
function findSourceItem(items: SourceItem[], source: string, sku: string): SourceItem | undefined {
  let index = indexes.get(items);
  if (!index) {
    index = new Map(items.map((s) => [keyOf(s.source_code, s.sku), s]));
    indexes.set(items, index);
  }
  const key = keyOf(source, sku);
  const hit = index.get(key);
  if (hit && hit.source_code === source && hit.sku === sku) return hit;
  const found = items.find((s) => s.sku === sku && s.source_code === source);
  if (found) index.set(key, found);
  return found;
}

export const stockRoutes = [
  defineRoute('GET', '/V1/inventory/source-items', 'Magento_InventoryApi::source', (ctx) =>
    applySearch(ctx.state.sourceItems.map((s) => ({ ...s })), parseSearchCriteria(ctx.query, true))),
  defineRoute('POST', '/V1/inventory/source-items', 'Magento_InventoryApi::stock_source_item_assign', (ctx) => {
    const items = requireBodyParam(ctx, 'sourceItems');
    if (!Array.isArray(items)) throw requiredField('sourceItems');
    // SourceItemsSave validates the whole batch before writing any of it.
    const errors: Array<{ message: string; parameters: Record<string, unknown> }> = [];
    for (const raw of items as Json[]) {
      if (!raw.sku || String(raw.sku).trim() === '') errors.push({ message: '"%field" can not be empty.', parameters: { field: 'sku' } });
      if (!ctx.state.sources.some((source) => source.source_code === String(raw.source_code))) errors.push({ message: 'Source with code "%code" does not exist.', parameters: { code: String(raw.source_code) } });
      if (raw.quantity !== undefined && Number.isNaN(Number(raw.quantity))) errors.push({ message: '"%field" should be numeric.', parameters: { field: 'quantity' } });
    }
    if (errors.length === 1) throw badRequest(errors[0]!.message, errors[0]!.parameters);
    if (errors.length > 1) throw new MagentoError(400, 'Validation Failed', undefined, errors);
    for (const raw of items as Json[]) {
      const sku = String(raw.sku);
      const quantity = Number(raw.quantity ?? 0);
      const status = raw.status === undefined ? (quantity > 0 ? 1 : 0) : Number(raw.status);
      const existing = findSourceItem(ctx.state.sourceItems, String(raw.source_code), sku);
      if (existing) Object.assign(existing, { quantity, status });
      else ctx.state.sourceItems.push({ sku, source_code: String(raw.source_code), quantity, status });
    }
    // void: Magento renders it as []
    return [];
  }),
  ...msiRoutes(),
  defineRoute('GET', '/V1/stockItems/:productSku', 'Magento_Catalog::catalog_inventory', (ctx) => {
    const product = ctx.state.productBySku(ctx.params.productSku!);
    if (!product) throw notFound(PRODUCT_NOT_FOUND);
    return renderStockItem(ctx.state, product);
  }),
  defineRoute('PUT', '/V1/products/:productSku/stockItems/:itemId', 'Magento_Catalog::catalog_inventory', (ctx) => {
    const product = ctx.state.productBySku(ctx.params.productSku!);
    if (!product) throw notFound(PRODUCT_NOT_FOUND);
    const stockItem = requireBodyParam(ctx, 'stockItem') as Json;
    setLegacyStock(ctx.state, product, stockItem);
    product.updated_at = ctx.state.now();
    return product.id;
  }),
];

function renderStock(stock: SbStock): Json {
  return { stock_id: stock.stock_id, name: stock.name, extension_attributes: { sales_channels: stock.sales_channels.map((c) => ({ ...c })) } };
}

/** "%field" can not be empty: the message of MSI's source and stock validators */
function notEmpty(value: unknown, field: string): void {
  if (value === undefined || value === null || String(value).trim() === '') throw badRequest('"%field" can not be empty.', { field });
}

/**
 * The MSI topology: sources, stocks with their sales channels (websites), and the stock ↔ source
 * links with priorities, as Magento_InventoryApi / Magento_InventorySalesApi 1.2.7 serve them.
 */
function msiRoutes() {
  return [
    defineRoute('GET', '/V1/inventory/sources', 'Magento_InventoryApi::source', (ctx) =>
      applySearch(ctx.state.sources.map((s) => ({ ...s })), parseSearchCriteria(ctx.query, false))),
    defineRoute('GET', '/V1/inventory/sources/:sourceCode', 'Magento_InventoryApi::source', (ctx) => {
      const source = ctx.state.sources.find((s) => s.source_code === ctx.params.sourceCode);
      if (!source) throw notFound('Source with code "%value" does not exist.', { value: ctx.params.sourceCode });
      return { ...source };
    }),
    // SourceRepository::save: an upsert keyed by source_code; void
    defineRoute('POST', '/V1/inventory/sources', 'Magento_InventoryApi::source_edit', (ctx) => {
      const source = requireBodyParam(ctx, 'source') as Json;
      notEmpty(source.source_code, 'source_code');
      notEmpty(source.name, 'name');
      notEmpty(source.country_id, 'country_id');
      notEmpty(source.postcode, 'postcode');
      const existing = ctx.state.sources.find((s) => s.source_code === source.source_code);
      if (existing) Object.assign(existing, source);
      else ctx.state.sources.push({ enabled: true, use_default_carrier_config: true, ...source });
      return [];
    }),
    defineRoute('GET', '/V1/inventory/stocks', 'Magento_InventoryApi::stock', (ctx) =>
      applySearch(ctx.state.stocks.map(renderStock), parseSearchCriteria(ctx.query, false))),
    defineRoute('GET', '/V1/inventory/stocks/:stockId', 'Magento_InventoryApi::stock', (ctx) => {
      const stock = ctx.state.stocks.find((s) => s.stock_id === Number(ctx.params.stockId));
      if (!stock) throw notFound('Stock with id "%value" does not exist.', { value: ctx.params.stockId });
      return renderStock(stock);
    }),
    // StockRepository::save answers the stock id. A website sells from one stock: assigning it
    // here takes it off the stock it had (ReplaceSalesChannelsForStock).
    defineRoute('POST', '/V1/inventory/stocks', 'Magento_InventoryApi::stock_edit', (ctx) => {
      const body = requireBodyParam(ctx, 'stock') as Json;
      notEmpty(body.name, 'name');
      const extension = (body.extension_attributes ?? {}) as Json;
      const channels = Array.isArray(extension.sales_channels) ? (extension.sales_channels as Json[]).map((c) => ({ type: String(c.type), code: String(c.code) })) : [];
      const id = body.stock_id !== undefined && body.stock_id !== null ? Number(body.stock_id) : ctx.state.nextId('inventory_stock');
      for (const other of ctx.state.stocks) {
        if (other.stock_id !== id) other.sales_channels = other.sales_channels.filter((c) => !channels.some((n) => n.type === c.type && n.code === c.code));
      }
      const existing = ctx.state.stocks.find((s) => s.stock_id === id);
      if (existing) Object.assign(existing, { name: String(body.name), sales_channels: channels });
      else ctx.state.stocks.push({ stock_id: id, name: String(body.name), sales_channels: channels });
      return id;
    }),
    defineRoute('GET', '/V1/inventory/stock-source-links', 'Magento_InventoryApi::stock_source_link', (ctx) =>
      applySearch(ctx.state.stockSourceLinks.map((l) => ({ ...l })), parseSearchCriteria(ctx.query, true))),
    defineRoute('POST', '/V1/inventory/stock-source-links', 'Magento_InventoryApi::stock_source_link', (ctx) => {
      const links = requireBodyParam(ctx, 'links');
      if (!Array.isArray(links)) throw requiredField('links');
      for (const raw of links as Json[]) {
        if (!ctx.state.stocks.some((s) => s.stock_id === Number(raw.stock_id))) throw badRequest('Stock with id "%value" does not exist.', { value: raw.stock_id });
        if (!ctx.state.sources.some((s) => s.source_code === raw.source_code)) throw badRequest('Source with code "%code" does not exist.', { code: raw.source_code });
      }
      for (const raw of links as Json[]) {
        const link = { stock_id: Number(raw.stock_id), source_code: String(raw.source_code), priority: Number(raw.priority ?? 0) };
        const existing = ctx.state.stockSourceLinks.find((l) => l.stock_id === link.stock_id && l.source_code === link.source_code);
        if (existing) existing.priority = link.priority;
        else ctx.state.stockSourceLinks.push(link);
      }
      return [];
    }),
    // StockResolver: the stock a sales channel (type "website") sells from
    defineRoute('GET', '/V1/inventory/stock-resolver/:type/:code', 'Magento_InventorySalesApi::stock', (ctx) => {
      const stock = ctx.state.stocks.find((s) => s.sales_channels.some((c) => c.type === ctx.params.type && c.code === ctx.params.code));
      if (!stock) throw notFound('No linked stock found');
      return renderStock(stock);
    }),
    // an unknown stock has no links: an empty list, not an error
    defineRoute('GET', '/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/:stockId', 'Magento_InventoryApi::source', (ctx) =>
      ctx.state.stockSourceLinks
        .filter((l) => l.stock_id === Number(ctx.params.stockId))
        .sort((a, b) => a.priority - b.priority)
        .flatMap((l) => ctx.state.sources.filter((s) => s.source_code === l.source_code).map((s) => ({ ...s })))),
  ];
}

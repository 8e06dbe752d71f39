import { badRequest, MagentoError, notFound, PRODUCT_NOT_FOUND, requiredField } from '../magento-error';
import { renderStockItem } from '../render';
import { defineRoute, requireBodyParam } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json, SandboxState } from '../state';
import { setLegacyStock } from './catalog';

const SOURCES = new Set(['default']);

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
      if (!SOURCES.has(String(raw.source_code))) errors.push({ message: 'Source with code "%code" does not exist.', parameters: { code: String(raw.source_code) } });
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

import { badRequest, MagentoError, notFound, PRODUCT_NOT_FOUND, requiredField } from '../magento-error';
import { renderStockItem } from '../render';
import { defineRoute, requireBodyParam } from '../router';
import { applySearch, parseSearchCriteria } from '../search';
import type { Json } from '../state';
import { setLegacyStock } from './catalog';

const SOURCES = new Set(['default']);

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
    // one lookup table per request, not a scan of every source item per item: a 1,000-item
    // batch against 100k SKUs stays linear
    const bySource = new Map(ctx.state.sourceItems.map((s) => [`${s.source_code}\u0000${s.sku}`, s]));
    for (const raw of items as Json[]) {
      const sku = String(raw.sku);
      const quantity = Number(raw.quantity ?? 0);
      const status = raw.status === undefined ? (quantity > 0 ? 1 : 0) : Number(raw.status);
      const key = `${String(raw.source_code)}\u0000${sku}`;
      const existing = bySource.get(key);
      if (existing) Object.assign(existing, { quantity, status });
      else {
        const added = { sku, source_code: String(raw.source_code), quantity, status };
        ctx.state.sourceItems.push(added);
        bySource.set(key, added);
      }
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

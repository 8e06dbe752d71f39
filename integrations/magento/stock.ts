import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { z } from 'zod';
import { integer, SourceItemSearchResultSchema, SourceSchema, StockItemSchema, StockSchema, VoidResultSchema, type Source, type SourceItem, type Stock, type StockItem } from './schemas';
import { SearchCriteria } from './search-criteria';

export interface SourceItemInput {
  sku: string;
  sourceCode: string;
  quantity: number;
  /** defaults to in stock when quantity > 0 */
  inStock?: boolean;
}

/** MSI source items (/V1/inventory/source-items) and the legacy single-source stock item. */
export class StockApi {
  constructor(private readonly http: MagentoHttp) {}

  searchSourceItems(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.stock.searchSourceItems, { query: criteria.toQueryPairs() }, SourceItemSearchResultSchema);
  }

  sourceItemPages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<SourceItem>> {
    return paginate((c) => this.searchSourceItems(c), criteria, pageSize);
  }

  /** upsert, many at once */
  async saveSourceItems(items: SourceItemInput[]): Promise<void> {
    const sourceItems = items.map((i) => ({
      sku: i.sku,
      source_code: i.sourceCode,
      quantity: i.quantity,
      status: (i.inStock ?? i.quantity > 0) ? 1 : 0,
    }));
    await this.http.call(ROUTES.stock.saveSourceItems, { body: { sourceItems } }, VoidResultSchema);
  }

  /** the stock a website sells from; 404 (No linked stock found) when none */
  stockOfWebsite(code: string): Promise<Stock> {
    return this.http.call(ROUTES.stock.resolveStock, { path: { type: 'website', code } }, StockSchema);
  }

  /** the sources linked to a stock, highest priority first */
  sourcesOfStock(stockId: number): Promise<Source[]> {
    return this.http.call(ROUTES.stock.sourcesOfStock, { path: { stockId } }, z.array(SourceSchema));
  }

  getStockItem(productSku: string): Promise<StockItem> {
    return this.http.call(ROUTES.stock.getStockItem, { path: { productSku } }, StockItemSchema);
  }

  /** returns the stock item id */
  updateStockItem(productSku: string, itemId: number, stockItem: { qty: number; is_in_stock?: boolean } & Partial<StockItem>): Promise<number> {
    return this.http.call(ROUTES.stock.updateStockItem, { path: { productSku, itemId }, body: { stockItem } }, integer);
  }
}

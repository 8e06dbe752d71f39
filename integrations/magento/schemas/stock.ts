import { z } from 'zod';
import { decimal, flag, integer, magentoDate, searchResults } from './primitives';

/** Magento\CatalogInventory\Api\Data\StockItemInterface (legacy single-source stock) */
export const StockItemSchema = z.looseObject({
  item_id: integer.nullish(),
  product_id: integer.nullish(),
  stock_id: integer.nullish(),
  qty: decimal.nullable(),
  is_in_stock: flag.nullable(),
  is_qty_decimal: flag.nullish(),
  manage_stock: flag.nullish(),
  use_config_manage_stock: flag.nullish(),
  min_qty: decimal.nullish(),
  min_sale_qty: decimal.nullish(),
  max_sale_qty: decimal.nullish(),
  backorders: integer.nullish(),
  use_config_backorders: flag.nullish(),
  notify_stock_qty: decimal.nullish(),
  low_stock_date: magentoDate.nullish(),
  stock_status_changed_auto: integer.nullish(),
});
export type StockItem = z.infer<typeof StockItemSchema>;

/** Magento\InventoryApi\Api\Data\SourceItemInterface (MSI): status 1 in stock, 0 out of stock */
export const SourceItemSchema = z.looseObject({
  sku: z.string(),
  source_code: z.string(),
  quantity: decimal.nullish(),
  status: integer.nullish(),
});
export type SourceItem = z.infer<typeof SourceItemSchema>;
export const SourceItemSearchResultSchema = searchResults(SourceItemSchema);

/** Magento\InventoryApi\Api\Data\SourceInterface (the fields the connector reads) */
export const SourceSchema = z.looseObject({
  source_code: z.string(),
  name: z.string().nullish(),
  enabled: flag.nullish(),
});
export type Source = z.infer<typeof SourceSchema>;

/** Magento\InventorySalesApi\Api\Data\SalesChannelInterface: type "website", code the website code */
export const SalesChannelSchema = z.looseObject({ type: z.string().nullish(), code: z.string().nullish() });

/** Magento\InventoryApi\Api\Data\StockInterface; the sales channels come as an extension attribute */
export const StockSchema = z.looseObject({
  stock_id: integer,
  name: z.string().nullish(),
  extension_attributes: z.looseObject({ sales_channels: z.array(SalesChannelSchema).nullish() }).nullish(),
});
export type Stock = z.infer<typeof StockSchema>;

import { ApplicationFailure } from '@temporalio/common';
import type { ChannelConfig } from '../../config/schema';
import type { SourceItemInput } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import {
  channelOpenDeliveries, countStorableProducts, stockFiguresOf, storableProductsPage, warehouseIdByCode, type StockFigures,
} from '../../integrations/odoo/inventory';
import { BindingConflictError } from '../../store/bindings';
import type { StreamDeps } from './registry';
import { contentHash } from './hash';
import { stockTargets } from './stock-targets';
import { isRecordProblem, reasonOf } from './record-errors';
import type { RecordFailure, SyncPageInput, SyncPageResult, SyncStream } from './stream';

/**
 * Stock, Odoo → Magento. The published quantity of a SKU is Odoo's `free_qty` of the product
 * read with the channel's warehouse in context: the sum over the warehouse's internal locations
 * (children of its view location) of stock.quant `quantity − reserved_quantity`, i.e. on hand
 * minus what Odoo already reserved for open deliveries, and never more than on hand minus what
 * confirmed deliveries still want (`qty_available − outgoing_qty`: demand Odoo could not reserve
 * yet); never below 0. For an MSI channel, this channel's own orders are added back: Magento
 * subtracts those itself (its reservations) until they ship. See README, "Stock: what quantity
 * is published".
 *
 * Every run walks every storable SKU (cheap reads): quant changes do not touch the product's
 * write_date, so a write_date watermark would miss them. Writes are what costs, and only SKUs
 * whose (quantity, in-stock) differ from the last push are written, in one batch per page (MSI)
 * or one call per SKU (legacy stock item).
 *
 * Several warehouses: an MSI channel whose websites are mapped to Odoo warehouses
 * (orderDefaults.websites) publishes each warehouse's figure on the source of that website's
 * stock (see stock-targets.ts); one SKU's sources are written together, in the same batch.
 */
export function createStockStream(deps: StreamDeps): SyncStream {
  const warehouses = new Map<string, number>();

  async function warehouseId(channel: ChannelConfig, odoo: OdooClient, code: string, field: string): Promise<number> {
    const key = `${channel.code}\u0000${code}`;
    const cached = warehouses.get(key);
    if (cached !== undefined) return cached;
    const id = await warehouseIdByCode(odoo, code);
    if (id === null) {
      throw ApplicationFailure.nonRetryable(`channel "${channel.code}": Odoo has no warehouse with code "${code}" (${field} in the config)`, 'UnknownWarehouse');
    }
    warehouses.set(key, id);
    return id;
  }

  return {
    name: 'stock',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { channel, magento, odoo } = deps.clientsFor(input.channel);
      if (!channel.inventory.enabled) {
        return { processed: 0, written: 0, unchanged: 0, failed: [], nextCursor: null, watermark: null, total: 0 };
      }
      const targets = await stockTargets(channel, magento);
      // one Odoo read per warehouse, not per source: two websites may share a warehouse
      const sources = new Map<number, string[]>();
      for (const target of targets) {
        const id = await warehouseId(channel, odoo, target.warehouse, target.field);
        sources.set(id, [...(sources.get(id) ?? []), target.sourceCode]);
      }
      const [first, ...others] = [...sources.keys()] as [number, ...number[]];
      // the real-time path (keys): only the SKUs an Odoo webhook named
      const afterId = input.cursor === null ? 0 : Number(input.cursor);
      const total = input.cursor === null ? await countStorableProducts(odoo, input.keys) : undefined;
      const rows = await storableProductsPage(odoo, { skus: input.keys, afterId, limit: input.pageSize, warehouseId: first });
      const byWarehouse = new Map<number, Map<number, StockFigures>>([[first, new Map(rows.map((r) => [r.id, r]))]]);
      for (const other of others) {
        const figures = await stockFiguresOf(odoo, rows.map((r) => r.id), other);
        byWarehouse.set(other, new Map(figures.map((r) => [r.id, r])));
      }

      const failed: RecordFailure[] = [];
      const wanted: Array<{ sku: string; odooId: number; items: SourceItemInput[]; hash: string }> = [];
      const perWarehouse = new Map<number, Map<number, { reserved: number; demand: number }>>();
      for (const warehouse of sources.keys()) {
        // MSI keeps its own reservation for each Magento order until the shipment reaches
        // Magento; what Odoo holds for the same orders must not be subtracted a second time.
        perWarehouse.set(warehouse, channel.inventory.target === 'msi' && rows.length > 0 ? await channelOpenDeliveries(odoo, input.channel, warehouse, rows.map((r) => r.id)) : new Map());
      }
      for (const row of rows) {
        const sku = row.sku;
        const items: SourceItemInput[] = [];
        let problem: string | null = null;
        for (const [warehouse, codes] of sources) {
          const figures = byWarehouse.get(warehouse)!.get(row.id);
          const quantity = figures ? publishedQuantity(figures, perWarehouse.get(warehouse)!.get(row.id)) : NaN;
          if (!Number.isFinite(quantity)) {
            problem = `product "${sku}": free_qty ${String(figures?.freeQty)} is not a number`;
            break;
          }
          for (const sourceCode of codes) items.push({ sku, sourceCode, quantity, inStock: quantity > 0 });
        }
        if (problem !== null) {
          failed.push({ key: sku, reason: problem });
          continue;
        }
        wanted.push({ sku, odooId: row.id, items, hash: stockHash(channel, items) });
      }

      const known = await deps.bindings.findMany(input.channel, 'stock', wanted.map((w) => w.sku));
      const changed = input.full ? wanted : wanted.filter((w) => known.get(w.sku)?.contentHash !== w.hash);
      const written: typeof changed = [];

      if (channel.inventory.target === 'msi') {
        if (changed.length > 0) {
          try {
            await magento.stock.saveSourceItems(changed.flatMap((w) => w.items));
            written.push(...changed);
          } catch (err) {
            if (!isRecordProblem(err)) throw err;
            // Magento validates the whole batch before saving any of it: one bad SKU refuses all.
            // One by one finds the culprit; the rest still land.
            for (const w of changed) {
              try {
                await magento.stock.saveSourceItems(w.items);
                written.push(w);
              } catch (one) {
                if (!isRecordProblem(one)) throw one;
                failed.push({ key: w.sku, reason: `stock of "${w.sku}": ${reasonOf(one)}` });
              }
            }
          }
        }
      } else {
        for (const w of changed) {
          const { quantity, inStock } = w.items[0]!;
          try {
            const item = await magento.stock.getStockItem(w.sku);
            await magento.stock.updateStockItem(w.sku, item.item_id ?? 0, { qty: quantity, is_in_stock: inStock ?? quantity > 0 });
            written.push(w);
          } catch (err) {
            if (!isRecordProblem(err)) throw err;
            failed.push({ key: w.sku, reason: `stock of "${w.sku}": ${reasonOf(err)}` });
          }
        }
      }

      await storeHashes(deps, input.channel, written, failed);
      const last = rows.at(-1);
      return {
        processed: rows.length,
        written: written.length,
        unchanged: wanted.length - changed.length,
        failed,
        nextCursor: rows.length < input.pageSize || !last ? null : String(last.id),
        // quant changes do not move write_date: stock has no watermark, every run reconciles
        watermark: null,
        ...(total !== undefined ? { total } : {}),
      };
    },
  };
}

/**
 * On hand minus what is reserved, and minus what confirmed orders still want but Odoo could not
 * reserve yet (stock counted in, a receipt not assigned): the smaller wins. This channel's own
 * deliveries are added back (MSI subtracts those itself). Odoo can reserve more than it has
 * (forced reservations): Magento never sees < 0. NaN when Odoo's figures are not numbers.
 */
export function publishedQuantity(row: Pick<StockFigures, 'freeQty' | 'qtyAvailable' | 'outgoingQty'>, mine = { reserved: 0, demand: 0 }): number {
  const free = Math.min(row.freeQty + mine.reserved, row.qtyAvailable - row.outgoingQty + mine.demand);
  if (!Number.isFinite(free)) return NaN;
  return Math.max(0, Math.round(free * 10_000) / 10_000);
}

/**
 * What was pushed for a SKU. One target (every channel without website mappings) keeps the hash
 * it always had, so switching versions rewrites nothing; several hash the whole list of sources.
 */
function stockHash(channel: ChannelConfig, items: SourceItemInput[]): string {
  if (items.length === 1) {
    const { quantity, inStock, sourceCode } = items[0]!;
    return contentHash({ quantity, inStock, target: channel.inventory.target === 'msi' ? `msi:${sourceCode}` : 'legacy' });
  }
  const sources = items.map((i) => ({ source: i.sourceCode, quantity: i.quantity, inStock: i.inStock })).sort((a, b) => a.source.localeCompare(b.source));
  return contentHash({ sources });
}

/** Records what was pushed; a SKU bound to another Odoo product is reported, not fatal. */
export async function storeHashes(
  deps: StreamDeps,
  channel: string,
  written: Array<{ sku: string; odooId: number; hash: string }>,
  failed: RecordFailure[],
  kind: 'stock' | 'product' | 'product_template' = 'stock',
): Promise<void> {
  const entries = written.map((w) => ({ magentoKey: w.sku, odooId: w.odooId, contentHash: w.hash }));
  try {
    await deps.bindings.upsertHashes(channel, kind, entries);
  } catch (err) {
    // Only a binding clash is a record problem; the store being down is retried by Temporal.
    if (!(err instanceof BindingConflictError) && (err as { code?: string }).code !== '23505') throw err;
    for (const e of entries) {
      try {
        await deps.bindings.bind({ channel, kind, ...e });
        await deps.bindings.setContentHash(channel, kind, e.magentoKey, e.contentHash);
      } catch (one) {
        if (!(one instanceof BindingConflictError)) throw one;
        failed.push({ key: e.magentoKey, reason: reasonOf(one) });
      }
    }
  }
}

import { ApplicationFailure } from '@temporalio/common';
import type { ChannelConfig } from '../../config/schema';
import type { SourceItemInput } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import { BindingConflictError } from '../../store/bindings';
import { many2oneId } from '../orders/odoo-mappings';
import type { StreamDeps } from './registry';
import { contentHash } from './hash';
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
 */
export function createStockStream(deps: StreamDeps): SyncStream {
  const warehouses = new Map<string, number>();

  async function warehouseId(channel: ChannelConfig, odoo: OdooClient): Promise<number> {
    const cached = warehouses.get(channel.code);
    if (cached !== undefined) return cached;
    const [row] = await odoo.searchRead('stock.warehouse', [['code', '=', channel.inventory.warehouse]], { fields: ['id', 'name'], limit: 1 });
    if (!row) {
      throw ApplicationFailure.nonRetryable(
        `channel "${channel.code}": Odoo has no warehouse with code "${channel.inventory.warehouse}" (inventory.warehouse in the config)`,
        'UnknownWarehouse',
      );
    }
    warehouses.set(channel.code, row.id);
    return row.id;
  }

  return {
    name: 'stock',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { channel, magento, odoo } = deps.clientsFor(input.channel);
      if (!channel.inventory.enabled) {
        return { processed: 0, written: 0, unchanged: 0, failed: [], nextCursor: null, watermark: null, total: 0 };
      }
      const warehouse = await warehouseId(channel, odoo);
      const domain: unknown[] = [['default_code', '!=', false], ['is_storable', '=', true]];
      // the real-time path: only the SKUs an Odoo webhook named
      if (input.keys) domain.push(['default_code', 'in', input.keys]);
      const afterId = input.cursor === null ? 0 : Number(input.cursor);
      const total = input.cursor === null ? await odoo.searchCount('product.product', domain) : undefined;
      const rows = await odoo.searchRead('product.product', [...domain, ['id', '>', afterId]], {
        fields: ['default_code', 'free_qty', 'qty_available', 'outgoing_qty'],
        order: 'id asc',
        limit: input.pageSize,
        context: { warehouse_id: warehouse },
      });

      // MSI keeps its own reservation for each Magento order until the shipment reaches Magento;
      // what Odoo holds for the same orders must not be subtracted a second time.
      const own = channel.inventory.target === 'msi' && rows.length > 0 ? await channelDeliveries(odoo, input.channel, warehouse, rows.map((r) => r.id)) : new Map<number, { reserved: number; demand: number }>();
      const failed: RecordFailure[] = [];
      const wanted: Array<{ sku: string; odooId: number; quantity: number; inStock: boolean; hash: string }> = [];
      for (const row of rows) {
        const sku = String(row.default_code);
        const mine = own.get(row.id) ?? { reserved: 0, demand: 0 };
        // On hand minus what is reserved, and minus what confirmed orders still want but Odoo
        // could not reserve yet (stock counted in, a receipt not assigned): the smaller wins.
        const free = Math.min(Number(row.free_qty) + mine.reserved, Number(row.qty_available) - Number(row.outgoing_qty) + mine.demand);
        if (!Number.isFinite(free)) {
          failed.push({ key: sku, reason: `product "${sku}": free_qty ${String(row.free_qty)} is not a number` });
          continue;
        }
        // Odoo can reserve more than it has (forced reservations); Magento must never see < 0.
        const quantity = Math.max(0, Math.round(free * 10_000) / 10_000);
        const inStock = quantity > 0;
        const target = channel.inventory.target === 'msi' ? `msi:${channel.inventory.sourceCode}` : 'legacy';
        wanted.push({ sku, odooId: row.id, quantity, inStock, hash: contentHash({ quantity, inStock, target }) });
      }

      const known = await deps.bindings.findMany(input.channel, 'stock', wanted.map((w) => w.sku));
      const changed = input.full ? wanted : wanted.filter((w) => known.get(w.sku)?.contentHash !== w.hash);
      const written: typeof changed = [];

      if (channel.inventory.target === 'msi') {
        const items = (list: typeof changed): SourceItemInput[] =>
          list.map((w) => ({ sku: w.sku, sourceCode: channel.inventory.sourceCode, quantity: w.quantity, inStock: w.inStock }));
        if (changed.length > 0) {
          try {
            await magento.stock.saveSourceItems(items(changed));
            written.push(...changed);
          } catch (err) {
            if (!isRecordProblem(err)) throw err;
            // Magento validates the whole batch before saving any of it: one bad SKU refuses all.
            // One by one finds the culprit; the rest still land.
            for (const w of changed) {
              try {
                await magento.stock.saveSourceItems(items([w]));
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
          try {
            const item = await magento.stock.getStockItem(w.sku);
            await magento.stock.updateStockItem(w.sku, item.item_id ?? 0, { qty: w.quantity, is_in_stock: w.inStock });
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
 * Per product, this channel's own open deliveries from the warehouse (the sale order's origin
 * names the channel: "Magento 000000042 (eu)"): what Odoo reserved for them and what they still
 * want in all. One Odoo read per page.
 */
async function channelDeliveries(odoo: OdooClient, channel: string, warehouse: number, productIds: number[]): Promise<Map<number, { reserved: number; demand: number }>> {
  const moves = await odoo.searchRead('stock.move', [
    ['product_id', 'in', productIds],
    ['state', 'in', ['waiting', 'confirmed', 'partially_available', 'assigned']],
    ['location_id.warehouse_id', '=', warehouse],
    ['location_dest_id.usage', '=', 'customer'],
    // `like` takes % and _ as wildcards: a channel "eu_b" must not match "(eu-b)"
    ['sale_line_id.order_id.origin', 'like', `(${channel.replace(/[\\%_]/g, '\\$&')})`],
  ], { fields: ['product_id', 'quantity', 'product_uom_qty'] });
  const own = new Map<number, { reserved: number; demand: number }>();
  for (const move of moves) {
    const product = many2oneId(move.product_id);
    if (product === null) continue;
    const entry = own.get(product) ?? { reserved: 0, demand: 0 };
    entry.reserved += Number(move.quantity ?? 0);
    entry.demand += Number(move.product_uom_qty ?? 0);
    own.set(product, entry);
  }
  return own;
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

import { z } from 'zod';
import { parseRecords } from './answers';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { Many2one, OptionalText } from './schemas';

/**
 * Stock as the catalog and stock streams read and count it: warehouses by code, the storable
 * products with their quantities as a warehouse sees them, this channel's open deliveries, and
 * the initial count of a product (stock.quant in inventory mode).
 */

const INVENTORY_MODE = { inventory_mode: true };

/** the warehouse with this code, or null */
export async function warehouseIdByCode(odoo: OdooClient, code: string): Promise<number | null> {
  const [row] = await odoo.searchRead('stock.warehouse', [['code', '=', code]], { fields: ['id', 'name'], limit: 1 });
  return row?.id ?? null;
}

/** the stock location (lot_stock_id, "WH/Stock") of the warehouse with this code, or null */
export async function warehouseStockLocation(odoo: OdooClient, code: string): Promise<number | null> {
  const [warehouse] = await odoo.searchRead('stock.warehouse', [['code', '=', code]], { fields: ['lot_stock_id'], limit: 1 });
  return many2oneId(warehouse?.lot_stock_id);
}

/**
 * Counts a quantity of a product in a location, as Physical Inventory does: the count waits
 * there (draft) until applied. Returns the quant.
 */
export async function countInventory(odoo: OdooClient, productId: number, locationId: number, quantity: number): Promise<number> {
  const [quantId] = await odoo.create('stock.quant', [{ product_id: productId, location_id: locationId, inventory_quantity: quantity }], INVENTORY_MODE);
  return quantId as number;
}

/** applies counted quantities: Odoo moves the stock to the counts */
export async function applyInventory(odoo: OdooClient, quantIds: number[]): Promise<void> {
  await odoo.call('stock.quant', 'action_apply_inventory', { ids: quantIds, context: INVENTORY_MODE });
}

/** a product's quantities as one warehouse sees them (its internal locations) */
export interface StockFigures {
  id: number;
  sku: string;
  freeQty: number;
  qtyAvailable: number;
  outgoingQty: number;
}

const StockFiguresSchema = z.looseObject({
  id: z.number().int(),
  default_code: OptionalText,
  free_qty: z.number(),
  qty_available: z.number(),
  outgoing_qty: z.number(),
});
const FIGURES = ['default_code', 'free_qty', 'qty_available', 'outgoing_qty'];

function figures(rows: Awaited<ReturnType<OdooClient['searchRead']>>): StockFigures[] {
  return parseRecords(StockFiguresSchema, rows, 'product.product.search_read').map((r) => ({
    id: r.id,
    sku: String(r.default_code),
    freeQty: r.free_qty,
    qtyAvailable: r.qty_available,
    outgoingQty: r.outgoing_qty,
  }));
}

/** storable products with a SKU; `skus`: only those (the real-time path) */
function storableDomain(skus: string[] | null | undefined): unknown[] {
  const domain: unknown[] = [
    ['default_code', '!=', false],
    ['is_storable', '=', true],
  ];
  if (skus) domain.push(['default_code', 'in', skus]);
  return domain;
}

export async function countStorableProducts(odoo: OdooClient, skus?: string[] | null): Promise<number> {
  return odoo.searchCount('product.product', storableDomain(skus));
}

/** one page of storable products after id `afterId`, in id order, with one warehouse's figures */
export async function storableProductsPage(
  odoo: OdooClient,
  options: { skus?: string[] | null; afterId: number; limit: number; warehouseId: number },
): Promise<StockFigures[]> {
  const rows = await odoo.searchRead('product.product', [...storableDomain(options.skus), ['id', '>', options.afterId]], {
    fields: FIGURES,
    order: 'id asc',
    limit: options.limit,
    context: { warehouse_id: options.warehouseId },
  });
  return figures(rows);
}

/** these products' figures as another warehouse sees them; no products, no call */
export async function stockFiguresOf(odoo: OdooClient, productIds: number[], warehouseId: number): Promise<StockFigures[]> {
  if (productIds.length === 0) return [];
  const rows = await odoo.searchRead('product.product', [['id', 'in', productIds]], { fields: FIGURES, context: { warehouse_id: warehouseId } });
  return figures(rows);
}

/**
 * Per product, this channel's own open deliveries from the warehouse (the sale order's origin
 * names the channel: "Magento 000000042 (eu)"): what Odoo reserved for them and what they still
 * want in all. One read.
 */
export async function channelOpenDeliveries(
  odoo: OdooClient,
  channel: string,
  warehouseId: number,
  productIds: number[],
): Promise<Map<number, { reserved: number; demand: number }>> {
  const rows = await odoo.searchRead(
    'stock.move',
    [
      ['product_id', 'in', productIds],
      ['state', 'in', ['waiting', 'confirmed', 'partially_available', 'assigned']],
      ['location_id.warehouse_id', '=', warehouseId],
      ['location_dest_id.usage', '=', 'customer'],
      // `like` takes % and _ as wildcards: a channel "eu_b" must not match "(eu-b)"
      ['sale_line_id.order_id.origin', 'like', `(${channel.replace(/[\\%_]/g, '\\$&')})`],
    ],
    { fields: ['product_id', 'quantity', 'product_uom_qty'] },
  );
  const moves = parseRecords(
    z.looseObject({ id: z.number().int(), product_id: Many2one, quantity: z.number(), product_uom_qty: z.number() }),
    rows,
    'stock.move.search_read',
  );
  const own = new Map<number, { reserved: number; demand: number }>();
  for (const move of moves) {
    const product = many2oneId(move.product_id);
    if (product === null) continue;
    const entry = own.get(product) ?? { reserved: 0, demand: 0 };
    entry.reserved += move.quantity;
    entry.demand += move.product_uom_qty;
    own.set(product, entry);
  }
  return own;
}

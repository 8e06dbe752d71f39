import { z } from 'zod';
import { parseRecords } from './answers';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { Many2one, OptionalText } from './schemas';

/**
 * Fixed-price pricelist items (product.pricelist.item) on one product: a template
 * (applied_on 1_product) or a variant (0_product_variant).
 */

/** where a product's pricelist items apply: a template, or a variant */
export type PriceTarget = { kind: 'template'; id: number } | { kind: 'variant'; id: number };

export interface FixedPriceItem {
  id: number;
  pricelistId: number | null;
  minQuantity: number;
  fixedPrice: number;
  /** as Odoo writes it ("2026-01-01 00:00:00"), null: open */
  dateStart: string | null;
  dateEnd: string | null;
}

export interface FixedPriceItemInput {
  pricelistId: number;
  minQuantity: number;
  fixedPrice: number;
  dateStart?: string | null;
  dateEnd?: string | null;
}

const ItemSchema = z.looseObject({
  id: z.number().int(),
  pricelist_id: Many2one,
  min_quantity: z.number(),
  fixed_price: z.number(),
  date_start: OptionalText,
  date_end: OptionalText,
});

const appliedOn = (target: PriceTarget) => (target.kind === 'template' ? '1_product' : '0_product_variant');
const productField = (target: PriceTarget) => (target.kind === 'template' ? 'product_tmpl_id' : 'product_id');

/** those of these items that still exist (ops may delete one by hand) */
export async function existingPricelistItems(odoo: OdooClient, ids: number[]): Promise<number[]> {
  const rows = await odoo.searchRead('product.pricelist.item', [['id', 'in', ids]], { fields: ['id'] });
  return rows.map((r) => r.id);
}

export async function deletePricelistItems(odoo: OdooClient, ids: number[]): Promise<void> {
  await odoo.call('product.pricelist.item', 'unlink', { ids });
}

/** the fixed-price items on the target in these pricelists */
export async function fixedPriceItemsOn(odoo: OdooClient, target: PriceTarget, pricelistIds: number[]): Promise<FixedPriceItem[]> {
  const rows = await odoo.searchRead(
    'product.pricelist.item',
    [
      [productField(target), '=', target.id],
      ['applied_on', '=', appliedOn(target)],
      ['pricelist_id', 'in', pricelistIds],
      ['compute_price', '=', 'fixed'],
    ],
    { fields: ['pricelist_id', 'min_quantity', 'fixed_price', 'date_start', 'date_end'] },
  );
  return parseRecords(ItemSchema, rows, 'product.pricelist.item.search_read').map((r) => ({
    id: r.id,
    pricelistId: many2oneId(r.pricelist_id),
    minQuantity: r.min_quantity,
    fixedPrice: r.fixed_price,
    dateStart: r.date_start || null,
    dateEnd: r.date_end || null,
  }));
}

/** fixed-price items on the target, in one call; their ids in the same order */
export async function createFixedPriceItems(odoo: OdooClient, target: PriceTarget, items: FixedPriceItemInput[]): Promise<number[]> {
  return odoo.create(
    'product.pricelist.item',
    items.map((r) => ({
      pricelist_id: r.pricelistId,
      compute_price: 'fixed',
      fixed_price: r.fixedPrice,
      min_quantity: r.minQuantity,
      applied_on: appliedOn(target),
      [productField(target)]: target.id,
      date_start: r.dateStart ?? false,
      date_end: r.dateEnd ?? false,
    })),
  );
}

import type { Product } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import {
  createFixedPriceItems,
  deletePricelistItems,
  existingPricelistItems,
  fixedPriceItemsOn,
  type FixedPriceItem,
  type PriceTarget,
} from '../../integrations/odoo/pricelist-items';
import type { BindingStore } from '../../store/bindings';
import { contentHash } from './hash';
import { priceRules, type PriceRule } from './magento-prices';
import type { RecordFailure } from './stream';

/** where a Magento product's pricelist items apply: a simple product's template, or a child's variant */
export type { PriceTarget };

/**
 * Keeps the Odoo pricelist items made from a Magento product's tier and special prices
 * (priceRules) in line: the binding (magento_prices / magento_variant_prices, keyed by the
 * Magento product id) holds the hash of the rules last written and the ids of the items made
 * for them. Unchanged rules cost nothing; changed ones replace exactly the items the connector
 * made (items ops added by hand are never touched). Returns true when Odoo was written.
 */
export async function syncPriceRules(
  deps: { channel: string; odoo: OdooClient; bindings: BindingStore },
  product: Product,
  target: PriceTarget,
  pricelistOfGroup: Map<number, number>,
  failed: RecordFailure[],
): Promise<boolean> {
  const { channel, odoo, bindings } = deps;
  const kind = target.kind === 'template' ? 'magento_prices' : 'magento_variant_prices';
  const key = String(product.id);
  const { rules, notes } = priceRules(product, pricelistOfGroup);
  const hash = contentHash({ rules, target });
  const bound = await bindings.find(channel, kind, key);
  if (bound?.contentHash === hash) return false;
  // what cannot be priced is said whenever the product is looked at with prices not yet written
  for (const note of notes) failed.push({ key: product.sku, reason: `product "${product.sku}": ${note}` });
  if (!bound && rules.length === 0) return false;

  // synced values are flat: the item ids as "12,13,14"
  const previous = typeof bound?.syncedValues?.itemIds === 'string' && bound.syncedValues.itemIds ? bound.syncedValues.itemIds.split(',').map(Number) : [];
  if (previous.length > 0) {
    // only those still there: ops may have deleted one by hand
    const existing = await existingPricelistItems(odoo, previous);
    if (existing.length > 0) await deletePricelistItems(odoo, existing);
  }
  // An earlier attempt may have created the items and died before recording them: items on this
  // product that are exactly a wanted rule are taken over rather than made twice.
  const present = rules.length === 0 ? [] : await fixedPriceItemsOn(odoo, target, [...new Set(rules.map((r) => r.pricelistId))]);
  const { itemIds, toCreate } = takeOverItems(rules, present);
  if (toCreate.length > 0) itemIds.push(...(await createFixedPriceItems(odoo, target, toCreate)));
  if (rules.length === 0) {
    await bindings.unbind(channel, kind, key);
    return true;
  }
  if (!bound) await bindings.bind({ channel, kind, magentoKey: key, odooId: target.id, contentHash: hash });
  else await bindings.setContentHash(channel, kind, key, hash);
  await bindings.setSyncedValues(channel, kind, key, { itemIds: itemIds.join(',') });
  return true;
}

/**
 * Which wanted rules an item already on the product is (same pricelist, quantity, price to the
 * cent, dates): those items are kept, each for one rule; the other rules are to be created.
 */
export function takeOverItems(rules: PriceRule[], present: FixedPriceItem[]): { itemIds: number[]; toCreate: PriceRule[] } {
  const itemIds: number[] = [];
  const toCreate: PriceRule[] = [];
  for (const rule of rules) {
    const same = present.find(
      (p) =>
        !itemIds.includes(p.id) &&
        p.pricelistId === rule.pricelistId &&
        p.minQuantity === rule.minQuantity &&
        Math.round(p.fixedPrice * 100) === Math.round(rule.fixedPrice * 100) &&
        p.dateStart === (rule.dateStart ?? null) &&
        p.dateEnd === (rule.dateEnd ?? null),
    );
    if (same) itemIds.push(same.id);
    else toCreate.push(rule);
  }
  return { itemIds, toCreate };
}

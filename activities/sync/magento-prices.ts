import { customAttributeOf, type Product } from '../../integrations/magento';

/** Magento's "ALL GROUPS" customer group id in tier prices */
export const ALL_GROUPS = 32000;

/** one product.pricelist.item the connector keeps for a Magento product */
export interface PriceRule {
  pricelistId: number;
  minQuantity: number;
  fixedPrice: number;
  /** Odoo datetimes (UTC), the special price's validity; absent: always */
  dateStart?: string;
  dateEnd?: string;
}

const cents = (n: number) => Math.round(n * 100);

/**
 * A Magento product's tier and special prices as Odoo pricelist items, all fixed prices.
 *
 * Tier prices: per customer group (the pricelist the reference sync mapped it to; ALL GROUPS →
 * every mapped pricelist), one item per quantity break. Magento charges the lowest price any tier
 * up to the ordered quantity allows; Odoo applies the item with the highest min_quantity not
 * above it, so each break carries the lowest price of the tiers up to it, and a break that does
 * not lower the price is left out. A percentage tier is the product price less that percentage,
 * to the cent.
 *
 * Special price (lower than the price): one item at quantity 0 in every mapped pricelist, from
 * special_from_date to the end of special_to_date. Without dates it also caps every tier break
 * (Magento's final price is the lowest of price, special and tier); with dates it cannot, since
 * Odoo would then cap the breaks outside the dates too: there a tier break above the special
 * price wins in Odoo (see README).
 */
export function priceRules(product: Product, pricelistOfGroup: Map<number, number>): { rules: PriceRule[]; notes: string[] } {
  const notes: string[] = [];
  const price = Number(product.price ?? 0);
  const mapped = [...new Set(pricelistOfGroup.values())].sort((a, b) => a - b);
  const special = specialPrice(product, price);
  const rules: PriceRule[] = [];

  const tiersByPricelist = new Map<number, Array<{ qty: number; cents: number }>>();
  for (const tier of product.tier_prices ?? []) {
    const group = Number(tier.customer_group_id);
    const qty = Number(tier.qty ?? 1);
    const percentage = (tier as { extension_attributes?: { percentage_value?: number | string | null } }).extension_attributes?.percentage_value;
    const value = percentage !== undefined && percentage !== null ? Math.round((cents(price) * (100 - Number(percentage))) / 100) : cents(Number(tier.value));
    if (!Number.isFinite(value) || !Number.isFinite(qty) || value < 0) {
      notes.push(`tier price ${JSON.stringify(tier)} is not a number`);
      continue;
    }
    const targets = group === ALL_GROUPS ? mapped : pricelistOfGroup.has(group) ? [pricelistOfGroup.get(group)!] : [];
    if (targets.length === 0) {
      notes.push(
        group === ALL_GROUPS
          ? `tier price for ALL GROUPS (qty ${qty}): no customer group is mapped to an Odoo pricelist`
          : `tier price for customer group ${group} (qty ${qty}): the group is not mapped to an Odoo pricelist (mappings set customer_group ${group} <pricelist id>)`,
      );
      continue;
    }
    for (const pricelistId of targets) tiersByPricelist.set(pricelistId, [...(tiersByPricelist.get(pricelistId) ?? []), { qty, cents: value }]);
  }

  const cap = special && !special.dateStart && !special.dateEnd ? special.cents : Infinity;
  for (const [pricelistId, tiers] of [...tiersByPricelist].sort(([a], [b]) => a - b)) {
    let lowest = Math.min(cents(price), cap);
    for (const qty of [...new Set(tiers.map((t) => t.qty))].sort((a, b) => a - b)) {
      const best = Math.min(...tiers.filter((t) => t.qty <= qty).map((t) => t.cents), cap);
      if (best >= lowest) continue;
      lowest = best;
      rules.push({ pricelistId, minQuantity: qty, fixedPrice: best / 100 });
    }
  }
  if (special) {
    for (const pricelistId of mapped) {
      rules.push({
        pricelistId,
        minQuantity: 0,
        fixedPrice: special.cents / 100,
        ...(special.dateStart ? { dateStart: special.dateStart } : {}),
        ...(special.dateEnd ? { dateEnd: special.dateEnd } : {}),
      });
    }
    if (mapped.length === 0) notes.push(`special price ${special.cents / 100}: no customer group is mapped to an Odoo pricelist`);
  }
  return { rules, notes };
}

/** special_price with its dates as Odoo datetimes; null when unset or not below the price */
function specialPrice(product: Product, price: number): { cents: number; dateStart?: string; dateEnd?: string } | null {
  const raw = customAttributeOf(product, 'special_price');
  if (raw === undefined || raw === null || raw === '') return null;
  const value = cents(Number(raw));
  if (!Number.isFinite(value) || value >= cents(price)) return null;
  const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);
  const from = day(customAttributeOf(product, 'special_from_date'));
  const to = day(customAttributeOf(product, 'special_to_date'));
  // Magento stores the dates as days; the last day counts whole
  return { cents: value, ...(from ? { dateStart: `${from} 00:00:00` } : {}), ...(to ? { dateEnd: `${to} 23:59:59` } : {}) };
}

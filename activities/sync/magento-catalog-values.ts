import { customAttributeOf, type Product } from '../../integrations/magento';

// Pure mappers Magento product → Odoo product values, for the catalog with Magento as master.

export const MAGENTO_DISABLED = 2;

export interface TemplateValues {
  name: string;
  list_price: number;
  weight: number;
  description: string | false;
  description_sale: string | false;
  categ_id: number | false;
  active: boolean;
}

/** Magento HTML (short_description) as Odoo's plain-text sales description. */
export function plainText(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*/gi, '\n').replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n').trim();
}

/**
 * A Magento product's template values: price, weight (Magento's, in the store's weight unit, as
 * kg: `kgPerUnit` from kilogramsPer), description (HTML, as Odoo's description field is) and the short
 * description as the sales description, the first mapped category, status → active.
 */
export function templateValues(product: Product, categories: Map<number, number>, rootCategory: number | false, kgPerUnit = 1): TemplateValues {
  const links = product.extension_attributes?.category_links ?? [];
  const ids = links.map((l) => Number(l.category_id)).concat(((customAttributeOf(product, 'category_ids') as string[] | undefined) ?? []).map(Number));
  const categ = ids.map((id) => categories.get(id)).find((id) => id !== undefined);
  const description = customAttributeOf(product, 'description');
  const short = customAttributeOf(product, 'short_description');
  return {
    name: product.name?.trim() || product.sku,
    list_price: Number(product.price ?? 0),
    weight: weightInKg(product.weight, kgPerUnit),
    description: typeof description === 'string' && description.trim() ? description : false,
    description_sale: typeof short === 'string' && short.trim() ? plainText(short) : false,
    categ_id: categ ?? rootCategory,
    active: product.status !== MAGENTO_DISABLED,
  };
}

/**
 * Odoo prices a variant as the template's price plus the extras of its attribute values; Magento
 * prices each child. The template gets the lowest child price; with one super attribute each
 * value's extra is its children's price above that (exact when all children of a value share a
 * price). Where extras cannot express Magento's prices, `note` says so and the lowest is kept.
 */
export function variantPricing(children: Array<{ price: number; valueIds: number[] }>): { base: number; extras: Map<number, number>; note?: string } {
  const extras = new Map<number, number>();
  if (children.length === 0) return { base: 0, extras };
  const cents = (n: number) => Math.round(n * 100);
  const base = Math.min(...children.map((c) => cents(c.price)));
  if (children.every((c) => cents(c.price) === base)) return { base: base / 100, extras };
  // additive per value, for any number of attributes: try "extra of value = its price above base"
  // on the first attribute whose values explain every difference alone
  const attributes = children[0]!.valueIds.length;
  for (let a = 0; a < attributes; a++) {
    const byValue = new Map<number, Set<number>>();
    for (const c of children) byValue.set(c.valueIds[a]!, (byValue.get(c.valueIds[a]!) ?? new Set()).add(cents(c.price)));
    if ([...byValue.values()].every((prices) => prices.size === 1)) {
      for (const [value, prices] of byValue) {
        const extra = [...prices][0]! - base;
        if (extra !== 0) extras.set(value, extra / 100);
      }
      return { base: base / 100, extras };
    }
  }
  return { base: base / 100, extras, note: 'children prices differ in a way Odoo value extras cannot express; every variant is priced at the lowest child price' };
}

/** kg per unit of Magento's weight unit (general/locale/weight_unit: lbs or kgs) */
export function kilogramsPer(unit: string): number | null {
  if (unit === 'kgs') return 1;
  if (unit === 'lbs') return 0.45359237;
  return null;
}

/** a Magento weight in kg, to the gram (Odoo then keeps it to its "Stock Weight" precision, 2 decimals by default) */
export function weightInKg(weight: unknown, factor: number): number {
  const value = Number(weight ?? 0);
  return Number.isFinite(value) ? Math.round(value * factor * 1000) / 1000 : 0;
}

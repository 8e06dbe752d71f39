import { customAttributeOf, SearchCriteria, type LineQty, type MagentoClient, type Order } from '../../integrations/magento';
import type { MagentoLine } from './magento-lines';

/**
 * Which rows of a bundle Magento wants named in a shipment or an invoice. Odoo stocks, delivers
 * and invoices a bundle's components (magento-lines.ts), but Magento's document factories only
 * take quantities on the rows Order\Item::isDummy() says carry them, and skip the others:
 *
 *  - shipment, "Ship Bundle Items: Together" (Magento's default): the bundle row, its
 *    components follow; "Separately": the component rows;
 *  - invoice and credit memo, dynamic price (the components carry the money): the component
 *    rows; fixed price: the bundle row.
 *
 * Naming the wrong rows is not an error in Magento: they are skipped, and the document comes out
 * without the bundle, or is refused as empty.
 */
export type BundleShipment = 'together' | 'separately';

/**
 * The shipment type of each bundle in the order, by its bundle row's item id. An order body does
 * not carry it; the bundle product does (custom attribute shipment_type, 1 = separately), read in
 * one catalog search by the rows' product ids. A bundle whose product is gone ships as Magento
 * ships by default: together.
 */
export async function bundleShipmentTypes(magento: MagentoClient, order: Order): Promise<Map<number, BundleShipment>> {
  const bundles = order.items.filter((i) => i.product_type === 'bundle' && !i.parent_item_id);
  const types = new Map<number, BundleShipment>();
  if (bundles.length === 0) return types;
  const productIds = [...new Set(bundles.map((b) => b.product_id).filter((id): id is number => typeof id === 'number'))];
  const products = productIds.length
    ? (await magento.catalog.searchProducts(SearchCriteria.empty().where('entity_id', 'in', productIds.join(',')).withPageSize(productIds.length))).items
    : [];
  for (const bundle of bundles) {
    const product = products.find((p) => p.id === bundle.product_id);
    types.set(bundle.item_id, Number(product ? customAttributeOf(product, 'shipment_type') ?? 0 : 0) === 1 ? 'separately' : 'together');
  }
  return types;
}

/**
 * Rewrites quantities allocated per component row into the rows Magento takes. Where the bundle
 * row is named, it gets the number of whole bundles the components make up (the least over its
 * components of qty / units per bundle): Magento derives each component's quantity from it.
 */
export function documentItems(lines: MagentoLine[], items: LineQty[], bundleRowNamed: (line: MagentoLine) => boolean): LineQty[] {
  const out: LineQty[] = [];
  const bundles = new Map<number, MagentoLine[]>();
  for (const line of lines) {
    if (line.bundle && bundleRowNamed(line)) bundles.set(line.bundle.parentItemId, [...(bundles.get(line.bundle.parentItemId) ?? []), line]);
  }
  const grouped = new Set([...bundles.values()].flat().map((l) => l.itemId));
  for (const item of items) if (!grouped.has(item.orderItemId)) out.push(item);
  for (const [parentItemId, components] of bundles) {
    const whole = Math.min(...components.map((c) => (items.find((i) => i.orderItemId === c.itemId)?.qty ?? 0) / (c.bundle?.perBundle || 1)));
    const qty = Math.floor(whole + 1e-9);
    if (qty > 0) out.push({ orderItemId: parentItemId, qty });
  }
  return out;
}

/** shipments: a bundle shipped together is named by its bundle row */
export const shipsByBundleRow = (types: Map<number, BundleShipment>) => (line: MagentoLine): boolean =>
  Boolean(line.bundle) && types.get(line.bundle!.parentItemId) !== 'separately';

/** invoices and credit memos: a fixed-price bundle is named by its bundle row */
export const billsByBundleRow = (line: MagentoLine): boolean => Boolean(line.bundle) && !line.bundle!.dynamic;

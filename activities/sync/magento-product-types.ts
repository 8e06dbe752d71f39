// What a Magento product type becomes in Odoo, with Magento as the catalog master.

export type OdooShape =
  /** one template, its variants the configurable's children */
  | { kind: 'variants' }
  /** a storable good (type consu, is_storable) */
  | { kind: 'goods' }
  /** a service (type service): nothing to stock or deliver */
  | { kind: 'service' }
  /** no Odoo product; `reason` says why and where its parts went */
  | { kind: 'skip'; reason: string };

/**
 * Virtual and downloadable products are sold but never shipped: Odoo's service type (18 and 19
 * have consu / service / combo). A grouped product is only a display of products each bought on
 * its own, so it is not one in Odoo. A bundle would be a kit, which needs mrp (not installed);
 * Odoo's combo type lets the buyer choose on the Odoo sale order, which is not how Magento
 * orders arrive (the bundle's lines are already chosen), so bundles are skipped too.
 */
export function odooShapeOf(typeId: string | null | undefined): OdooShape {
  switch (typeId) {
    case 'configurable':
      return { kind: 'variants' };
    case 'simple':
      return { kind: 'goods' };
    case 'virtual':
    case 'downloadable':
      return { kind: 'service' };
    case 'grouped':
      return { kind: 'skip', reason: 'Odoo has no grouped product; its associated products are imported as products of their own' };
    case 'bundle':
      return {
        kind: 'skip',
        reason:
          "a bundle is a kit in Odoo, which needs the Manufacturing (mrp) module, not installed; its options' products are imported as products of their own and orders bring the chosen ones",
      };
    default:
      return { kind: 'skip', reason: `type "${typeId ?? ''}" has no Odoo product shape in this connector` };
  }
}

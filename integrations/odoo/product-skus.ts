import type { OdooClient } from './client';

/** SKU (default_code) of each Odoo product id; archived products included (read ignores `active`), products without one left out. */
export async function skusOfProducts(odoo: OdooClient, productIds: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(productIds)];
  const rows = await odoo.read('product.product', unique, ['default_code']);
  return new Map(rows.filter((r) => typeof r.default_code === 'string').map((r) => [r.id, String(r.default_code)]));
}

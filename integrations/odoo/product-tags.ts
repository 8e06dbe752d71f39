import type { OdooClient } from './client';

/** Product tags (product.tag, product module of 18 and 19); names are unique (product_tag_name_uniq). */

/** the tag with exactly this name, or null */
export async function productTagNamed(odoo: OdooClient, name: string): Promise<number | null> {
  const [same] = await odoo.searchRead('product.tag', [['name', '=', name]], { fields: ['id'], limit: 1 });
  return same?.id ?? null;
}

export async function createProductTag(odoo: OdooClient, name: string): Promise<number> {
  const [id] = await odoo.create('product.tag', [{ name }]);
  return id as number;
}

export async function renameProductTag(odoo: OdooClient, id: number, name: string): Promise<void> {
  await odoo.write('product.tag', [id], { name });
}

/** tags to link to a product and tags to take off it (the tags themselves stay) */
export interface TagChange {
  link: number[];
  unlink: number[];
}

/** product_tag_ids commands: link (4) first, then unlink (3) */
export function tagCommands(change: TagChange): Array<[number, number]> {
  return [...change.link.map((t) => [4, t] as [number, number]), ...change.unlink.map((t) => [3, t] as [number, number])];
}

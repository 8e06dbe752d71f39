import type { OdooClient } from './client';

/**
 * Sale order tags (crm.tag, the "Tags" field of an Odoo quotation) as the connector uses them: one
 * tag per family ("Magento: processing") on an order at a time, so Odoo users can filter and group
 * orders by what the other system says. Wire format (crm.tag, x2many commands) stays here.
 */
export async function setExclusiveOrderTag(odoo: OdooClient, orderId: number, family: string, value: string): Promise<boolean> {
  const wanted = `${family}: ${value}`;
  const [order] = await odoo.read('sale.order', [orderId], ['tag_ids']);
  const current = Array.isArray(order?.tag_ids) ? (order.tag_ids as number[]) : [];
  const tags = current.length ? await odoo.read('crm.tag', current, ['name']) : [];
  const ofFamily = tags.filter((t) => String(t.name).startsWith(`${family}: `));
  if (ofFamily.length === 1 && ofFamily[0]!.name === wanted) return false;
  const tagId = await tagNamed(odoo, wanted);
  const commands: unknown[] = ofFamily.filter((t) => t.id !== tagId).map((t) => [3, t.id]);
  if (!current.includes(tagId)) commands.push([4, tagId]);
  await odoo.write('sale.order', [orderId], { tag_ids: commands });
  return true;
}

/** the tag with exactly this name, created when missing (crm.tag names are unique per Odoo) */
async function tagNamed(odoo: OdooClient, name: string): Promise<number> {
  const [found] = await odoo.searchRead('crm.tag', [['name', '=', name]], { fields: ['id'], limit: 1 });
  if (found) return found.id;
  const [id] = await odoo.create('crm.tag', [{ name }]);
  return id as number;
}

import { SearchCriteria, type MagentoClient } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import { createProductTag, productTagNamed, renameProductTag, type TagChange } from '../../integrations/odoo/product-tags';
import type { BindingStore } from '../../store/bindings';
import { contentHash } from './hash';
import { isRecordProblem, reasonOf } from './record-errors';
import type { RecordFailure } from './stream';

/**
 * Magento attribute sets with Magento as the catalog master. Odoo has no attribute sets (nor
 * groups: its products have fixed fields, not EAV), so each set becomes a product tag
 * (product.tag, product module of 18 and 19) named "Magento set: <name>" that the set's products
 * carry, which Odoo users can filter and group by. Bound by the set id, so a renamed set renames
 * its tag; read on every page because a rename does not touch any product's updated_at.
 */
const KIND = 'magento_attribute_set' as const;
const PAGE = 100;

export function attributeSetTagName(setName: string): string {
  return `Magento set: ${setName}`;
}

/** set id → the Odoo product.tag id of the set */
export async function syncAttributeSetTags(
  deps: { channel: string; magento: MagentoClient; odoo: OdooClient; bindings: BindingStore },
  failed: RecordFailure[],
  full: boolean,
): Promise<Map<number, number>> {
  const { channel, magento, odoo, bindings } = deps;
  const tags = new Map<number, number>();
  for (let page = 1; ; page++) {
    const sets = await magento.catalog.searchAttributeSets(SearchCriteria.empty().orderBy('attribute_set_id', 'ASC').withPageSize(PAGE).withPage(page));
    for (const set of sets.items) {
      if (set.attribute_set_id == null) continue;
      const key = String(set.attribute_set_id);
      const name = attributeSetTagName(set.attribute_set_name?.trim() || `#${key}`);
      const hash = contentHash({ name });
      try {
        const bound = await bindings.find(channel, KIND, key);
        let tagId = bound?.odooId;
        if (tagId === undefined) {
          // product.tag names are unique (product_tag_name_uniq): an existing tag is the set's
          tagId = (await productTagNamed(odoo, name)) ?? (await createProductTag(odoo, name));
          await bindings.bind({ channel, kind: KIND, magentoKey: key, odooId: tagId, contentHash: hash });
        } else if (full || bound?.contentHash !== hash) {
          await renameProductTag(odoo, tagId, name);
          await bindings.setContentHash(channel, KIND, key, hash);
        }
        tags.set(set.attribute_set_id, tagId);
      } catch (err) {
        if (!isRecordProblem(err)) throw err;
        failed.push({ key: `attribute set ${key}`, reason: `Magento attribute set ${key} "${set.attribute_set_name ?? ''}": ${reasonOf(err)}` });
      }
    }
    if (sets.items.length < PAGE || page * PAGE >= (sets.total_count ?? 0)) break;
  }
  return tags;
}

/**
 * The tags of a template of set `setId`: its set's tag linked, the tags of the channel's other
 * sets unlinked (the product moved set); tags Odoo users added are left alone.
 */
export function setTagChange(tags: Map<number, number>, setId: unknown): TagChange {
  const own = tags.get(Number(setId));
  // a set whose tag could not be made this run (reported): the product keeps the tags it has
  if (own === undefined) return { link: [], unlink: [] };
  const others = [...new Set(tags.values())].filter((t) => t !== own).sort((a, b) => a - b);
  return { link: [own], unlink: others };
}

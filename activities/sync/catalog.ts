import { ApplicationFailure } from '@temporalio/common';
import type { ChannelConfig } from '../../config/schema';
import { SearchCriteria, type CategoryTree, type MagentoClient, type ProductAttribute, type ProductInput } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import {
  configurableVariantsChangedSince, countTemplatesToSync, productCategories, templatesToSyncPage, templatesWithMovedVariants, variantsOfTemplates,
  type ProductCategory, type TemplateRow, type VariantRow,
} from '../../integrations/odoo/catalog';
import { allAttributeValues, templateAttributeValuesOf, variantAttributes, type TemplateAttributeValue } from '../../integrations/odoo/product-attributes';
import { BindingConflictError } from '../../store/bindings';
import { createLocks } from '../../store/locks';
import { many2oneId } from '../orders/odoo-mappings';
import type { StreamDeps } from './registry';
import { createMagentoCatalogSync } from './catalog-from-magento';
import { pushProductImages } from './product-images';
import { storeKgPerUnit } from './store-weight-unit';
import { contentHash, slug } from './hash';
import { isRecordProblem, reasonOf } from './record-errors';
import { storeHashes } from './stock';
import type { RecordFailure, SyncPageInput, SyncPageResult, SyncStream } from './stream';

/**
 * Catalog, Odoo → Magento: categories (a tree, parents first), attribute options, and products.
 * A product template without variants is a simple product; a template with variants is a
 * configurable product with one simple child per variant, linked through its configurable
 * options. Archived in Odoo → disabled in Magento (status 2), never deleted. Incremental by the
 * template's write_date; a content hash per product (bindings 'product' / 'product_template')
 * makes unchanged records cost no write.
 *
 * Cursor: "<write_date>|<id>" of the last template of the page (keyset on write_date, id), so a
 * page boundary never skips or repeats a template, and the page's last write_date is a safe
 * watermark: everything at or before it in this order is applied.
 *
 * Watermark: "<write_date>|<id>" too, so the next run starts after the last template it applied
 * and a run with nothing changed reads nothing, even when thousands of templates share the
 * watermark's second (an import, a mass edit). Only while that second is recent is the watermark
 * the bare write_date (next run: `write_date >=` it, re-reading that second, hashes make it cost
 * no write): a template saved later in the same second with a smaller id would sort before the
 * id and be missed. See `SETTLED_MS`.
 */

const STATUS_ENABLED = 1;
const STATUS_DISABLED = 2;
const VISIBILITY_BOTH = 4;
const VISIBILITY_NONE = 1;

interface AttributeMap {
  /** Odoo product.attribute id → Magento attribute */
  byOdooId: Map<number, { code: string; magentoId: number; label: string } | { missing: string }>;
  /** Odoo product.attribute.value id → Magento option id */
  options: Map<number, number>;
}

interface References { categories: Map<number, number>; rootCategory: number; websiteId: number; attributeSetId: number; attributes: AttributeMap; kgPerUnit: number }

/**
 * How old a write_date second must be before no new write can still land in it: Odoo stamps
 * write_date with its transaction's start, so a transaction running when the page was read can
 * commit later with that second. Ten seconds covers ordinary transactions and clock skew.
 */
const SETTLED_MS = 10_000;

/** where the next run starts: after (write_date, id) once that second is settled, else at the second */
export function watermarkOf(writeDate: string, id: number, readAt: number): string {
  const stamped = Date.parse(`${writeDate.replace(' ', 'T')}Z`);
  return Number.isFinite(stamped) && stamped + 1000 + SETTLED_MS <= readAt ? `${writeDate}|${id}` : writeDate;
}


/** Odoo's kg in the store's weight unit, to Magento's 4 decimals (kgs: unchanged) */
const storeWeight = (kg: unknown, kgPerUnit: number): number => Math.round(((Number(kg) || 0) / kgPerUnit) * 10_000) / 10_000;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function createCatalogStream(deps: StreamDeps): SyncStream {
  const locks = createLocks(deps.pool);
  const websites = new Map<string, number>();
  const weightUnits = new Map<string, number>();

  /** the store's weight unit, read once per worker like the website (a change needs a restart) */
  async function weightUnitOf(channel: ChannelConfig, magento: MagentoClient): Promise<number> {
    const cached = weightUnits.get(channel.code);
    if (cached !== undefined) return cached;
    const factor = await storeKgPerUnit(channel, magento);
    weightUnits.set(channel.code, factor);
    return factor;
  }

  async function websiteOf(channel: ChannelConfig, magento: MagentoClient): Promise<number> {
    const cached = websites.get(channel.code);
    if (cached !== undefined) return cached;
    const view = (await magento.stores.views()).find((v) => v.code === channel.magento.storeCode);
    if (!view || view.website_id === null) {
      throw ApplicationFailure.nonRetryable(`channel "${channel.code}": Magento has no store view "${channel.magento.storeCode}"`, 'UnknownStoreView');
    }
    websites.set(channel.code, view.website_id);
    return view.website_id;
  }

  /**
   * Categories, parents before children: bound by Odoo id; a Magento category with the same name
   * under the same parent is adopted instead of duplicated; renames and moves are written,
   * unchanged ones cost nothing. Odoo's top-level categories ("All") stand for the store's root
   * category. Because parents come first, a category moved under what used to be its own child
   * finds that child already moved out of the way (Magento refuses a move under a descendant).
   */
  async function syncCategories(channel: string, magento: MagentoClient, odoo: OdooClient, failed: RecordFailure[], full: boolean): Promise<{ map: Map<number, number>; root: number }> {
    const [rows, tree] = await Promise.all([
      productCategories(odoo),
      magento.catalog.categoryTree(),
    ]);
    const root = tree.id ?? 2;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const depth = (r: ProductCategory): number => {
      let d = 0;
      for (let p = r.parentId; p !== null && d < 50; p = byId.get(p)?.parentId ?? null) d++;
      return d;
    };
    const ordered = [...rows].sort((a, b) => depth(a) - depth(b) || a.id - b.id);
    // Magento's tree as it is now: each category's node and parent, for adoption and moves.
    const nodes = new Map<number, { node: CategoryTree; parent: number | null }>();
    const walk = (node: CategoryTree, parent: number | null): void => {
      if (typeof node.id === 'number') nodes.set(node.id, { node, parent });
      for (const child of node.children_data ?? []) walk(child, node.id ?? null);
    };
    walk(tree, null);
    const childrenOf = (id: number): CategoryTree[] => nodes.get(id)?.node.children_data ?? [];
    const map = new Map<number, number>();
    for (const row of ordered) {
      const parentOdoo = row.parentId;
      if (parentOdoo === null) {
        map.set(row.id, root);
        continue;
      }
      const parent = map.get(parentOdoo);
      const name = row.name;
      if (parent === undefined || !name) {
        failed.push({ key: `category:${row.id}`, reason: `category ${row.id} "${name}": its parent could not be synced` });
        continue;
      }
      const hash = contentHash({ name, parent });
      try {
        const bound = await deps.bindings.findByOdooId(channel, 'category', row.id);
        if (bound) {
          const magentoId = Number(bound.magentoKey);
          map.set(row.id, magentoId);
          // --full also puts back what someone moved or renamed in the Magento admin.
          if (bound.contentHash !== hash || full) {
            // Compare with Magento itself, not with what we wrote last: someone may have moved
            // or renamed it in the admin, and a category that is already right costs no write.
            const current = nodes.get(magentoId);
            if (current && current.parent !== parent) await magento.catalog.moveCategory(magentoId, parent);
            if (!current || current.node.name !== name) await magento.catalog.updateCategory(magentoId, { name });
            await deps.bindings.setContentHash(channel, 'category', bound.magentoKey, hash);
          }
          continue;
        }
        const existing = childrenOf(parent).find((c) => (c.name ?? '').toLowerCase() === name.toLowerCase());
        const magentoId = existing?.id ?? (await magento.catalog.createCategory({ name, parent_id: parent, is_active: true, include_in_menu: true })).id;
        if (typeof magentoId !== 'number') throw new Error(`Magento did not answer an id for category "${name}"`);
        await deps.bindings.bind({ channel, kind: 'category', magentoKey: String(magentoId), odooId: row.id, contentHash: existing ? null : hash });
        if (existing) await deps.bindings.setContentHash(channel, 'category', String(magentoId), contentHash({ name: existing.name ?? name, parent }));
        map.set(row.id, magentoId);
      } catch (err) {
        if (!isRecordProblem(err)) throw err;
        failed.push({ key: `category:${row.id}`, reason: `category "${name}": ${reasonOf(err)}` });
      }
    }
    return { map, root };
  }

  /**
   * Odoo attributes that make variants ↔ Magento dropdown attributes with the same code (the
   * name in snake case: "Color" → color). Missing options are added. A missing attribute is
   * created (global dropdown, added to the channel's attribute set) when the channel allows it
   * (`catalog.createAttributes`), else reported on the products that need it.
   */
  async function syncAttributes(channel: ChannelConfig, magento: MagentoClient, odoo: OdooClient): Promise<AttributeMap> {
    const [attributes, values] = await Promise.all([
      variantAttributes(odoo),
      allAttributeValues(odoo),
    ]);
    const result: AttributeMap = { byOdooId: new Map(), options: new Map() };
    for (const attribute of attributes) {
      const label = attribute.name.trim();
      const code = attributeCode(label);
      let magentoAttribute: ProductAttribute;
      try {
        magentoAttribute = await magento.catalog.getAttribute(code);
      } catch (err) {
        if (!isRecordProblem(err)) throw err;
        if (!channel.catalog.createAttributes) {
          result.byOdooId.set(attribute.id, { missing: `Magento has no attribute "${code}" for Odoo attribute "${label}": create it (dropdown, global scope) and add it to attribute set ${channel.catalog.attributeSetId}, or set catalog.createAttributes` });
          continue;
        }
        try {
          magentoAttribute = await createAttribute(channel, magento, code, label);
        } catch (createErr) {
          if (!isRecordProblem(createErr)) throw createErr;
          result.byOdooId.set(attribute.id, { missing: `Magento refused to create attribute "${code}" for Odoo attribute "${label}": ${reasonOf(createErr)}` });
          continue;
        }
      }
      // A configurable product can only vary on a global dropdown: an existing text attribute
      // that happens to share the code ("name", "color" as free text) cannot carry options.
      if (magentoAttribute.frontend_input !== 'select') {
        result.byOdooId.set(attribute.id, { missing: `Magento attribute "${code}" is a "${magentoAttribute.frontend_input ?? '?'}" attribute, not a dropdown, so it cannot make variants of Odoo attribute "${label}": rename the Odoo attribute or the Magento one` });
        continue;
      }
      result.byOdooId.set(attribute.id, { code, magentoId: magentoAttribute.attribute_id ?? 0, label: magentoAttribute.default_frontend_label ?? label });
      const options = new OptionIndex(magentoAttribute);
      for (const value of values.filter((v) => v.attributeId === attribute.id)) {
        result.options.set(value.id, await syncOption(channel.code, magento, code, options, value.id, value.name.trim()));
      }
    }
    return result;
  }

  /**
   * One Odoo attribute value ↔ one Magento option, bound (kind 'attribute_option', key
   * "<code>:<option id>"). A value renamed in Odoo relabels the same option, so the products
   * that use it keep it; an unbound value adopts the option with its label, else adds one.
   */
  async function syncOption(channel: string, magento: MagentoClient, code: string, options: OptionIndex, valueId: number, label: string): Promise<number> {
    const bound = await deps.bindings.findByOdooId(channel, 'attribute_option', valueId);
    const boundId = bound ? Number(bound.magentoKey.slice(bound.magentoKey.lastIndexOf(':') + 1)) : undefined;
    if (boundId !== undefined && options.has(boundId)) {
      if (options.labelOf(boundId) === label) return boundId;
      try {
        await magento.catalog.updateAttributeOption(code, boundId, { label });
        options.set(boundId, label);
        return boundId;
      } catch (err) {
        // Magento has another option with that label already: the value moves to that one.
        if (!isRecordProblem(err) || !/already exists/i.test(reasonOf(err))) throw err;
      }
    }
    // Never bound, its Magento option deleted, or renamed onto an existing label.
    if (bound) await deps.bindings.unbind(channel, 'attribute_option', bound.magentoKey);
    const optionId = options.idOf(label) ?? (await addOption(magento, code, label));
    options.set(optionId, label);
    try {
      await deps.bindings.bind({ channel, kind: 'attribute_option', magentoKey: `${code}:${optionId}`, odooId: valueId });
    } catch (err) {
      // The option is bound to another Odoo value (two values with one label): keep the first.
      if (!(err instanceof BindingConflictError)) throw err;
    }
    return optionId;
  }

  /** Adds the option; if a concurrent sync (a webhook's, a bulk page) added it first, finds it. */
  async function addOption(magento: MagentoClient, code: string, label: string): Promise<number> {
    try {
      return Number(await magento.catalog.addAttributeOption(code, { label }));
    } catch (err) {
      if (!isRecordProblem(err) || !/already exists/i.test(reasonOf(err))) throw err;
      const found = (await magento.catalog.attributeOptions(code)).find((o) => o.value && (o.label ?? '').trim().toLowerCase() === label.toLowerCase());
      if (!found) throw err;
      return Number(found.value);
    }
  }

  /**
   * Creates the dropdown and puts it in the attribute set's first group. Two workers creating
   * the same attribute at once: the loser's "already exists" is answered by reading it.
   */
  async function createAttribute(channel: ChannelConfig, magento: MagentoClient, code: string, label: string): Promise<ProductAttribute> {
    let created: ProductAttribute;
    try {
      created = await magento.catalog.createAttribute({
        attribute_code: code, frontend_input: 'select', default_frontend_label: label, frontend_labels: [],
        scope: 'global', is_required: false, is_user_defined: true, is_visible: true, is_filterable: true, options: [],
      });
    } catch (err) {
      if (!isRecordProblem(err) || !/already exists/i.test(reasonOf(err))) throw err;
      created = await magento.catalog.getAttribute(code);
    }
    const setId = channel.catalog.attributeSetId;
    const groups = await magento.catalog.searchAttributeGroups(SearchCriteria.empty().where('attribute_set_id', 'eq', setId).withPageSize(100));
    const groupId = Math.min(...groups.items.map((g) => Number(g.attribute_group_id)).filter((id) => Number.isInteger(id) && id > 0));
    if (!Number.isFinite(groupId)) throw ApplicationFailure.nonRetryable(`channel "${channel.code}": Magento attribute set ${setId} has no attribute group (catalog.attributeSetId)`, 'UnknownAttributeSet');
    await magento.catalog.assignAttributeToSet({ attributeSetId: setId, attributeGroupId: groupId, attributeCode: code, sortOrder: 100 });
    return created;
  }

  /**
   * Categories, attributes and options are "find, else create" in Magento, which has no unique
   * key to stop a second copy: a webhook's structure sync and a bulk page running at once would
   * both create a new category. One at a time per channel, across workers.
   */
  async function references(input: SyncPageInput, channel: ChannelConfig, magento: MagentoClient, odoo: OdooClient, failed: RecordFailure[]): Promise<References> {
    return locks.withLock(`catalog-structure:${input.channel}`, async () => {
      const [websiteId, kgPerUnit, categories, attributes] = await Promise.all([
        websiteOf(channel, magento),
        weightUnitOf(channel, magento),
        syncCategories(input.channel, magento, odoo, failed, input.full),
        syncAttributes(channel, magento, odoo),
      ]);
      return { websiteId, kgPerUnit, categories: categories.map, rootCategory: categories.root, attributeSetId: channel.catalog.attributeSetId, attributes };
    });
  }

  const fromMagento = createMagentoCatalogSync(deps);
  return {
    name: 'catalog',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { channel, magento, odoo } = deps.clientsFor(input.channel);
      // catalog.master: magento turns the stream around (same schedule, watermark and webhooks).
      if (channel.catalog.master === 'magento') return fromMagento.syncPage(input);
      const failed: RecordFailure[] = [];
      // Categories and options are few: each page brings them in line first (reads only, unless
      // something changed), so a resumed or continued run never depends on an earlier page.
      const refs = await references(input, channel, magento, odoo, failed);
      // Category problems are reported once per run, not once per page.
      if (input.cursor !== null) failed.length = 0;
      // A category or attribute webhook: the structure above was the whole job.
      if (input.keys?.length === 0) return { processed: 0, written: 0, unchanged: 0, failed, nextCursor: null, watermark: null };

      // keys: the real-time path, templates whose own or whose variants' SKU an Odoo webhook named
      const filter = { since: input.since, keys: input.keys };
      const total = input.cursor === null ? await countTemplatesToSync(odoo, filter) : undefined;
      const readAt = Date.now();
      const { rows: page, nextCursor } = await templatesToSyncPage(odoo, filter, input.cursor, input.pageSize);
      // A variant's own edits (archived, its SKU or price extra changed) move the variant's
      // write_date, not its template's, which is what the watermark follows: the first page of a
      // scheduled run also takes the templates whose variants changed since. They do not move
      // the cursor or the watermark.
      const variantsMoved = input.since && input.cursor === null && !input.keys ? await templatesWithMovedVariants(odoo, input.since) : [];
      const templates = [...page, ...variantsMoved.filter((t) => !page.some((p) => p.id === t.id))];
      const withVariants = templates.filter((t) => t.attribute_line_ids.length > 0).map((t) => t.id);
      // every template's variants in one read: a simple product's binding needs its variant id
      const [variants, ptavs] = templates.length === 0 ? [[], []] : await Promise.all([
        variantsOfTemplates(odoo, templates.map((t) => t.id)),
        templateAttributeValuesOf(odoo, withVariants),
      ]);
      const ptavById = new Map(ptavs.map((p) => [p.id, p]));

      let written = 0;
      let unchanged = 0;
      for (const tmpl of templates) {
        try {
          const outcome = withVariants.includes(tmpl.id)
            ? await syncConfigurable(tmpl, variants.filter((v) => many2oneId(v.product_tmpl_id) === tmpl.id), ptavById, refs, input, magento)
            : await syncSimple(tmpl, variants.find((v) => many2oneId(v.product_tmpl_id) === tmpl.id)?.id ?? null, refs, input, magento);
          if (outcome === 'written') written++;
          else unchanged++;
        } catch (err) {
          if (err instanceof RecordProblem) failed.push({ key: err.key, reason: err.message });
          else if (isRecordProblem(err)) failed.push({ key: text(tmpl.default_code) || `odoo-template-${tmpl.id}`, reason: `product "${text(tmpl.default_code) || text(tmpl.name)}": ${reasonOf(err)}` });
          else throw err;
        }
      }
      if (channel.catalog.images) {
        // after the products, so each one exists in Magento; a configurable's SKU is its binding's
        const targets: Array<{ id: number; sku: string; name: string }> = [];
        for (const tmpl of templates) {
          const sku = withVariants.includes(tmpl.id)
            ? (await deps.bindings.findByOdooId(input.channel, 'product_template', tmpl.id))?.magentoKey
            : text(tmpl.default_code).trim();
          if (sku) targets.push({ id: tmpl.id, sku, name: text(tmpl.name) });
        }
        // a configurable's children (bound to their variants) may carry images of their own
        const children = variants
          .filter((v) => withVariants.includes(many2oneId(v.product_tmpl_id) ?? -1) && text(v.default_code).trim() !== '')
          .map((v) => ({ id: v.id, sku: text(v.default_code).trim(), name: text(templates.find((t) => t.id === many2oneId(v.product_tmpl_id))?.name), templateId: many2oneId(v.product_tmpl_id)! }));
        // A variant's own image changes the variant, not its template's write_date, which is
        // the watermark: the first page of a scheduled run also looks at variants changed since.
        if (input.since && input.cursor === null && !input.keys) {
          for (const v of await configurableVariantsChangedSince(odoo, input.since)) {
            if (children.some((c) => c.id === v.id)) continue;
            children.push({ id: v.id, sku: v.sku, name: v.templateName, templateId: v.templateId! });
          }
        }
        await pushProductImages({ channel: input.channel, magento, odoo, bindings: deps.bindings }, targets, failed, children);
      }
      const last = page.at(-1);
      return {
        processed: templates.length,
        written,
        unchanged,
        failed,
        nextCursor,
        watermark: last ? watermarkOf(text(last.write_date), last.id, readAt) : null,
        ...(total !== undefined ? { total: total + templates.length - page.length } : {}),
      };
    },
  };

  function common(tmpl: TemplateRow, refs: References, sku: string, name: string) {
    const category = refs.categories.get(many2oneId(tmpl.categ_id) ?? -1) ?? refs.rootCategory;
    const categoryIds = category === refs.rootCategory ? [] : [String(category)];
    return {
      custom_attributes: [
        { attribute_code: 'description', value: text(tmpl.description_sale) },
        { attribute_code: 'url_key', value: slug(name) || slug(sku) },
        { attribute_code: 'category_ids', value: categoryIds },
      ],
      extension_attributes: {
        website_ids: [refs.websiteId],
        category_links: categoryIds.map((category_id) => ({ position: 0, category_id })),
      },
    };
  }

  function checkPrice(key: string, label: string, value: unknown): number {
    const price = Number(value);
    if (!Number.isFinite(price) || price < 0) throw new RecordProblem(key, `product "${label}": list_price ${String(value)} is negative or not a number`);
    return price;
  }

  async function syncSimple(tmpl: TemplateRow, variantId: number | null, refs: References, input: SyncPageInput, magento: MagentoClient): Promise<'written' | 'unchanged'> {
    const sku = text(tmpl.default_code).trim();
    const name = text(tmpl.name);
    if (!sku) throw new RecordProblem(`odoo-template-${tmpl.id}`, `product template ${tmpl.id} "${name}": no Internal Reference (default_code), which is the Magento SKU`);
    if (variantId === null) throw new RecordProblem(sku, `product "${sku}": Odoo has no variant for template ${tmpl.id}`);
    const product: ProductInput = {
      sku, name, type_id: 'simple', attribute_set_id: refs.attributeSetId,
      price: checkPrice(sku, sku, tmpl.list_price), weight: storeWeight(tmpl.weight, refs.kgPerUnit),
      status: tmpl.active === false ? STATUS_DISABLED : STATUS_ENABLED, visibility: VISIBILITY_BOTH,
      ...common(tmpl, refs, sku, name),
    };
    const hash = contentHash(product);
    // The simple product's variant is what orders and stock refer to: bind the SKU to it.
    const known = await deps.bindings.find(input.channel, 'product', sku);
    if (!input.full && known?.contentHash === hash) return 'unchanged';
    await saveWithUrlKey(magento, product);
    await bindHash(input.channel, 'product', sku, variantId, hash);
    return 'written';
  }

  async function syncConfigurable(
    tmpl: TemplateRow, variants: VariantRow[], ptavById: Map<number, TemplateAttributeValue>, refs: References, input: SyncPageInput, magento: MagentoClient,
  ): Promise<'written' | 'unchanged'> {
    const name = text(tmpl.name);
    const skus = variants.map((v) => text(v.default_code).trim());
    const parentSku = text(tmpl.default_code).trim() || commonPrefix(skus) || `odoo-template-${tmpl.id}`;
    const key = parentSku;
    const noSku = variants.find((v) => !text(v.default_code).trim());
    if (noSku) throw new RecordProblem(key, `configurable "${parentSku}": variant ${noSku.id} has no Internal Reference (default_code)`);
    const price = checkPrice(key, parentSku, tmpl.list_price);
    const active = tmpl.active !== false;

    // attribute id → the option ids its variants use, for the parent's configurable options
    const used = new Map<number, Set<number>>();
    const children: Array<{ sku: string; odooId: number; product: ProductInput }> = [];
    for (const variant of variants) {
      const sku = text(variant.default_code).trim();
      const attributes: Array<{ attribute_code: string; value: string }> = [];
      const labels: string[] = [];
      for (const ptavId of variant.product_template_attribute_value_ids) {
        const ptav = ptavById.get(ptavId);
        const attrId = ptav?.attributeId ?? null;
        const valueId = ptav?.valueId ?? null;
        if (attrId === null || valueId === null) continue;
        const attribute = refs.attributes.byOdooId.get(attrId);
        if (!attribute) continue; // an attribute that does not make variants
        if ('missing' in attribute) throw new RecordProblem(key, `configurable "${parentSku}": ${attribute.missing}`);
        const option = refs.attributes.options.get(valueId);
        if (option === undefined) throw new RecordProblem(key, `configurable "${parentSku}": no Magento option for "${ptav?.valueName ?? ''}"`);
        attributes.push({ attribute_code: attribute.code, value: String(option) });
        labels.push(ptav?.valueName ?? '');
        if (!used.has(attrId)) used.set(attrId, new Set());
        used.get(attrId)!.add(option);
      }
      const childName = `${name}-${labels.join('-')}`;
      const base = common(tmpl, refs, sku, childName);
      children.push({
        sku, odooId: variant.id,
        product: {
          sku, name: childName, type_id: 'simple', attribute_set_id: refs.attributeSetId,
          price: checkPrice(key, sku, variant.lst_price), weight: storeWeight(tmpl.weight, refs.kgPerUnit),
          status: active && variant.active !== false ? STATUS_ENABLED : STATUS_DISABLED, visibility: VISIBILITY_NONE,
          custom_attributes: [...base.custom_attributes, ...attributes],
          extension_attributes: base.extension_attributes,
        },
      });
    }

    const childHashes = new Map(children.map((c) => [c.sku, contentHash(c.product)]));
    const knownChildren = await deps.bindings.findMany(input.channel, 'product', children.map((c) => c.sku));
    const childIds = new Map<string, number>();
    let anyWrite = false;
    for (const child of children) {
      const hash = childHashes.get(child.sku)!;
      if (!input.full && knownChildren.get(child.sku)?.contentHash === hash) continue;
      const saved = await saveWithUrlKey(magento, child.product);
      if (typeof saved.id === 'number') childIds.set(child.sku, saved.id);
      await bindHash(input.channel, 'product', child.sku, child.odooId, hash);
      anyWrite = true;
    }

    const options = [...used.entries()].map(([attrId, values], position) => {
      const attribute = refs.attributes.byOdooId.get(attrId) as { code: string; magentoId: number; label: string };
      return { attribute_id: String(attribute.magentoId), label: attribute.label, position, values: [...values].sort((a, b) => a - b).map((value_index) => ({ value_index })) };
    });
    const base = common(tmpl, refs, parentSku, name);
    const parentExtension = { ...base.extension_attributes, configurable_product_options: options };
    const parent: ProductInput = {
      sku: parentSku, name, type_id: 'configurable', attribute_set_id: refs.attributeSetId, price, weight: storeWeight(tmpl.weight, refs.kgPerUnit),
      status: active ? STATUS_ENABLED : STATUS_DISABLED, visibility: VISIBILITY_BOTH,
      custom_attributes: base.custom_attributes,
      extension_attributes: parentExtension,
    };
    // Magento links children by entity id; the hash uses their SKUs, which do not change.
    const hash = contentHash({ parent, children: children.map((c) => c.sku).sort() });
    const known = await deps.bindings.find(input.channel, 'product_template', parentSku);
    if (!input.full && known?.contentHash === hash) return anyWrite ? 'written' : 'unchanged';

    const missingIds = children.filter((c) => !childIds.has(c.sku)).map((c) => c.sku);
    if (missingIds.length > 0) {
      const found = await magento.catalog.searchProducts(SearchCriteria.empty().where('sku', 'in', missingIds.join(',')).withPageSize(missingIds.length));
      for (const p of found.items) if (typeof p.id === 'number') childIds.set(p.sku, p.id);
    }
    const links = children.map((c) => childIds.get(c.sku)).filter((id): id is number => id !== undefined);
    if (links.length !== children.length) throw new RecordProblem(key, `configurable "${parentSku}": ${children.length - links.length} child product(s) not found in Magento`);
    await saveWithUrlKey(magento, { ...parent, extension_attributes: { ...parentExtension, configurable_product_links: links } });
    await bindHash(input.channel, 'product_template', parentSku, tmpl.id, hash);
    return 'written';
  }

  /**
   * Saves a product; when Magento refuses its url_key as taken by another product, saves it
   * again with the SKU appended: the same product always ends up with the same key, and a
   * clash never fails the batch.
   */
  async function saveWithUrlKey(magento: MagentoClient, product: ProductInput) {
    try {
      return await magento.catalog.saveProduct(product);
    } catch (err) {
      if (!isRecordProblem(err) || !/url key/i.test(reasonOf(err))) throw err;
      const custom = (product.custom_attributes ?? []) as Array<{ attribute_code: string; value: unknown }>;
      const attrs = custom.map((a) =>
        a.attribute_code === 'url_key' ? { ...a, value: `${String(a.value)}-${slug(product.sku)}` } : a);
      return magento.catalog.saveProduct({ ...product, custom_attributes: attrs });
    }
  }

  async function bindHash(channel: string, kind: 'product' | 'product_template', sku: string, odooId: number, hash: string): Promise<void> {
    const failed: RecordFailure[] = [];
    await storeHashes(deps, channel, [{ sku, odooId, hash }], failed, kind);
    if (failed[0]) throw new RecordProblem(sku, failed[0].reason);
  }
}

/** A Magento attribute's options by id and by label (labels compared without case). */
class OptionIndex {
  private readonly labels = new Map<number, string>();
  constructor(attribute: ProductAttribute) {
    for (const o of attribute.options ?? []) if (o.value) this.labels.set(Number(o.value), (o.label ?? '').trim());
  }
  has(id: number): boolean { return this.labels.has(id); }
  labelOf(id: number): string | undefined { return this.labels.get(id); }
  idOf(label: string): number | undefined {
    for (const [id, l] of this.labels) if (l.toLowerCase() === label.toLowerCase()) return id;
    return undefined;
  }
  set(id: number, label: string): void { this.labels.set(id, label); }
}

class RecordProblem extends Error {
  constructor(readonly key: string, message: string) {
    super(message);
    this.name = 'RecordProblem';
  }
}

/** Magento attribute codes: a letter first, then letters, digits and "_", at most 60. */
export function attributeCode(label: string): string {
  const code = slug(label).replace(/-/g, '_');
  return (/^[a-z]/.test(code) ? code : `attr_${code}`).slice(0, 60);
}

/**
 * A template with variants usually has no Internal Reference in Odoo; its variants' SKUs share
 * a stem ("TEE-001-BLACK-S", "TEE-001-BLUE-M" → "TEE-001"), which becomes the parent SKU.
 */
export function commonPrefix(skus: string[]): string {
  if (skus.length === 0) return '';
  let prefix = skus[0]!;
  for (const sku of skus) while (!sku.startsWith(prefix)) prefix = prefix.slice(0, -1);
  if (skus.length > 1) {
    // cut back to a separator so "TEE-001-B" (from BLACK and BLUE) becomes "TEE-001"
    const cut = prefix.search(/[-_/. ][^-_/. ]*$/);
    prefix = cut > 0 ? prefix.slice(0, cut) : prefix;
  }
  prefix = prefix.replace(/[-_/. ]+$/, '');
  return prefix.length >= 3 ? prefix : '';
}

import type { ChannelConfig } from '../../config/schema';
import { SearchCriteria, customAttributeOf, type MagentoClient, type Product, type ProductAttribute } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import {
  archiveVariants, createProductCategory, createProductTemplate, firstVariantOf, productCategoryNamed, rootProductCategory,
  templateOfVariantSkus, updateProductCategory, updateProductTemplate, updateVariants, variantCombinationsOf,
} from '../../integrations/odoo/catalog';
import { applyInventory, countInventory, warehouseStockLocation } from '../../integrations/odoo/inventory';
import {
  addAttributeLines, addValuesToAttributeLine, attributeLinesOf, attributeNamed, createAttributeValue, createVariantAttribute,
  setValuePriceExtra, templateValueExtras, valuesOfAttribute, type AttributeLineInput,
} from '../../integrations/odoo/product-attributes';
import type { BindingKind } from '../../store/bindings';
import { contentHash } from './hash';
import { createMappingStore } from '../../store/mappings';
import { MAGENTO_DISABLED, templateValues, variantPricing, weightInKg } from './magento-catalog-values';
import { syncPriceRules } from './pricelist-items';
import { storeKgPerUnit } from './store-weight-unit';
import { pullProductImages } from './product-images';
import { isRecordProblem, reasonOf } from './record-errors';
import { setTagChange, syncAttributeSetTags } from './magento-attribute-sets';
import { odooShapeOf } from './magento-product-types';
import type { StreamDeps } from './registry';
import type { RecordFailure, SyncPageInput, SyncPageResult } from './stream';

/**
 * Catalog with Magento as the master (channel key catalog.master: magento): the category tree,
 * the attribute sets as product tags, the configurable products' super attributes with their
 * options, simple products (and virtual / downloadable ones, as services) as Odoo
 * templates, configurable products as one template whose variants are the children (matched by
 * the super attributes' values), prices, descriptions, weight, status → active. Odoo stays the
 * stock master: a product's Magento quantity goes to Odoo once, when it is first bound, as an
 * inventory adjustment left counted (draft) or applied (catalog.initialStock).
 *
 * Bound by Magento entity id (kinds below), so a renamed product or a changed SKU is an update,
 * never a second product; an existing Odoo product with the same SKU is adopted, not duplicated.
 * A content hash per template makes an unchanged product cost no Odoo write.
 *
 * Pages: configurables first, then every other type (a child is then already bound as a variant
 * and only its own fields are looked at), each keyset-paged on (updated_at, entity_id). Grouped
 * and bundle products are reported as skipped (magento-product-types.ts); their children are
 * simple products and imported as such.
 */
const KIND = {
  category: 'magento_category',
  attribute: 'magento_attribute',
  option: 'magento_option',
  template: 'magento_template',
  variant: 'magento_variant',
  initialStock: 'initial_stock',
} as const satisfies Record<string, BindingKind>;

export function createMagentoCatalogSync(deps: StreamDeps) {
  const { bindings } = deps;
  const mappings = createMappingStore(deps.pool);

  async function syncCategories(channel: string, magento: MagentoClient, odoo: OdooClient, failed: RecordFailure[], full: boolean): Promise<Map<number, number>> {
    const tree = await magento.catalog.categoryTree();
    const odooRoot = await rootProductCategory(odoo);
    const map = new Map<number, number>();
    // The store's root category ("Default Category") is Odoo's "All".
    if (tree.id != null && odooRoot !== null) map.set(tree.id, odooRoot);
    const walk = async (node: typeof tree, parentOdoo: number | undefined): Promise<void> => {
      for (const child of node.children_data ?? []) {
        if (child.id == null) continue;
        const name = child.name ?? `Category ${child.id}`;
        const key = String(child.id);
        const hash = contentHash({ name, parent: parentOdoo ?? false });
        try {
          const bound = await bindings.find(channel, KIND.category, key);
          let odooId = bound?.odooId;
          if (odooId === undefined) {
            odooId = (await productCategoryNamed(odoo, name, parentOdoo ?? false)) ?? (await createProductCategory(odoo, name, parentOdoo ?? false));
            await bindings.bind({ channel, kind: KIND.category, magentoKey: key, odooId, contentHash: hash });
          } else if (full || bound?.contentHash !== hash) {
            await updateProductCategory(odoo, odooId, name, parentOdoo ?? false);
            await bindings.setContentHash(channel, KIND.category, key, hash);
          }
          map.set(child.id, odooId);
          await walk(child, odooId);
        } catch (err) {
          if (!isRecordProblem(err)) throw err;
          failed.push({ key: `category ${child.id}`, reason: `Magento category ${child.id} "${name}": ${reasonOf(err)}` });
        }
      }
    };
    await walk(tree, tree.id != null ? map.get(tree.id) : undefined);
    return map;
  }

  /** A Magento dropdown attribute as an Odoo variant attribute, its options as values (bound by ids). */
  async function ensureAttribute(channel: string, odoo: OdooClient, attribute: ProductAttribute): Promise<{ odooId: number; values: Map<string, number> }> {
    const key = String(attribute.attribute_id);
    const label = attribute.default_frontend_label || attribute.attribute_code;
    let odooId = (await bindings.find(channel, KIND.attribute, key))?.odooId;
    if (odooId === undefined) {
      odooId = (await attributeNamed(odoo, label)) ?? (await createVariantAttribute(odoo, label));
      await bindings.bind({ channel, kind: KIND.attribute, magentoKey: key, odooId });
    }
    const existing = await valuesOfAttribute(odoo, odooId);
    const values = new Map<string, number>();
    for (const option of attribute.options ?? []) {
      const value = String(option.value ?? '');
      const name = String(option.label ?? '').trim();
      if (!value || !name) continue;
      const optionKey = `${key}:${value}`;
      let valueId = (await bindings.find(channel, KIND.option, optionKey))?.odooId;
      if (valueId === undefined) {
        valueId = existing.find((v) => v.name === name)?.id ?? (await createAttributeValue(odoo, odooId, name));
        await bindings.bind({ channel, kind: KIND.option, magentoKey: optionKey, odooId: valueId });
      }
      values.set(value, valueId);
    }
    return { odooId, values };
  }

  /** The template of a Magento product: bound, or adopted through an Odoo product with one of its SKUs, or created. */
  async function templateFor(channel: string, odoo: OdooClient, product: Product, skus: string[], create: () => Promise<number>): Promise<{ id: number; created: boolean }> {
    const key = String(product.id);
    const bound = await bindings.find(channel, KIND.template, key);
    if (bound) return { id: bound.odooId, created: false };
    const adopted = await templateOfVariantSkus(odoo, skus);
    const id = adopted ?? (await create());
    await bindings.bind({ channel, kind: KIND.template, magentoKey: key, odooId: id });
    return { id, created: adopted === null };
  }

  /** `product`: the Magento product (simple or child) whose quantity is counted, by id so a new SKU is not a new count */
  async function initialStock(ctx: PageContext, product: Product, variantId: number): Promise<void> {
    const mode = ctx.channel.catalog.initialStock ?? 'off';
    if (mode === 'off') return;
    const key = String(product.id);
    const sku = product.sku;
    if (await bindings.find(ctx.channel.code, KIND.initialStock, key)) return;
    const qty = await magentoQuantity(ctx.channel, ctx.magento, sku);
    if (qty > 0) {
      const locationId = await ctx.stockLocation();
      const quantId = await countInventory(ctx.odoo, variantId, locationId, qty);
      // draft: the counted quantity waits in Physical Inventory for ops to apply it
      if (mode === 'apply') await applyInventory(ctx.odoo, [quantId]);
    }
    // bound even at 0: "once" means once, a later Magento quantity is Odoo's business
    await bindings.bind({ channel: ctx.channel.code, kind: KIND.initialStock, magentoKey: key, odooId: variantId });
  }

  async function syncSimple(ctx: PageContext, product: Product): Promise<'written' | 'unchanged'> {
    const { channel, odoo } = ctx;
    // A configurable's child: the configurable's pass made it a variant; only its own fields.
    const asVariant = await bindings.find(channel.code, KIND.variant, String(product.id));
    if (asVariant) {
      const vals = variantValues(product, ctx.kgPerUnit);
      const hash = contentHash(vals);
      if (!ctx.full && asVariant.contentHash === hash) return 'unchanged';
      await updateVariants(odoo, [asVariant.odooId], vals);
      await bindings.setContentHash(channel.code, KIND.variant, String(product.id), hash);
      return 'written';
    }
    // virtual and downloadable: a service, never stocked (Odoo then makes no delivery for it)
    const service = odooShapeOf(product.type_id).kind === 'service';
    const kind = service ? { type: 'service', is_storable: false } : { type: 'consu' };
    const vals = { ...templateValues(product, ctx.categories, ctx.rootCategory, ctx.kgPerUnit), default_code: product.sku, ...kind };
    const tags = setTagChange(ctx.setTags, product.attribute_set_id);
    // the own set's tag only: a new set elsewhere changes the commands, not this product
    const hash = contentHash({ ...vals, setTag: ctx.setTags.get(Number(product.attribute_set_id)) ?? false });
    const template = await templateFor(channel.code, odoo, product, [product.sku], () => createProductTemplate(odoo, { ...vals, is_storable: !service, sale_ok: true }, { tags }));
    const bound = await bindings.find(channel.code, KIND.template, String(product.id));
    if (template.created || ctx.full || bound?.contentHash !== hash) {
      if (!template.created) await updateProductTemplate(odoo, template.id, vals, tags);
      await bindings.setContentHash(channel.code, KIND.template, String(product.id), hash);
    } else {
      return 'unchanged';
    }
    const variant = await firstVariantOf(odoo, template.id);
    if (variant !== null && !service) await initialStock(ctx, product, variant);
    return 'written';
  }

  async function syncConfigurable(ctx: PageContext, product: Product): Promise<'written' | 'unchanged'> {
    const { channel, odoo, magento } = ctx;
    const options = product.extension_attributes?.configurable_product_options ?? [];
    if (options.length === 0) throw new CatalogRecordError(`Magento configurable "${product.sku}" (id ${product.id}): configurable_product_options is empty, so its children cannot become variants`);
    const children = await magento.catalog.configurableChildren(product.sku);
    const attributes: Array<{ code: string; odooId: number; values: Map<string, number> }> = [];
    for (const option of options) {
      const attribute = await ctx.attribute(option.attribute_id ?? '');
      if (!attribute) throw new CatalogRecordError(`Magento configurable "${product.sku}": super attribute ${option.attribute_id} does not exist`);
      attributes.push({ code: attribute.attribute_code, ...(await ensureAttribute(channel.code, odoo, attribute)) });
    }
    // Each child's variant, as Odoo value ids of the super attributes.
    const wanted = children.map((child) => {
      const valueIds = attributes.map((a) => a.values.get(String(customAttributeOf(child, a.code) ?? '')));
      if (valueIds.some((v) => v === undefined)) {
        throw new CatalogRecordError(`Magento configurable "${product.sku}": child "${child.sku}" has no value for super attribute ${attributes.map((a) => a.code).join('/')}`);
      }
      return { child, valueIds: valueIds as number[] };
    });
    const pricing = variantPricing(wanted.map((w) => ({ price: Number(w.child.price ?? 0), valueIds: w.valueIds })));
    const vals = { ...templateValues(product, ctx.categories, ctx.rootCategory, ctx.kgPerUnit), list_price: pricing.base };
    const lines = attributes.map((a, i) => ({ attribute: a.odooId, values: [...new Set(wanted.map((w) => w.valueIds[i]!))].sort((x, y) => x - y) }));
    const tags = setTagChange(ctx.setTags, product.attribute_set_id);
    const hash = contentHash({ vals, setTag: ctx.setTags.get(Number(product.attribute_set_id)) ?? false, lines, extras: [...pricing.extras], children: wanted.map((w) => [w.child.id, w.valueIds, variantValues(w.child, ctx.kgPerUnit)]) });
    const lineInputs: AttributeLineInput[] = lines.map((l) => ({ attributeId: l.attribute, valueIds: l.values }));
    const template = await templateFor(channel.code, odoo, product, children.map((c) => c.sku), () =>
      createProductTemplate(odoo, { ...vals, type: 'consu', is_storable: true, sale_ok: true }, { tags, attributeLines: lineInputs }));
    const bound = await bindings.find(channel.code, KIND.template, String(product.id));
    if (!template.created && !ctx.full && bound?.contentHash === hash) return 'unchanged';
    if (pricing.note) ctx.failed.push({ key: product.sku, reason: `Magento configurable "${product.sku}": ${pricing.note}` });

    if (!template.created) {
      await updateProductTemplate(odoo, template.id, vals, tags);
      // new options since the last sync: added to the lines, Odoo then makes their variants
      const current = await attributeLinesOf(odoo, template.id);
      const missingLines: AttributeLineInput[] = [];
      for (const line of lineInputs) {
        const have = current.find((c) => c.attributeId === line.attributeId);
        if (!have) missingLines.push(line);
        else {
          const extra = line.valueIds.filter((v) => !have.valueIds.includes(v));
          if (extra.length) await addValuesToAttributeLine(odoo, have.id, extra);
        }
      }
      if (missingLines.length) await addAttributeLines(odoo, template.id, missingLines);
    }

    const ptavs = await templateValueExtras(odoo, template.id);
    const valueOfPtav = new Map(ptavs.map((p) => [p.id, p.valueId]));
    for (const ptav of ptavs) {
      const extra = pricing.extras.get(ptav.valueId ?? -1) ?? 0;
      if (ptav.priceExtra !== extra) await setValuePriceExtra(odoo, ptav.id, extra);
    }
    const variants = await variantCombinationsOf(odoo, template.id);
    const used = new Set<number>();
    for (const { child, valueIds } of wanted) {
      const want = new Set(valueIds);
      const match = variants.find((v) => {
        const got = v.templateValueIds.map((id) => valueOfPtav.get(id));
        return got.length === want.size && got.every((g) => g !== null && g !== undefined && want.has(g));
      });
      if (!match) {
        ctx.failed.push({ key: child.sku, reason: `Magento configurable "${product.sku}": Odoo made no variant for child "${child.sku}"` });
        continue;
      }
      used.add(match.id);
      const childVals = variantValues(child, ctx.kgPerUnit);
      await updateVariants(odoo, [match.id], childVals);
      const existing = await bindings.find(channel.code, KIND.variant, String(child.id));
      if (!existing) await bindings.bind({ channel: channel.code, kind: KIND.variant, magentoKey: String(child.id), odooId: match.id, contentHash: contentHash(childVals) });
      else await bindings.setContentHash(channel.code, KIND.variant, String(child.id), contentHash(childVals));
      await initialStock(ctx, child, match.id);
    }
    // combinations Magento does not sell: archived, so nobody orders them in Odoo
    const unused = variants.filter((v) => !used.has(v.id) && v.active !== false).map((v) => v.id);
    if (unused.length) await archiveVariants(odoo, unused);
    await bindings.setContentHash(channel.code, KIND.template, String(product.id), hash);
    return 'written';
  }

  /** customer group id → the Odoo pricelist the reference sync (or ops) mapped it to */
  async function customerGroupPricelists(channel: string): Promise<Map<number, number>> {
    const rows = await mappings.list(channel, 'customer_group');
    return new Map(rows.filter((m) => m.odooId !== null).map((m) => [Number(m.magentoKey), m.odooId!]));
  }

  return {
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const { channel, magento, odoo } = deps.clientsFor(input.channel);
      const failed: RecordFailure[] = [];
      const categories = await syncCategories(channel.code, magento, odoo, failed, input.full);
      const setTags = await syncAttributeSetTags({ channel: channel.code, magento, odoo, bindings }, failed, input.full);
      // categories and sets are read on every page, reported on the first
      if (input.cursor !== null) failed.length = 0;
      const odooRoot = await rootProductCategory(odoo);
      const attributeCache = new Map<string, Promise<ProductAttribute | undefined>>();
      let location: Promise<number> | undefined;
      const ctx: PageContext = {
        channel, magento, odoo, failed, full: input.full, categories, setTags, rootCategory: odooRoot ?? false, kgPerUnit: 1,
        attribute: (id) => {
          if (!attributeCache.has(id)) attributeCache.set(id, magento.catalog.searchAttributes(SearchCriteria.empty().where('attribute_id', 'eq', id).withPageSize(1)).then((r) => r.items[0]));
          return attributeCache.get(id)!;
        },
        stockLocation: () => (location ??= warehouseStock(channel, odoo)),
      };
      const [kgPerUnit, pricelistOfGroup] = await Promise.all([storeKgPerUnit(channel, magento), customerGroupPricelists(channel.code)]);
      ctx.kgPerUnit = kgPerUnit;
      const page = await readMagentoCatalogPage(magento, input);
      let written = 0;
      let unchanged = 0;
      const skipped: RecordFailure[] = [];
      for (const product of page.items) {
        const shape = odooShapeOf(product.type_id);
        if (shape.kind === 'skip') {
          skipped.push({ key: product.sku, reason: `Magento ${product.type_id ?? 'untyped'} product "${product.sku}" skipped: ${shape.reason}` });
          continue;
        }
        try {
          let outcome = shape.kind === 'variants' ? await syncConfigurable(ctx, product) : await syncSimple(ctx, product);
          // a new image changes the product's updated_at but not its template values
          const template = channel.catalog.images ? await bindings.find(channel.code, KIND.template, String(product.id)) : null;
          if (template && (await pullProductImages({ channel: channel.code, magento, odoo, bindings }, product, template.odooId))) outcome = 'written';
          // tier and special prices: a simple product's on its template, a child's on its variant
          if (product.type_id !== 'configurable') {
            const variant = await bindings.find(channel.code, KIND.variant, String(product.id));
            const own = variant ? null : await bindings.find(channel.code, KIND.template, String(product.id));
            const target = variant ? ({ kind: 'variant', id: variant.odooId } as const) : own ? ({ kind: 'template', id: own.odooId } as const) : null;
            if (target && (await syncPriceRules({ channel: channel.code, odoo, bindings }, product, target, pricelistOfGroup, failed))) outcome = 'written';
          }
          if (outcome === 'written') written++;
          else unchanged++;
        } catch (err) {
          if (!(err instanceof CatalogRecordError) && !isRecordProblem(err)) throw err;
          failed.push({ key: product.sku, reason: reasonOf(err) });
        }
      }
      return { processed: page.items.length, written, unchanged, failed, skipped, nextCursor: page.next, watermark: page.watermark, ...(page.total !== undefined ? { total: page.total } : {}) };
    },
  };
}

interface PageContext {
  channel: ChannelConfig;
  magento: MagentoClient;
  odoo: OdooClient;
  failed: RecordFailure[];
  full: boolean;
  categories: Map<number, number>;
  /** attribute set id → its Odoo product.tag */
  setTags: Map<number, number>;
  rootCategory: number | false;
  /** kg per unit of the store's weight unit */
  kgPerUnit: number;
  attribute(id: string): Promise<ProductAttribute | undefined>;
  stockLocation(): Promise<number>;
}

/** A product Magento's data does not let us build (reported against the SKU; the run goes on). */
class CatalogRecordError extends Error {}

function variantValues(child: Product, kgPerUnit: number): Record<string, unknown> {
  return { default_code: child.sku, weight: weightInKg(child.weight, kgPerUnit), active: child.status !== MAGENTO_DISABLED };
}

/** the Magento quantity of a SKU where the channel reads stock (its MSI source, or the legacy stock item) */
async function magentoQuantity(channel: ChannelConfig, magento: MagentoClient, sku: string): Promise<number> {
  if (channel.inventory.target === 'msi') {
    const items = await magento.stock.searchSourceItems(SearchCriteria.empty().where('sku', 'eq', sku).where('source_code', 'eq', channel.inventory.sourceCode));
    return items.items.reduce((sum, i) => sum + Number(i.quantity ?? 0), 0);
  }
  return Number((await magento.stock.getStockItem(sku)).qty ?? 0);
}

async function warehouseStock(channel: ChannelConfig, odoo: OdooClient): Promise<number> {
  const id = await warehouseStockLocation(odoo, channel.inventory.warehouse);
  if (id === null) throw new Error(`channel "${channel.code}": Odoo has no warehouse with code "${channel.inventory.warehouse}" (inventory.warehouse) for the initial stock`);
  return id;
}

/** mark: the newest updated_at when the run began, the run's watermark once it is through */
interface Cursor { phase: 'configurable' | 'simple'; updatedAt: string | null; id: number; mark: string | null }

/**
 * One page of changed products: configurables first, then simples, each keyset-paged on
 * (updated_at, entity_id) as the customers stream does (Magento filter groups cannot say
 * "(updated_at = t AND id > n) OR updated_at > t", so that is two searches). The watermark is
 * only given at the very end, and is the newest updated_at Magento had when the run began:
 * everything stamped up to then was read by one phase or the other, whatever changed meanwhile
 * is stamped later and read by the next run.
 */
async function readMagentoCatalogPage(magento: MagentoClient, input: SyncPageInput): Promise<{ items: Product[]; next: string | null; watermark: string | null; total?: number }> {
  if (input.keys) {
    // the real-time path: these SKUs, whatever their updated_at
    if (input.keys.length === 0) return { items: [], next: null, watermark: null };
    const page = await magento.catalog.searchProducts(SearchCriteria.empty().where('sku', 'in', input.keys).withPageSize(input.keys.length).withPage(1));
    const items = [...page.items].sort((a, b) => Number(b.type_id === 'configurable') - Number(a.type_id === 'configurable'));
    return { items, next: null, watermark: null };
  }
  let cursor: Cursor;
  if (input.cursor) cursor = JSON.parse(input.cursor) as Cursor;
  else {
    const newest = await magento.catalog.searchProducts(SearchCriteria.empty().orderBy('updated_at', 'DESC').withPageSize(1).withPage(1));
    cursor = { phase: 'configurable', updatedAt: null, id: 0, mark: newest.items[0]?.updated_at ?? null };
  }
  const base = () => {
    // the second phase reads every other type, so grouped and bundle products get their report
    const c = SearchCriteria.empty().where('type_id', cursor.phase === 'configurable' ? 'eq' : 'neq', 'configurable');
    return input.since ? c.where('updated_at', 'gteq', input.since) : c;
  };
  const sorted = (c: SearchCriteria, size: number) => c.orderBy('updated_at', 'ASC').orderBy('entity_id', 'ASC').withPageSize(size).withPage(1);
  let items: Product[];
  let total: number | undefined;
  if (cursor.updatedAt === null) {
    const page = await magento.catalog.searchProducts(sorted(base(), input.pageSize));
    items = page.items;
    if (cursor.phase === 'configurable' && input.cursor === null) total = page.total_count ?? undefined;
  } else {
    const same = await magento.catalog.searchProducts(sorted(base().where('updated_at', 'eq', cursor.updatedAt).where('entity_id', 'gt', cursor.id), input.pageSize));
    items = [...same.items];
    if (items.length < input.pageSize) {
      const after = await magento.catalog.searchProducts(sorted(base().where('updated_at', 'gt', cursor.updatedAt), input.pageSize - items.length));
      items.push(...after.items);
    }
  }
  const last = items[items.length - 1];
  if (items.length === input.pageSize && last) {
    return { items, next: JSON.stringify({ ...cursor, updatedAt: last.updated_at ?? null, id: last.id ?? 0 } satisfies Cursor), watermark: null, ...(total !== undefined ? { total } : {}) };
  }
  if (cursor.phase === 'configurable') return { items, next: JSON.stringify({ ...cursor, phase: 'simple', updatedAt: null, id: 0 } satisfies Cursor), watermark: null, ...(total !== undefined ? { total } : {}) };
  return { items, next: null, watermark: cursor.mark };
}

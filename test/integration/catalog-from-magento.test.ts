import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../activities/orders/channel-clients';
import { createCatalogStream } from '../../activities/sync/catalog';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// catalog.master: magento against both sandboxes over HTTP and a real PostgreSQL: a fresh Odoo
// gets Magento's category tree, variant attributes, simple and configurable products (children
// as variants), prices, descriptions, weights and status; paged, resumable, changed-only, bound
// (a rename is an update); the Magento stock enters Odoo once, as a counted inventory (draft).

const WORLD = { simpleProducts: 9, configurableProducts: 3 };

describe('catalog with Magento as master', { timeout: 120_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let odoo: OdooClient;
  let stream: SyncStream;
  const channel = 'mcat';
  const run = (options: { since?: string | null; full?: boolean } = {}) => runAllPages(stream, { channel, pageSize: 4, ...options });
  const templates = () => odoo.searchRead('product.template', [['type', '=', 'consu']], { fields: ['name', 'list_price', 'weight', 'active', 'categ_id', 'description', 'product_variant_count'], context: { active_test: false } });
  const variantOf = async (sku: string) => {
    const [v] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['product_tmpl_id', 'lst_price', 'weight', 'active'], context: { active_test: false } });
    assert.ok(v, `an Odoo variant with SKU ${sku}`);
    return v;
  };
  const magento = () => stack.magento.state;

  before(async () => {
    [stack, db] = await Promise.all([
      startDemoStack({ code: channel, magento: { world: WORLD }, odoo: { seed: 'fresh' }, channel: { catalog: { master: 'magento', initialStock: 'draft' } } }),
      createScratchDatabase(),
    ]);
    odoo = new OdooClient(stack.channel.odoo);
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    stream = createCatalogStream(deps);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  let watermark: string | null = null;
  test('first run: categories, attributes, simple and configurable products with their variants, prices, descriptions, weight, status, stock counted in draft', async () => {
    const result = await run();
    assert.deepEqual(result.failed, []);
    const products = magento().products;
    const configurables = products.filter((p) => p.type_id === 'configurable');
    const childIds = new Set(configurables.flatMap((p) => ((p.extension_attributes as { configurable_product_links?: number[] }).configurable_product_links ?? [])));
    const standalone = products.filter((p) => p.type_id === 'simple' && !childIds.has(p.id as number));
    assert.equal(result.processed, products.length, 'every Magento product read once');

    const made = await templates();
    assert.equal(made.length, standalone.length + configurables.length, 'one template per simple product and per configurable');
    for (const parent of configurables) {
      const children = products.filter((p) => childIds.has(p.id as number) && ((parent.extension_attributes as { configurable_product_links: number[] }).configurable_product_links).includes(p.id as number));
      const templateIds = new Set<number>();
      for (const child of children) {
        const v = await variantOf(child.sku as string);
        templateIds.add((v.product_tmpl_id as [number, string])[0]);
        assert.equal(Number(v.lst_price).toFixed(2), Number(child.price).toFixed(2), `variant ${child.sku} priced as its Magento child`);
        assert.equal(v.weight, child.weight);
      }
      assert.equal(templateIds.size, 1, `the children of ${parent.sku} are variants of one template`);
      const tmpl = made.find((t) => t.id === [...templateIds][0])!;
      assert.equal(tmpl.name, parent.name);
    }
    for (const simple of standalone) {
      const v = await variantOf(simple.sku as string);
      const tmpl = made.find((t) => t.id === (v.product_tmpl_id as [number, string])[0])!;
      assert.equal(Number(tmpl.list_price).toFixed(2), Number(simple.price).toFixed(2));
      assert.equal(tmpl.weight, simple.weight);
      assert.equal(tmpl.active, simple.status === 1, `${simple.sku}: status → active`);
      const description = (simple.custom_attributes as Array<{ attribute_code: string; value: unknown }>).find((a) => a.attribute_code === 'description')?.value;
      assert.equal(tmpl.description, description);
    }
    // the category tree: every Magento category under the root, with its parent
    const magentoCategories = magento().categories.filter((c) => c.level >= 2);
    for (const cat of magentoCategories) {
      const [row] = await odoo.searchRead('product.category', [['name', '=', cat.name]], { fields: ['parent_id'] });
      assert.ok(row, `Odoo category ${cat.name}`);
      const parentName = magento().categories.find((c) => c.id === cat.parent_id)?.name;
      if (cat.level > 2) assert.equal((row.parent_id as [number, string])[1].split(' / ').pop(), parentName);
    }
    // stock: counted (inventory_quantity), not applied (quantity 0), for each SKU with stock
    const withStock = magento().sourceItems.filter((s) => s.quantity > 0);
    assert.ok(withStock.length > 0);
    for (const item of withStock) {
      const v = await variantOf(item.sku);
      const quants = await odoo.searchRead('stock.quant', [['product_id', '=', v.id], ['location_id', '=', 8]], { fields: ['quantity', 'inventory_quantity', 'inventory_quantity_set'] });
      assert.deepEqual(quants.map((q) => [q.quantity, q.inventory_quantity]), [[0, item.quantity]], `${item.sku}: counted ${item.quantity}, left in draft`);
    }
    watermark = result.watermark;
    assert.ok(watermark);
  });

  test('a second run from the watermark writes nothing; a full run rewrites nothing that is unchanged and adds no stock', async () => {
    const creates = () => stack.odoo.counters.get('product.template.create') + stack.odoo.counters.get('stock.quant.create');
    const writes = () => stack.odoo.counters.get('product.template.write') + stack.odoo.counters.get('product.product.write');
    const [c0, w0] = [creates(), writes()];
    const again = await run({ since: watermark });
    assert.equal(again.written, 0);
    assert.equal(creates(), c0);
    assert.equal(writes(), w0);
    const full = await run({ since: null });
    assert.equal(full.written, 0, 'hashes: unchanged products cost no write');
    assert.equal(creates(), c0, 'no second template, no second stock adjustment');
  });

  test('a product renamed in Magento (name and SKU) updates its template, never a second one; its stock is not counted again', async () => {
    const simple = magento().products.find((p) => p.type_id === 'simple' && p.visibility === 4)!;
    const before = await variantOf(simple.sku as string);
    const count = (await templates()).length;
    simple.name = `${simple.name} (renamed)`;
    simple.sku = `${simple.sku}-NEW`;
    simple.price = Number(simple.price) + 1.25;
    simple.updated_at = '2099-01-01 00:00:00';
    const source = magento().sourceItems.find((s) => `${s.sku}-NEW` === simple.sku);
    if (source) { source.sku = simple.sku as string; source.quantity += 40; }
    const result = await run({ since: watermark });
    assert.equal(result.written, 1);
    const after = await variantOf(simple.sku as string);
    assert.equal(after.id, before.id, 'the same Odoo product');
    assert.equal((await templates()).length, count);
    const [tmpl] = await odoo.read('product.template', [(after.product_tmpl_id as [number, string])[0]], ['name', 'list_price']);
    assert.deepEqual([tmpl?.name, Number(tmpl?.list_price).toFixed(2)], [simple.name, Number(simple.price).toFixed(2)]);
    const quants = await odoo.searchRead('stock.quant', [['product_id', '=', after.id]], { fields: ['inventory_quantity'] });
    assert.ok(quants.every((q) => q.inventory_quantity !== (source?.quantity ?? -1)), 'Odoo stays the stock master after the first count');
  });
});

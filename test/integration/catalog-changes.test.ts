import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { createCatalogStream } from '../../activities/sync/catalog';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type ChannelConfig, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createRecords, writeRecords } from '../../sandbox/odoo/orm';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// Catalog changes after the first sync, against both sandboxes over HTTP and a real PostgreSQL:
// categories moved in Odoo move in Magento; an Odoo attribute Magento lacks is created (or, where
// the channel says not to, reported). Assertions are on the sandboxes' counters and state.

const WORLD = { simpleProducts: 12, configurableProducts: 4 };

const runAll = (stream: SyncStream, channel: string) => runAllPages(stream, { channel });

describe('catalog changes: category moves and missing attributes', { timeout: 120_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let odoo: OdooClient;
  let bindings: BindingStore;
  const channel = 'cat';

  function streamFor(overrides: Partial<ChannelConfig> = {}): { stream: SyncStream; code: string } {
    const config: Config = ConfigSchema.parse({ channels: [] });
    const ch = { ...stack.channel, ...overrides };
    config.channels.push(ch);
    const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings };
    return { stream: createCatalogStream(deps), code: ch.code };
  }
  const magentoCategory = (name: string) => {
    const found = stack.magento.state.categories.find((c) => c.name === name);
    assert.ok(found, `Magento category ${name}`);
    return found;
  };
  const odooCategory = async (name: string): Promise<number> => {
    const [row] = await odoo.searchRead('product.category', [['name', '=', name]], { fields: ['id'] });
    assert.ok(row, `Odoo category ${name}`);
    return row.id;
  };

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: channel, magento: { world: WORLD }, odoo: { demo: WORLD } }), createScratchDatabase()]);
    odoo = new OdooClient(stack.channel.odoo);
    bindings = createBindingStore(db.pool);
    // Magento starts without the catalog and without the "size" attribute Odoo's variants use.
    const state = stack.magento.state;
    state.products = [];
    state.sourceItems = [];
    state.attributes = state.attributes.filter((a) => a.attribute_code !== 'size');
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('a channel that does not create attributes reports the configurables that need one, and syncs the rest', async () => {
    const { stream } = streamFor({ code: 'cat-nocreate', catalog: { createAttributes: false, attributeSetId: 4 } });
    const run = await stream.syncPage({ channel: 'cat-nocreate', stream: 'catalog', cursor: null, since: null, full: false, pageSize: 100 });
    assert.equal(stack.magento.counters.get('POST /V1/products/attributes'), 0);
    assert.equal(run.failed.length, WORLD.configurableProducts, 'each configurable is reported');
    for (const f of run.failed) assert.match(f.reason, /Magento has no attribute "size" for Odoo attribute "Size".*catalog\.createAttributes/);
    assert.ok(run.written >= WORLD.simpleProducts, 'simple products still sync');
  });

  test('a missing attribute is created once, put in the attribute set, and the configurables land with it', async () => {
    stack.magento.counters.reset();
    const { stream, code } = streamFor();
    const run = await runAll(stream, code);
    assert.deepEqual(run.failed, []);
    assert.equal(stack.magento.counters.get('POST /V1/products/attributes'), 1);
    assert.equal(stack.magento.counters.get('POST /V1/products/attribute-sets/attributes'), 1);
    const size = stack.magento.state.attributes.find((a) => a.attribute_code === 'size');
    assert.ok(size, 'Magento now has "size"');
    assert.equal(size.frontend_input, 'select');
    assert.ok(stack.magento.state.entityAttributes.some((e) => e.attribute_id === size.attribute_id && e.attribute_set_id === 4), 'in the Default attribute set');
    assert.deepEqual(size.options.filter((o) => o.value !== '').map((o) => o.label).sort(), ['L', 'M', 'S', 'XL']);
    const configurables = stack.magento.state.products.filter((p) => p.type_id === 'configurable');
    assert.equal(configurables.length, WORLD.configurableProducts);
    for (const parent of configurables) {
      const options = (parent.extension_attributes as { configurable_product_options?: Array<{ attribute_id: string }> }).configurable_product_options ?? [];
      assert.ok(options.some((o) => Number(o.attribute_id) === size.attribute_id), `${String(parent.sku)} varies on size`);
    }

    stack.magento.counters.reset();
    const again = await runAll(stream, code);
    assert.equal(again.written, 0);
    assert.equal(stack.magento.counters.get('POST /V1/products/attributes'), 0, 'created once');
  });

  test('an attribute value renamed in Odoo relabels the same Magento option; the products keep it', async () => {
    const { stream, code } = streamFor();
    await runAll(stream, code);
    const [blue] = await odoo.searchRead('product.attribute.value', [['name', '=', 'Blue']], { fields: ['id'] });
    const color = () => stack.magento.state.attributes.find((a) => a.attribute_code === 'color')!;
    const blueId = color().options.find((o) => o.label === 'Blue')!.value;
    const usingBlue = stack.magento.state.products.filter((p) => (p.custom_attributes as Array<{ attribute_code: string; value: unknown }>).some((a) => a.attribute_code === 'color' && String(a.value) === blueId)).length;
    assert.ok(usingBlue > 0, 'some variants are blue');

    // a merchant's edit in Odoo (the connector itself never writes attribute values)
    writeRecords(stack.odoo.state.env(), 'product.attribute.value', [blue!.id], { name: 'Navy' });
    stack.magento.counters.reset();
    const run = await runAll(stream, code);
    assert.deepEqual(run.failed, []);
    assert.equal(stack.magento.counters.get('PUT /V1/products/attributes/:attributeCode/options/:optionId'), 1);
    assert.equal(stack.magento.counters.get('POST /V1/products/attributes/:attributeCode/options'), 0, 'no new option');
    assert.equal(color().options.find((o) => o.value === blueId)?.label, 'Navy', 'the same option, relabelled');
    assert.ok(!color().options.some((o) => o.label === 'Blue'));
    const stillUsing = stack.magento.state.products.filter((p) => (p.custom_attributes as Array<{ attribute_code: string; value: unknown }>).some((a) => a.attribute_code === 'color' && String(a.value) === blueId)).length;
    assert.equal(stillUsing, usingBlue, 'every variant that was Blue is Navy, on the same option');

    stack.magento.counters.reset();
    await runAll(stream, code);
    assert.equal(stack.magento.counters.get('PUT /V1/products/attributes/:attributeCode/options/:optionId'), 0, 'once');
  });

  test('two syncs of the structure at once (a webhook and a bulk page) add a new option and a new category once', async () => {
    const { stream, code } = streamFor();
    const [color] = await odoo.searchRead('product.attribute', [['name', '=', 'Color']], { fields: ['id'] });
    createRecords(stack.odoo.state.env(), 'product.attribute.value', [{ name: 'Purple', attribute_id: color!.id }]);
    const [all] = await odoo.searchRead('product.category', [['parent_id', '=', false]], { fields: ['id'] });
    await odoo.create('product.category', [{ name: 'Sale', parent_id: all!.id }]);
    stack.magento.counters.reset();
    const structure = () => stream.syncPage({ channel: code, stream: 'catalog', cursor: null, since: null, full: false, pageSize: 1, keys: [] });
    const runs = await Promise.all([structure(), structure()]);
    assert.deepEqual(runs.flatMap((r) => r.failed), []);
    assert.equal(stack.magento.counters.get('POST /V1/products/attributes/:attributeCode/options'), 1);
    assert.equal(stack.magento.state.attributes.find((a) => a.attribute_code === 'color')!.options.filter((o) => o.label === 'Purple').length, 1);
    assert.equal(stack.magento.counters.get('POST /V1/categories'), 1);
    assert.equal(stack.magento.state.categories.filter((c) => c.name === 'Sale').length, 1, 'not two "Sale" categories');
  });

  test('a category moved in Odoo moves in Magento, once; a swap of parent and child works too', async () => {
    const { stream, code } = streamFor();
    await runAll(stream, code);
    const [bags, gear, apparel] = await Promise.all([odooCategory('Bags'), odooCategory('Gear'), odooCategory('Apparel')]);

    // Bags: Gear → Apparel
    await odoo.write('product.category', [bags], { parent_id: apparel });
    stack.magento.counters.reset();
    const moved = await runAll(stream, code);
    assert.deepEqual(moved.failed, []);
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:categoryId/move'), 1);
    assert.equal(magentoCategory('Bags').parent_id, magentoCategory('Apparel').id);
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:id'), 0, 'a move is not a rename');

    stack.magento.counters.reset();
    await runAll(stream, code);
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:categoryId/move'), 0, 'nothing moves twice');

    // Swap: Apparel goes under Tops, which was its child. Magento refuses a move under a
    // descendant, so Tops must leave Apparel's subtree first: parents are synced before children.
    const tops = await odooCategory('Tops');
    const [all] = await odoo.searchRead('product.category', [['parent_id', '=', false]], { fields: ['id'] });
    await odoo.write('product.category', [tops], { parent_id: all!.id });
    await odoo.write('product.category', [apparel], { parent_id: tops });
    // and a rename in the same run
    await odoo.write('product.category', [gear], { name: 'Outdoor Gear' });
    const gearMagentoId = magentoCategory('Gear').id;
    stack.magento.counters.reset();
    const swapped = await runAll(stream, code);
    assert.deepEqual(swapped.failed, []);
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:categoryId/move'), 2);
    assert.equal(magentoCategory('Tops').parent_id, 2, 'Tops is top level (under the store root)');
    assert.equal(magentoCategory('Apparel').parent_id, magentoCategory('Tops').id);
    assert.ok(magentoCategory('Bags').path.startsWith(`${magentoCategory('Apparel').path}/`), 'the subtree moved along');
    assert.equal(magentoCategory('Outdoor Gear').id, gearMagentoId, 'renamed in place');
    assert.equal(stack.magento.counters.get('POST /V1/categories'), 0, 'moved and renamed, never re-created');

    // Someone moves a category in the Magento admin: an incremental run leaves it (Odoo did not
    // change); a --full run puts it back where Odoo has it.
    const bagsInMagento = magentoCategory('Bags');
    bagsInMagento.parent_id = 2;
    stack.magento.counters.reset();
    await runAll(stream, code);
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:categoryId/move'), 0);
    await stream.syncPage({ channel: code, stream: 'catalog', cursor: null, since: null, full: true, pageSize: 10_000 });
    assert.equal(stack.magento.counters.get('PUT /V1/categories/:categoryId/move'), 1);
    assert.equal(magentoCategory('Bags').parent_id, magentoCategory('Apparel').id);
  });
});

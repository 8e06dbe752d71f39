import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { createCatalogStream } from '../../activities/sync/catalog';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// The main product image both ways (catalog.images), against both sandboxes over HTTP and a real
// PostgreSQL: Odoo's image becomes the Magento gallery entry with the main roles, Magento's main
// entry becomes Odoo's image, and nothing is written again while the bytes stay the same.

const WORLD = { simpleProducts: 3, configurableProducts: 1 };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (fill: string) => Buffer.concat([PNG, Buffer.from(fill.repeat(32))]);

describe('product images both ways', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  const stacks: DemoStack[] = [];
  async function start(code: string, catalog: Record<string, unknown>, odooSeed: 'demo' | 'fresh') {
    const stack = await startDemoStack({ code, magento: { world: WORLD }, odoo: odooSeed === 'fresh' ? { seed: 'fresh' } : { demo: WORLD }, channel: { catalog } });
    stacks.push(stack);
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    const stream: SyncStream = createCatalogStream(deps);
    return { stack, stream, odoo: new OdooClient(stack.channel.odoo), magento: new MagentoClient(stack.channel.magento), run: () => runAllPages(stream, { channel: code, pageSize: 10 }) };
  }
  before(async () => {
    db = await createScratchDatabase();
  });
  after(async () => {
    for (const s of stacks) await s.stop();
    await db?.drop();
  });

  test('Odoo master: the Odoo image becomes the main Magento image (image, small_image, thumbnail), replaced when the bytes change, removed with it', async () => {
    const { stack, odoo, magento, run } = await start('img-odoo', { images: true }, 'demo');
    await run();
    const [tmpl] = await odoo.searchRead('product.template', [['default_code', '=', 'GEAR-0001']], { fields: ['id'] });
    const posts = () => stack.magento.counters.get('POST /V1/products/:sku/media');
    assert.equal(posts(), 0, 'no image in Odoo, none pushed');

    await odoo.write('product.template', [tmpl!.id], { image_1920: png('A').toString('base64') });
    const first = await run();
    assert.deepEqual(first.failed, []);
    let entries = await magento.media.list('GEAR-0001');
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]!.types, ['image', 'small_image', 'thumbnail']);
    assert.ok((await magento.media.download(entries[0]!.file!)).equals(png('A')), 'the bytes Odoo has');
    assert.equal(posts(), 1);

    // the same bytes written again (write_date moves): nothing is sent
    await odoo.write('product.template', [tmpl!.id], { image_1920: png('A').toString('base64') });
    await run();
    assert.equal(posts(), 1, 'unchanged bytes are not pushed again');

    await odoo.write('product.template', [tmpl!.id], { image_1920: png('B').toString('base64') });
    await run();
    entries = await magento.media.list('GEAR-0001');
    assert.equal(entries.length, 1, 'the old entry replaced, not kept beside the new one');
    assert.ok((await magento.media.download(entries[0]!.file!)).equals(png('B')));
    assert.equal(posts(), 2);

    await odoo.write('product.template', [tmpl!.id], { image_1920: false });
    await run();
    assert.deepEqual(await magento.media.list('GEAR-0001'), []);
  });

  test('Odoo master: a variant with an image of its own puts it on its child SKU; one with its template\'s bytes or none gets nothing', async () => {
    const { stack, stream, odoo, magento, run } = await start('img-var', { images: true }, 'demo');
    await run();
    const [tmpl] = await odoo.searchRead('product.template', [['attribute_line_ids', '!=', false]], { fields: ['id'], limit: 1 });
    const variants = await odoo.searchRead('product.product', [['product_tmpl_id', '=', tmpl!.id]], { fields: ['default_code'], order: 'id asc' });
    assert.ok(variants.length >= 3, `the demo configurable has ${variants.length} variants`);
    const [own, copy, none] = variants as [(typeof variants)[0], (typeof variants)[0], (typeof variants)[0]];
    const parentSku = stack.magento.state.products.find((p) => p.type_id === 'configurable')!.sku as string;
    await odoo.write('product.template', [tmpl!.id], { image_1920: png('P').toString('base64') });
    await odoo.write('product.product', [own.id], { image_variant_1920: png('V').toString('base64') });
    await odoo.write('product.product', [copy.id], { image_variant_1920: png('P').toString('base64') });
    const posts = () => stack.magento.counters.get('POST /V1/products/:sku/media');
    const before = posts();

    const first = await run();
    assert.deepEqual(first.failed, []);
    const parent = await magento.media.list(parentSku);
    assert.equal(parent.length, 1);
    assert.ok((await magento.media.download(parent[0]!.file!)).equals(png('P')), 'the template image on the parent');
    const child = await magento.media.list(String(own.default_code));
    assert.equal(child.length, 1, 'the variant image on its child');
    assert.deepEqual(child[0]!.types, ['image', 'small_image', 'thumbnail']);
    assert.ok((await magento.media.download(child[0]!.file!)).equals(png('V')));
    assert.deepEqual(await magento.media.list(String(copy.default_code)), [], 'the template\'s bytes are no image of its own');
    assert.deepEqual(await magento.media.list(String(none.default_code)), []);
    assert.equal(posts() - before, 2, 'parent and one child');

    await odoo.write('product.product', [own.id], { image_variant_1920: png('V').toString('base64') });
    await run();
    assert.equal(posts() - before, 2, 'unchanged bytes: nothing sent again');

    // a scheduled run starts from the watermark (the templates' write_date): a variant's own
    // image moves only the variant's, and is still found
    // (a settled watermark past every template: the run re-reads no template at all)
    const [latest] = await odoo.searchRead('product.template', [], { fields: ['write_date'], order: 'write_date desc', limit: 1 });
    const mark = `${String(latest!.write_date)}|999999`;
    const templateWrites = () => stack.odoo.counters.get('product.template.write');
    const tw = templateWrites();
    await odoo.write('product.product', [own.id], { image_variant_1920: png('W').toString('base64') });
    assert.equal(templateWrites(), tw);
    const scheduled = await runAllPages(stream, { channel: 'img-var', pageSize: 10, since: mark });
    assert.deepEqual(scheduled.failed, []);
    const rewritten = await magento.media.list(String(own.default_code));
    assert.equal(rewritten.length, 1);
    assert.ok((await magento.media.download(rewritten[0]!.file!)).equals(png('W')), 'the new variant image, on a run from the watermark');

    await odoo.write('product.product', [own.id], { image_variant_1920: false });
    await run();
    assert.deepEqual(await magento.media.list(String(own.default_code)), [], 'the variant lost its image: the child loses the entry made for it');
    assert.equal((await magento.media.list(parentSku)).length, 1, 'the parent keeps its own');
  });

  test('Magento master: the main gallery entry becomes the Odoo image; read again only when its file changes, written only when its bytes do', async () => {
    const { stack, odoo, magento, run } = await start('img-mag', { master: 'magento', images: true }, 'fresh');
    await magento.media.create('GEAR-0002', { label: 'front', position: 1, types: ['image', 'small_image', 'thumbnail'], base64: png('C').toString('base64'), mimeType: 'image/png', fileName: 'gear-0002.png' });
    await magento.media.create('GEAR-0002', { label: 'side', position: 2, types: [], base64: png('D').toString('base64'), mimeType: 'image/png', fileName: 'gear-0002-side.png' });
    const result = await run();
    assert.deepEqual(result.failed, []);
    const image = async () => {
      const [v] = await odoo.searchRead('product.product', [['default_code', '=', 'GEAR-0002']], { fields: ['product_tmpl_id'] });
      const [t] = await odoo.read('product.template', [(v!.product_tmpl_id as [number, string])[0]], ['image_1920']);
      return t?.image_1920;
    };
    assert.equal(await image(), png('C').toString('base64'), 'the entry with the role "image", not the other one');
    const writes = () => stack.odoo.counters.get('product.template.write');
    const w0 = writes();
    await run();
    assert.equal(writes(), w0, 'nothing written while the file is the same');

    // a new main image with the same bytes under a new file name: read, not written
    const entries = await magento.media.list('GEAR-0002');
    await magento.media.remove('GEAR-0002', entries.find((e) => e.types?.includes('image'))!.id);
    await magento.media.create('GEAR-0002', { label: 'front', position: 1, types: ['image'], base64: png('C').toString('base64'), mimeType: 'image/png', fileName: 'gear-0002.png' });
    await run();
    assert.equal(writes(), w0, 'same bytes, no write');
    await magento.media.create('GEAR-0002', { label: 'new', position: 1, types: ['image'], base64: png('E').toString('base64'), mimeType: 'image/png', fileName: 'gear-0002-new.png' });
    await run();
    assert.equal(await image(), png('E').toString('base64'));
    assert.equal(writes(), w0 + 1);
  });
});

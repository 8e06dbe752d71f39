import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { EXTRA_IMAGES_UNAVAILABLE } from '../../activities/sync/product-extra-images';
import { createStreamRegistry, type StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import type { OptionalModule } from '../../sandbox/odoo/server';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// A template's extra images (Odoo's product.image, from the eCommerce app website_sale) both ways
// (catalog.images), against both sandboxes over HTTP and a real PostgreSQL, through the catalog
// stream the worker runs: gallery entries without roles in Odoo's order, written only when the
// bytes change, removed with their image, and the admin's / Odoo user's own images left alone.
// Without website_sale a run says once that extra images are not synced and fails nothing.

const WORLD = { simpleProducts: 3, configurableProducts: 1 };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (fill: string) => Buffer.concat([PNG, Buffer.from(fill.repeat(32))]);
const b64 = (fill: string) => png(fill).toString('base64');
const MEDIA_WRITES = ['POST /V1/products/:sku/media', 'PUT /V1/products/:sku/media/:entryId', 'DELETE /V1/products/:sku/media/:entryId'];
const IMAGE_WRITES = ['product.image.create', 'product.image.write', 'product.image.unlink'];

describe('product extra images both ways', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  const stacks: DemoStack[] = [];
  async function start(
    code: string,
    catalog: Record<string, unknown>,
    options: { seed: 'demo' | 'fresh'; modules: OptionalModule[]; flavour: 'jsonrpc' | 'json2' },
  ) {
    const odooOptions = options.seed === 'fresh' ? { seed: 'fresh' as const, modules: options.modules } : { demo: WORLD, modules: options.modules };
    const stack = await startDemoStack({ code, flavour: options.flavour, magento: { world: WORLD }, odoo: odooOptions, channel: { catalog } });
    stacks.push(stack);
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    // the registry's stream, as the worker builds it (with the run's note)
    const stream: SyncStream = createStreamRegistry(deps).get('catalog')!;
    const count = (keys: string[], of: { get(key: string): number }) => keys.reduce((n, k) => n + of.get(k), 0);
    return {
      stack,
      odoo: new OdooClient(stack.channel.odoo),
      magento: new MagentoClient(stack.channel.magento),
      run: (pageSize = 10) => runAllPages(stream, { channel: code, pageSize }),
      mediaWrites: () => count(MEDIA_WRITES, stack.magento.counters),
      imageWrites: () => count(IMAGE_WRITES, stack.odoo.counters),
    };
  }
  before(async () => {
    db = await createScratchDatabase();
  });
  after(async () => {
    for (const s of stacks) await s.stop();
    await db?.drop();
  });

  test('Odoo master (19, JSON-2): extra images become gallery entries without roles in sequence order; unchanged writes nothing, new bytes replace, a new order moves, removed removes; admin entries and the main image stay', async () => {
    const { stack, odoo, magento, run, mediaWrites } = await start('xi-odoo', { images: true }, { seed: 'demo', modules: ['website_sale'], flavour: 'json2' });
    await run();
    const [tmpl] = await odoo.searchRead('product.template', [['default_code', '=', 'GEAR-0001']], { fields: ['id'] });
    const tmplId = tmpl!.id;
    await odoo.write('product.template', [tmplId], { image_1920: b64('M') });
    const [back, side] = await odoo.create('product.image', [
      { product_tmpl_id: tmplId, name: 'back', sequence: 20, image_1920: b64('B') },
      { product_tmpl_id: tmplId, name: 'side', sequence: 10, image_1920: b64('S') },
    ]);
    const posts = () => stack.magento.counters.get('POST /V1/products/:sku/media');
    const p0 = posts();

    const first = await run();
    assert.deepEqual(first.failed, []);
    assert.equal(first.notes, undefined, 'the model is there: nothing to say');
    const list = async () => (await magento.media.list('GEAR-0001')).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    let entries = await list();
    assert.deepEqual(
      entries.map((e) => [e.position, e.types]),
      [
        [1, ['image', 'small_image', 'thumbnail']],
        [2, []],
        [3, []],
      ],
    );
    assert.deepEqual(
      entries.slice(1).map((e) => e.label),
      ['side', 'back'],
      'labelled with the image names, in sequence order',
    );
    assert.ok((await magento.media.download(entries[1]!.file!)).equals(png('S')));
    assert.ok((await magento.media.download(entries[2]!.file!)).equals(png('B')));
    assert.equal(posts() - p0, 3, 'the main image and two extra ones');

    // a second run, and one after the same bytes are written again: nothing is sent
    let w = mediaWrites();
    await run();
    await odoo.write('product.image', [side!], { image_1920: b64('S') });
    const again = await run();
    assert.deepEqual(again.failed, []);
    assert.equal(mediaWrites(), w, 'unchanged bytes: no gallery write');

    // an entry the Magento admin adds stays through everything below
    await magento.media.create('GEAR-0001', { label: 'admin', position: 9, types: [], base64: b64('A'), mimeType: 'image/png', fileName: 'admin.png' });
    w = mediaWrites();
    await odoo.write('product.image', [side!], { image_1920: b64('T') });
    await run();
    entries = await list();
    assert.deepEqual(
      entries.map((e) => e.label),
      [entries[0]!.label, 'side', 'back', 'admin'],
    );
    assert.ok((await magento.media.download(entries[1]!.file!)).equals(png('T')), 'the new bytes');
    assert.equal(mediaWrites() - w, 2, 'the old entry removed, the new one made');
    assert.deepEqual(entries[0]!.types, ['image', 'small_image', 'thumbnail'], 'the main image keeps its roles');

    // a new order in Odoo moves the entries in place: no bytes sent
    const p1 = posts();
    await odoo.write('product.image', [back!], { sequence: 5 });
    await run();
    entries = await list();
    assert.deepEqual(
      entries.map((e) => [e.label, e.position]),
      [
        [entries[0]!.label, 1],
        ['back', 2],
        ['side', 3],
        ['admin', 9],
      ],
    );
    assert.equal(posts(), p1, 'moved, not uploaded again');

    await odoo.call('product.image', 'unlink', { ids: [back!] });
    await run();
    entries = await list();
    assert.deepEqual(
      entries.map((e) => e.label),
      [entries[0]!.label, 'side', 'admin'],
      "the entry made for the removed image is gone; the admin's stays",
    );
    assert.ok((await magento.media.download(entries[0]!.file!)).equals(png('M')), 'the main image untouched');
    assert.deepEqual(entries[0]!.types, ['image', 'small_image', 'thumbnail']);
  });

  test("Magento master (18, JSON-RPC): gallery images but the main one become product.image records; unchanged writes nothing, a new file replaces, removed removes; the Odoo user's own records and the main image stay", async () => {
    const { odoo, magento, run, imageWrites } = await start(
      'xi-mag',
      { master: 'magento', images: true },
      { seed: 'fresh', modules: ['website_sale'], flavour: 'jsonrpc' },
    );
    const add = (label: string, position: number, fill: string, fileName: string, types: string[] = []) =>
      magento.media.create('GEAR-0002', { label, position, types, base64: b64(fill), mimeType: 'image/png', fileName });
    await add('front', 1, 'C', 'gear-0002.png', ['image', 'small_image', 'thumbnail']);
    await add('side', 2, 'D', 'gear-0002-side.png');
    const backEntry = await add('', 3, 'E', 'gear-0002-back.png');
    const first = await run();
    assert.deepEqual(first.failed, []);
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', 'GEAR-0002']], { fields: ['product_tmpl_id'] });
    const tmplId = (variant!.product_tmpl_id as [number, string])[0];
    const images = async () =>
      odoo.searchRead('product.image', [['product_tmpl_id', '=', tmplId]], { fields: ['name', 'sequence', 'image_1920'], order: 'sequence asc, id asc' });
    let rows = await images();
    assert.deepEqual(
      rows.map((r) => [r.name, r.sequence, r.image_1920]),
      [
        ['side', 1, b64('D')],
        ['gear-0002-back.png', 2, b64('E')],
      ],
      "label, else the file name; Magento's order",
    );
    const [t] = await odoo.read('product.template', [tmplId], ['image_1920']);
    assert.equal(t!.image_1920, b64('C'), 'the main entry is the template image, not an extra one');

    // an image an Odoo user adds stays through everything below
    await odoo.create('product.image', [{ product_tmpl_id: tmplId, name: 'mine', sequence: 50, image_1920: b64('U') }]);
    const w = imageWrites();
    await run();
    assert.equal(imageWrites() - w, 0, 'a second run writes nothing');

    // new bytes (a new file) for the side view
    const side = (await magento.media.list('GEAR-0002')).find((e) => e.label === 'side')!;
    await magento.media.remove('GEAR-0002', side.id);
    await add('side', 2, 'F', 'gear-0002-side.png');
    await run();
    rows = await images();
    assert.deepEqual(
      rows.map((r) => [r.name, r.image_1920]),
      [
        ['side', b64('F')],
        ['gear-0002-back.png', b64('E')],
        ['mine', b64('U')],
      ],
    );

    await magento.media.remove('GEAR-0002', backEntry);
    const w2 = imageWrites();
    await run();
    rows = await images();
    assert.deepEqual(
      rows.map((r) => r.name),
      ['side', 'mine'],
      "the record made for the removed entry is gone; the user's stays",
    );
    assert.equal(imageWrites() - w2, 1, 'one unlink');
    const [t2] = await odoo.read('product.template', [tmplId], ['image_1920']);
    assert.equal(t2!.image_1920, b64('C'), 'the main image untouched');
  });

  test('without website_sale: the main image is synced, the run says once that extra images are not, and nothing fails', async () => {
    const { stack, odoo, magento, run } = await start('xi-none', { images: true }, { seed: 'demo', modules: [], flavour: 'jsonrpc' });
    const [tmpl] = await odoo.searchRead('product.template', [['default_code', '=', 'GEAR-0001']], { fields: ['id'] });
    await odoo.write('product.template', [tmpl!.id], { image_1920: b64('M') });
    // several pages: the note is still said once
    const result = await run(2);
    assert.deepEqual(result.failed, []);
    assert.ok(result.processed > 2, `more than one page (${result.processed} templates)`);
    assert.deepEqual(result.notes, [EXTRA_IMAGES_UNAVAILABLE]);
    const entries = await magento.media.list('GEAR-0001');
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]!.types, ['image', 'small_image', 'thumbnail']);
    assert.equal(stack.odoo.counters.get('product.image.search_read'), 0, 'no call on a model Odoo does not have');
    assert.equal(stack.odoo.counters.get('product.template.fields_get'), 1, 'asked once, kept for the worker');
  });
});

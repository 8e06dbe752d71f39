// The real-Odoo tier, images Odoo → Magento (catalog master odoo, catalog.images): image bytes
// written in a real Odoo (18 over JSON-RPC, 19 over JSON-2) — a template's main image and a
// configurable variant's own image — arrive in the Magento sandbox gallery with the main roles,
// through the bulk sync's catalog stream on the real worker; a second run sends nothing. These
// databases have no eCommerce app (website_sale), so no product.image: each run says once that
// extra images are not synced, and fails nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTRA_IMAGES_UNAVAILABLE } from '../../activities/sync/product-extra-images';
import { hasTemplateImages } from '../../integrations/odoo/product-images';
import { bulkSync } from '../../workflows/bulkSync';
import { solidPng } from '../support/png';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('product images Odoo → Magento');

describe(tier.title, { skip: tier.skip, timeout: 600_000 }, () => {
  let c: RealOdooConnector;
  const channel = `ri${process.pid}`;
  let runs = 0;
  const sync = (full = false) =>
    c.env.client.workflow.execute(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk,
      workflowId: `real-img-${channel}-${++runs}`,
      args: [{ channel, stream: 'catalog', full, pageSize: 5 }],
    });
  const posts = () => c.magentoSandbox.counters.get('POST /V1/products/:sku/media');

  before(async () => {
    c = await startRealOdooConnector({
      code: channel,
      world: { simpleProducts: 2, configurableProducts: 1, customers: 1 },
      channel: { catalog: { images: true } },
    });
  });
  after(async () => c?.stop());

  test('the template image and a variant’s own image reach the Magento gallery with the main roles; a second run writes nothing', async () => {
    const first = await sync(true);
    assert.equal(first.state, 'completed');
    assert.deepEqual(first.failed.last, []);
    assert.deepEqual(first.notes, [EXTRA_IMAGES_UNAVAILABLE], 'no website_sale: said once');
    assert.equal(posts(), 0, 'no image in Odoo yet: none pushed');

    const simple = c.seeded.world.products.find((p) => p.kind === 'simple')!.sku;
    const [simpleTmpl] = await c.setup.searchRead('product.template', [['default_code', '=', simple]], ['id']);
    const main = solidPng(6, 4, [20, 120, 200]);
    await c.setup.write('product.template', [simpleTmpl!.id], { image_1920: main.toString('base64') });

    const configurable = c.seeded.world.products.find((p) => p.kind === 'configurable')!;
    const childSku = configurable.variants[0]!.sku;
    const variantId = c.seeded.productIds.get(childSku)!;
    const own = solidPng(5, 5, [220, 40, 40]);
    await c.setup.write('product.product', [variantId], { image_variant_1920: own.toString('base64') });
    // what Odoo keeps is what must arrive (Odoo may re-encode what it was given)
    const [storedMain] = await c.setup.searchRead('product.template', [['id', '=', simpleTmpl!.id]], ['image_1920']);
    const [storedOwn] = await c.setup.searchRead('product.product', [['id', '=', variantId]], ['image_variant_1920']);

    const second = await sync(true);
    assert.deepEqual(second.failed.last, []);
    const simpleEntries = await c.magento.media.list(simple);
    assert.equal(simpleEntries.length, 1);
    assert.deepEqual(simpleEntries[0]!.types, ['image', 'small_image', 'thumbnail']);
    assert.equal((await c.magento.media.download(simpleEntries[0]!.file!)).toString('base64'), storedMain!.image_1920, 'the bytes Odoo holds');
    const childEntries = await c.magento.media.list(childSku);
    assert.equal(childEntries.length, 1, 'the variant’s own image on its child SKU');
    assert.deepEqual(childEntries[0]!.types, ['image', 'small_image', 'thumbnail']);
    assert.equal((await c.magento.media.download(childEntries[0]!.file!)).toString('base64'), storedOwn!.image_variant_1920);
    const parentSku = c.magentoSandbox.state.products.find((p) => p.type_id === 'configurable')!.sku as string;
    assert.deepEqual(await c.magento.media.list(parentSku), [], 'the configurable’s template has no image: its parent gets none');
    assert.equal(posts(), 2);

    const third = await sync(true);
    assert.deepEqual(third.failed.last, []);
    assert.equal(posts(), 2, 'same bytes: nothing sent again, even on a full run');
    assert.equal((await c.magento.media.list(simple)).length, 1);

    // a new variant image, then a scheduled (watermark) run: the template's write_date did not
    // move, the variant's did
    const newer = solidPng(3, 3, [10, 200, 10]);
    await c.setup.write('product.product', [variantId], { image_variant_1920: newer.toString('base64') });
    const [storedNewer] = await c.setup.searchRead('product.product', [['id', '=', variantId]], ['image_variant_1920']);
    const incremental = await sync(false);
    assert.deepEqual(incremental.failed.last, []);
    const replaced = await c.magento.media.list(childSku);
    assert.equal(replaced.length, 1, 'the entry made for the old image replaced');
    assert.equal((await c.magento.media.download(replaced[0]!.file!)).toString('base64'), storedNewer!.image_variant_1920);
    assert.equal(posts(), 3);
  });

  test('without website_sale the extra images are reported unavailable once per run, and nothing fails', async () => {
    // what real Odoo answers the question the catalog asks (fields_get of product_template_image_ids)
    assert.equal(await hasTemplateImages(c.odoo), false);
    const before = posts();
    // said once over several pages: test/integration/product-extra-images.test.ts (pages of one
    // template on real Odoo: test/real-odoo/sync.test.ts)
    const run = await sync(true);
    assert.equal(run.state, 'completed');
    assert.deepEqual(run.failed.last, []);
    assert.equal(run.failed.count, 0);
    assert.deepEqual(run.notes, [EXTRA_IMAGES_UNAVAILABLE]);
    assert.equal(posts(), before, 'the main images are in place already: nothing sent');
    const simple = c.seeded.world.products.find((p) => p.kind === 'simple')!.sku;
    const entries = await c.magento.media.list(simple);
    assert.equal(entries.length, 1, 'the main image only');
    assert.deepEqual(entries[0]!.types, ['image', 'small_image', 'thumbnail']);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { createCatalogStream, watermarkOf } from '../../activities/sync/catalog';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { nowString } from '../../sandbox/odoo/orm';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// The catalog's watermark is (write_date, id): a run with nothing changed reads nothing, even
// when every template shares the watermark's second (an import, a mass edit), and a template
// edited afterwards is the only one read. Both sandboxes over HTTP, a real PostgreSQL.

const WORLD = { simpleProducts: 14, configurableProducts: 3 };
const channel = 'catwm';

describe('catalog watermark: (write_date, id)', { timeout: 60_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stream: SyncStream;
  let templates: number;

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: channel, magento: { world: WORLD }, odoo: { demo: WORLD } }), createScratchDatabase()]);
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    stream = createCatalogStream(deps);
    // Every template saved in one second a minute ago, as a mass import leaves them.
    const oneSecond = nowString(new Date(Date.now() - 60_000));
    const all = stack.odoo.state.db.all('product.template');
    for (const tmpl of all) tmpl.write_date = oneSecond;
    for (const variant of stack.odoo.state.db.all('product.product')) variant.write_date = oneSecond;
    templates = all.filter((t) => t.type !== 'service').length;
    assert.ok(templates >= WORLD.simpleProducts + WORLD.configurableProducts);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('a second run over templates sharing one write_date second reads 0; an edit is the only read after', async () => {
    const first = await runAllPages(stream, { channel, pageSize: 5 });
    assert.equal(first.processed, templates);
    assert.deepEqual(first.failed, []);
    assert.match(first.watermark ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|\d+$/, 'the watermark carries the last id');

    stack.odoo.counters.reset();
    const second = await runAllPages(stream, { channel, since: first.watermark, pageSize: 5 });
    assert.equal(second.processed, 0, 'nothing changed: nothing read');
    assert.equal(second.written, 0);
    assert.equal(second.watermark, null);

    // an edit now: its second is not settled yet, so the watermark is that second alone
    const [edited] = await new OdooClient(stack.channel.odoo).search('product.template', [['default_code', '!=', false]], { limit: 1, order: 'id desc' });
    assert.ok(edited);
    await new OdooClient(stack.channel.odoo).write('product.template', [edited], { list_price: 123.45 });
    const third = await runAllPages(stream, { channel, since: first.watermark, pageSize: 5 });
    assert.equal(third.processed, 1, 'only the edited template');
    assert.equal(third.written, 1);
    assert.ok(third.watermark && !third.watermark.includes('|'), `a recent second stays a bare write_date (${third.watermark})`);
  });

  test('a variant archived in Odoo (its template untouched) reaches Magento on a run from the watermark', async () => {
    const odoo = new OdooClient(stack.channel.odoo);
    const full = await runAllPages(stream, { channel, pageSize: 5 });
    const [tmpl] = await odoo.searchRead('product.template', [['attribute_line_ids', '!=', false]], { fields: ['write_date', 'product_variant_ids'], limit: 1, order: 'id asc' });
    const variantId = (tmpl!.product_variant_ids as number[])[0]!;
    const [variant] = await odoo.read('product.product', [variantId], ['default_code']);
    const sku = String(variant!.default_code);
    assert.equal(stack.magento.state.productBySku(sku)?.status, 1, 'the child is enabled');
    await odoo.write('product.product', [variantId], { active: false });
    const [after] = await odoo.searchRead('product.template', [['id', '=', tmpl!.id]], { fields: ['write_date'] });
    assert.equal(after!.write_date, tmpl!.write_date, "archiving a variant leaves its template's write_date alone");
    const scheduled = await runAllPages(stream, { channel, since: full.watermark, pageSize: 5 });
    assert.deepEqual(scheduled.failed, []);
    // (the template the test above edited shares the watermark's unsettled second, so it is read again too)
    assert.ok(scheduled.processed >= 1 && scheduled.processed <= 2, `the archived variant's template, and nothing else new (${scheduled.processed})`);
    assert.equal(stack.magento.state.productBySku(sku)?.status, 2, 'the child is disabled in Magento');
    const again = await runAllPages(stream, { channel, since: full.watermark, pageSize: 5 });
    assert.equal(again.written, 0, 'read again from the same watermark, nothing is written twice');
  });

  test('the watermark keeps the id only once its second can no longer receive writes', () => {
    const now = Date.parse('2026-01-02T10:00:30Z');
    assert.equal(watermarkOf('2026-01-02 10:00:00', 7, now), '2026-01-02 10:00:00|7');
    assert.equal(watermarkOf('2026-01-02 10:00:25', 7, now), '2026-01-02 10:00:25');
    assert.equal(watermarkOf('not a date', 7, now), 'not a date');
  });
});

// The real-Odoo tier, bulk side: "Test connection", the reference sync (taxes of the company's
// country and of a foreign one, carriers, payment journals), catalog and stock Odoo → Magento,
// against a real Odoo (18 over JSON-RPC, 19 over JSON-2) and the Magento sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChannels } from '../../client/commands/channels-test';
import { bulkSync } from '../../workflows/bulkSync';
import type { SyncProgress } from '../../workflows/sync-messages';
import type { StreamName } from '../../activities/sync/stream';
import { createMappingStore } from '../../store/mappings';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('channels, reference data, catalog and stock');
const WORLD = { simpleProducts: 6, configurableProducts: 2, customers: 4 };

describe(tier.title, { skip: tier.skip, timeout: 600_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rs${process.pid}`;
  let run = 0;
  const sync = (stream: StreamName, full = false): Promise<SyncProgress> =>
    c.env.client.workflow.execute(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-sync-${stream}-${channel}-${++run}`, args: [{ channel, stream, full }],
    });

  before(async () => {
    c = await startRealOdooConnector({
      code: channel, world: WORLD,
      channel: { sync: { batchSize: 50 } },
    });
    // The reference sync learns carriers and payment methods (with their titles) from recent orders.
    c.magentoSandbox.createOrder({ guest: true, paymentMethod: 'checkmo', shippingMethod: 'flatrate_flatrate' });
    c.magentoSandbox.createOrder({ guest: true, paymentMethod: 'braintree', shippingMethod: 'ups_GND' });
  });
  after(async () => c?.stop());

  test('channels test: both sides answer, Odoo names its version and company', async () => {
    const checks = await checkChannels(c.config, channel);
    assert.deepEqual(checks.map((k) => [k.system, k.ok]), [['magento', true], ['odoo', true]], JSON.stringify(checks));
    assert.match(checks.find((k) => k.system === 'odoo')!.detail, new RegExp(`${c.odooDatabase.version}\\.0`));
  });

  test('reference sync: home-country taxes are made with a tax group; foreign ones are reported until a foreign-VAT fiscal position exists', async () => {
    const first = await sync('reference');
    const mappings = createMappingStore(c.db.pool);
    const taxOf = async (code: string) => (await mappings.find(channel, 'tax', code))?.odooId ?? null;

    const texas = await taxOf('US-TX-*-Rate 1');
    assert.ok(texas, 'the Texas rate is mapped');
    const [tx] = await c.setup.searchRead('account.tax', [['id', '=', texas]], ['amount', 'country_id', 'tax_group_id', 'price_include']);
    assert.equal(tx?.amount, 8.25);
    assert.equal((tx?.country_id as [number, string])[1], 'United States');
    assert.ok(tx?.tax_group_id, 'a tax group');

    // A US company cannot invoice German VAT without a fiscal position for it: reported, not made.
    assert.equal(await taxOf('DE-*-*-VAT'), null);
    const de = first.failed.last.find((f) => f.key === 'DE-*-*-VAT');
    assert.ok(de, JSON.stringify(first.failed));
    assert.match(de.reason, /DE is neither the company's fiscal country.*fiscal position for DE/);
    assert.ok(first.failed.last.some((f) => f.key === 'FR-*-*-VAT'), 'France too');

    // Carriers and journals by the naming convention.
    assert.ok(await mappings.odooIdOf(channel, 'carrier', 'flatrate_flatrate'));
    assert.ok(await mappings.odooIdOf(channel, 'carrier', 'ups_GND'));
    assert.ok(await mappings.odooIdOf(channel, 'payment_method', 'checkmo'));
    assert.ok(await mappings.odooIdOf(channel, 'payment_method', 'braintree'));

    // The merchant registers for German VAT: a fiscal position with a foreign VAT number.
    const [germany] = await c.setup.searchRead('res.country', [['code', '=', 'DE']], ['id']);
    await c.setup.create('account.fiscal.position', { name: 'Germany (OSS)', country_id: germany!.id, foreign_vat: 'DE123456788', auto_apply: true });
    const second = await sync('reference');
    const deTax = await taxOf('DE-*-*-VAT');
    assert.ok(deTax, JSON.stringify(second.failed));
    const [row] = await c.setup.searchRead('account.tax', [['id', '=', deTax]], ['amount', 'country_id', 'tax_group_id']);
    assert.equal(row?.amount, 19);
    assert.equal((row?.country_id as [number, string])[1], 'Germany');
    const [group] = await c.setup.searchRead('account.tax.group', [['id', '=', (row?.tax_group_id as [number, string])[0]]], ['country_id']);
    assert.equal((group?.country_id as [number, string])[1], 'Germany', 'a German tax group');
    assert.ok(second.failed.last.some((f) => f.key === 'FR-*-*-VAT'), 'France is still reported');
    assert.equal(second.failed.last.some((f) => f.key === 'DE-*-*-VAT'), false);
  });

  test('catalog: a price change, a rename and a new configurable variant in Odoo reach Magento', async () => {
    await sync('catalog', true);
    const simple = c.seeded.world.products.find((p) => p.kind === 'simple')!;
    const tee = c.seeded.world.products.find((p) => p.kind === 'configurable')!;
    assert.equal(c.magentoSandbox.state.productBySku(simple.sku)?.price, simple.price);
    const parent = c.magentoSandbox.state.productBySku(tee.sku);
    assert.equal(parent?.type_id, 'configurable');
    const links = ((parent?.extension_attributes as { configurable_product_links?: number[] }).configurable_product_links ?? []);
    assert.equal(links.length, tee.variants.length);

    const [tmpl] = await c.setup.searchRead('product.template', [['default_code', '=', simple.sku]], ['id']);
    await c.setup.write('product.template', [tmpl!.id], { list_price: 77.7, name: `${simple.name} (new)` });
    const after = await sync('catalog');
    assert.ok(after.written >= 1);
    assert.equal(c.magentoSandbox.state.productBySku(simple.sku)?.price, 77.7);
    assert.equal(c.magentoSandbox.state.productBySku(simple.sku)?.name, `${simple.name} (new)`);
    const again = await sync('catalog');
    assert.equal(again.written, 0, 'nothing changed, nothing written');
  });

  test('catalog in pages of one template: each template read once and the run ends (real 18 compares write_date with its microseconds)', async () => {
    const handle = await c.env.client.workflow.start(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-sync-pages-${channel}-${++run}`, args: [{ channel, stream: 'catalog', full: true, pageSize: 1 }],
    });
    const templates = (await c.setup.searchRead('product.template', [['type', '!=', 'service']], ['id'])).length;
    // the old keyset re-read its first page forever on 18: give up well before the file's bound
    const ended = await Promise.race([handle.result(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 120_000))]);
    if (!ended) await handle.terminate('paging did not end');
    assert.ok(ended, 'the run ended');
    assert.equal(ended.state, 'completed');
    assert.equal(ended.done, templates, 'every template once');

    // three templates written in one transaction share write_date to the microsecond
    const ids = (await c.setup.searchRead('product.template', [['type', '!=', 'service'], ['attribute_line_ids', '=', false]], ['id'], { limit: 3, order: 'id asc' })).map((t) => t.id);
    await c.setup.write('product.template', ids, { description_sale: 'Now in pages of one' });
    const changed = await c.env.client.workflow.execute(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-sync-pages-${channel}-${++run}`, args: [{ channel, stream: 'catalog', pageSize: 1 }],
    });
    assert.equal(changed.state, 'completed');
    assert.equal(changed.written, 3);
  });

  test('catalog: a variant archived in Odoo leaves its template untouched and still disables the Magento child on the next scheduled run', async () => {
    await sync('catalog', true);
    const tee = c.seeded.world.products.find((p) => p.kind === 'configurable')!;
    const sku = tee.variants.at(-1)!.sku;
    assert.equal(c.magentoSandbox.state.productBySku(sku)?.status, 1, 'the child is enabled');
    const [variant] = await c.setup.searchRead('product.product', [['default_code', '=', sku]], ['product_tmpl_id']);
    const templateId = (variant!.product_tmpl_id as [number, string])[0];
    const [before] = await c.setup.searchRead('product.template', [['id', '=', templateId]], ['write_date']);
    // the watermark's second must be over before the write, as for any edit made later in a day
    await new Promise((r) => setTimeout(r, 1100));
    await c.setup.write('product.product', [variant!.id], { active: false });
    const [after] = await c.setup.searchRead('product.template', [['id', '=', templateId]], ['write_date']);
    assert.equal(after!.write_date, before!.write_date, "real Odoo: archiving a variant does not move its template's write_date");
    await sync('catalog');
    assert.equal(c.magentoSandbox.state.productBySku(sku)?.status, 2, 'the child is disabled in Magento');
    const again = await sync('catalog');
    assert.equal(again.written, 0, 'nothing written twice');
  });

  test('stock: an Odoo inventory change is published to Magento; reservations count', async () => {
    const sku = c.seeded.world.products.find((p) => p.kind === 'simple')!.sku;
    const productId = c.seeded.productIds.get(sku)!;
    await c.setup.create('stock.quant', { product_id: productId, location_id: c.seeded.stockLocationId, inventory_quantity_auto_apply: 42 }, { inventory_mode: true });
    await sync('stock', true);
    assert.equal(c.magentoSandbox.state.defaultSourceQty(sku), 42);

    // A phone order confirmed in Odoo reserves 5: Magento may sell 37.
    const partner = await c.setup.create('res.partner', { name: 'Phone Customer', city: 'Austin' });
    const order = await c.setup.create('sale.order', { partner_id: partner, order_line: [[0, 0, { product_id: productId, product_uom_qty: 5 }]] });
    await c.setup.call('sale.order', 'action_confirm', { ids: [order] });
    await sync('stock');
    assert.equal(c.magentoSandbox.state.defaultSourceQty(sku), 37);
  });
});

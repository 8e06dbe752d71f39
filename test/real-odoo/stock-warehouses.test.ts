// The real-Odoo tier, stock per website: a real Odoo (18 over JSON-RPC, 19 over JSON-2) with two
// warehouses, the Magento sandbox with two websites each selling from its own MSI stock and
// source, and the bulk sync's stock stream on the real worker. Each warehouse's figure lands on
// its website's source; an Odoo reservation in one warehouse moves only that source.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkSync } from '../../workflows/bulkSync';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('stock per website (two warehouses)');

describe(tier.title, { skip: tier.skip, timeout: 600_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rw${process.pid}`;
  let runs = 0;
  const sync = (full = false) =>
    c.env.client.workflow.execute(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk,
      workflowId: `real-stock-wh-${channel}-${++runs}`,
      args: [{ channel, stream: 'stock', full }],
    });
  const qty = (source: string, sku: string) => c.magentoSandbox.state.sourceItems.find((i) => i.sku === sku && i.source_code === source)?.quantity;

  before(async () => {
    c = await startRealOdooConnector({
      code: channel,
      world: { simpleProducts: 3, configurableProducts: 0, customers: 1 },
      channel: { orderDefaults: { websites: { base: { warehouse: 'WH' }, eu: { warehouse: 'EU' } } } },
    });
    const state = c.magentoSandbox.state;
    state.websites.push({ id: 2, code: 'eu', name: 'Europe', default_group_id: 2 });
    state.sources.push({ source_code: 'eu_hall', name: 'EU hall', enabled: true, country_id: 'DE', postcode: '10115' });
    state.stocks.push({ stock_id: 2, name: 'EU', sales_channels: [{ type: 'website', code: 'eu' }] });
    state.stockSourceLinks.push({ stock_id: 2, source_code: 'eu_hall', priority: 1 });
  });
  after(async () => c?.stop());

  test('each warehouse is published on its website’s source; a reservation in EU moves only EU; a second run writes nothing', async () => {
    // Odoo makes the warehouse's locations and operation types itself
    const eu = await c.setup.create('stock.warehouse', { name: 'Europe', code: 'EU' });
    const [euRow] = await c.setup.searchRead('stock.warehouse', [['id', '=', eu]], ['lot_stock_id']);
    const euStock = (euRow!.lot_stock_id as [number, string])[0];
    const [sku, other] = c.seeded.world.products.filter((p) => p.kind === 'simple').map((p) => p.sku) as [string, string];
    const setQty = (productId: number, location: number, quantity: number) =>
      c.setup.create('stock.quant', { product_id: productId, location_id: location, inventory_quantity_auto_apply: quantity }, { inventory_mode: true });
    await setQty(c.seeded.productIds.get(sku)!, c.seeded.stockLocationId, 40);
    await setQty(c.seeded.productIds.get(sku)!, euStock, 9);
    await setQty(c.seeded.productIds.get(other)!, c.seeded.stockLocationId, 5);

    const first = await sync(true);
    assert.equal(first.state, 'completed');
    assert.deepEqual(first.failed.last, []);
    assert.deepEqual([qty('default', sku), qty('eu_hall', sku)], [40, 9]);
    assert.deepEqual([qty('default', other), qty('eu_hall', other)], [5, 0]);

    // a phone order shipped from EU: Odoo reserves 4 there, WH is untouched
    const partner = await c.setup.create('res.partner', { name: 'EU phone customer', city: 'Berlin' });
    const order = await c.setup.create('sale.order', {
      partner_id: partner,
      warehouse_id: eu,
      order_line: [[0, 0, { product_id: c.seeded.productIds.get(sku), product_uom_qty: 4 }]],
    });
    await c.setup.call('sale.order', 'action_confirm', { ids: [order] });
    const second = await sync();
    assert.deepEqual([qty('default', sku), qty('eu_hall', sku)], [40, 5]);
    assert.equal(second.written, 1, 'only the SKU whose EU figure moved');

    const third = await sync();
    assert.equal(third.written, 0, 'nothing changed: nothing written');
  });
});

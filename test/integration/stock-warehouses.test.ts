import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createChannelClients } from '../../integrations/channel-clients';
import { createStockStream } from '../../activities/sync/stock';
import { ConfigSchema, type ChannelConfig, type Config } from '../../config/schema';
import { createOdooTransport, OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';

// The stock stream with two Odoo warehouses and two Magento websites, each website selling from
// its own MSI stock and source (orderDefaults.websites.<code>.warehouse), over HTTP against both
// sandboxes and a real PostgreSQL.

describe('stock: one warehouse per website', { timeout: 60_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let config: Config;
  let odoo: OdooClient;
  const sku = 'GEAR-0001';
  const other = 'GEAR-0002';
  let euStockLocation: number;
  let whStockLocation: number;

  const channelWith = (code: string, websites: Record<string, { warehouse: string }>, target: 'msi' | 'legacy' = 'msi'): ChannelConfig => ({
    ...stack.channel,
    code,
    inventory: { ...stack.channel.inventory, target },
    orderDefaults: { ...stack.channel.orderDefaults, websites },
  });

  const sourceQty = (source: string, of = sku) => stack.magento.state.sourceItems.find((i) => i.sku === of && i.source_code === source)?.quantity;

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: 'wh' }), createScratchDatabase()]);
    odoo = new OdooClient(stack.channel.odoo);

    // Odoo: a second warehouse, EU, with its own stock of both SKUs
    // (the connector never creates warehouses: set up through the transport, as ops would in the UI)
    const created = await createOdooTransport(stack.channel.odoo).call({
      model: 'stock.warehouse',
      method: 'create',
      kwargs: { vals_list: [{ name: 'Europe', code: 'EU' }] },
    });
    const eu = Array.isArray(created) ? Number(created[0]) : Number(created);
    const [euRow] = await odoo.searchRead('stock.warehouse', [['id', '=', eu]], { fields: ['lot_stock_id'] });
    euStockLocation = Number((euRow!.lot_stock_id as [number, string])[0]);
    const [whRow] = await odoo.searchRead('stock.warehouse', [['code', '=', 'WH']], { fields: ['lot_stock_id'] });
    whStockLocation = Number((whRow!.lot_stock_id as [number, string])[0]);
    for (const [code, wh, inEu] of [
      [sku, 30, 7],
      [other, 12, 0],
    ] as const) {
      const [variant] = await odoo.searchRead('product.product', [['default_code', '=', code]], { fields: ['id'] });
      await odoo.setOnHandQuantity(variant!.id, whStockLocation, wh);
      if (inEu > 0) await odoo.setOnHandQuantity(variant!.id, euStockLocation, inEu);
    }

    // Magento: a second website "eu" selling from stock 2, whose only source is "eu_src"; and a
    // website "outlet" sells from the same stock 2; a third website "b2b" in a stock with two sources, one of them named after warehouse EU
    const state = stack.magento.state;
    state.websites.push(
      { id: 2, code: 'eu', name: 'Europe', default_group_id: 2 },
      { id: 3, code: 'b2b', name: 'Trade', default_group_id: 3 },
      { id: 4, code: 'outlet', name: 'Outlet', default_group_id: 4 },
    );
    state.sources.push(
      { source_code: 'eu_src', name: 'EU hall', enabled: true, country_id: 'DE', postcode: '10115' },
      { source_code: 'eu', name: 'EU warehouse', enabled: true, country_id: 'DE', postcode: '10115' },
      { source_code: 'dropship', name: 'Supplier', enabled: true, country_id: 'DE', postcode: '10115' },
    );
    state.stocks.push(
      {
        stock_id: 2,
        name: 'EU',
        sales_channels: [
          { type: 'website', code: 'eu' },
          { type: 'website', code: 'outlet' },
        ],
      },
      { stock_id: 3, name: 'Trade', sales_channels: [{ type: 'website', code: 'b2b' }] },
    );
    state.stockSourceLinks.push(
      { stock_id: 2, source_code: 'eu_src', priority: 1 },
      { stock_id: 3, source_code: 'dropship', priority: 1 },
      { stock_id: 3, source_code: 'eu', priority: 2 },
    );

    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(
      channelWith('wh', { base: { warehouse: 'WH' }, eu: { warehouse: 'EU' } }),
      channelWith('plain', {}),
      channelWith('trade', { b2b: { warehouse: 'EU' } }),
      channelWith('nostock', { nowhere: { warehouse: 'EU' } }),
      channelWith('clash', { eu: { warehouse: 'EU' }, outlet: { warehouse: 'WH' } }),
      channelWith('legacy', { eu: { warehouse: 'EU' } }, 'legacy'),
    );
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const streamOf = () => createStockStream({ config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) });
  const page = (code: string, full = false) => ({
    channel: code,
    stream: 'stock' as const,
    cursor: null,
    since: null,
    full,
    pageSize: 100,
    keys: [sku, other],
  });

  test('each mapped warehouse lands on the source of its website; a second run writes nothing; a change in one warehouse writes that SKU', async () => {
    const stock = streamOf();
    stack.magento.counters.reset();
    const first = await stock.syncPage(page('wh'));
    assert.deepEqual([first.processed, first.written, first.failed], [2, 2, []]);
    assert.equal(sourceQty('default'), 30, 'WH → base → default stock → source default');
    assert.equal(sourceQty('eu_src'), 7, 'EU → eu → stock 2 → source eu_src');
    assert.equal(sourceQty('default', other), 12);
    assert.equal(sourceQty('eu_src', other), 0);
    assert.equal(stack.magento.state.sourceItems.find((i) => i.sku === other && i.source_code === 'eu_src')?.status, 0, 'nothing in EU: out of stock there');
    assert.equal(stack.magento.counters.snapshot()['POST /V1/inventory/source-items'], 1, 'both sources of both SKUs in one batch');

    const again = await stock.syncPage(page('wh'));
    assert.deepEqual([again.written, again.unchanged], [0, 2]);

    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['id'] });
    await odoo.setOnHandQuantity(variant!.id, euStockLocation, 3);
    const moved = await stock.syncPage(page('wh'));
    assert.deepEqual([moved.written, moved.unchanged], [1, 1]);
    assert.deepEqual([sourceQty('eu_src'), sourceQty('default')], [3, 30], 'the EU figure changed, WH was written again unchanged');
    await odoo.setOnHandQuantity(variant!.id, euStockLocation, 7);
  });

  test('a channel without website mappings pushes its one warehouse to its one source and asks Magento nothing about stocks', async () => {
    const stock = streamOf();
    stack.magento.state.sourceItems.find((i) => i.sku === sku && i.source_code === 'default')!.quantity = 1;
    const before = sourceQty('eu_src');
    stack.magento.counters.reset();
    const result = await stock.syncPage(page('plain', true));
    assert.equal(result.written, 2);
    assert.equal(sourceQty('default'), 30);
    assert.equal(sourceQty('eu_src'), before, 'the EU source is not this channel’s');
    const calls = Object.keys(stack.magento.counters.snapshot());
    assert.deepEqual(
      calls.filter((c) => c.includes('stock-resolver') || c.includes('get-sources-assigned')),
      [],
    );
    // legacy has one stock: website mappings do not apply there either
    const legacy = await stock.syncPage(page('legacy', true));
    assert.deepEqual([legacy.written, legacy.failed], [2, []]);
    assert.equal(sourceQty('default'), 30, 'the legacy stock item is WH’s (the sandbox keeps it as the default source)');
  });

  test('a stock with several sources takes the warehouse on the source named after it; the channel default keeps its own source', async () => {
    const stock = streamOf();
    const result = await stock.syncPage(page('trade', true));
    assert.deepEqual([result.written, result.failed], [2, []]);
    assert.equal(sourceQty('eu'), 7, 'warehouse EU → source "eu" of the b2b stock');
    assert.equal(sourceQty('dropship'), undefined, 'the other source of that stock is left alone');
    assert.equal(sourceQty('default'), 30, 'unmapped websites keep inventory.warehouse → inventory.sourceCode');
  });

  test('bad mappings stop the page with a non-retryable error naming the channel and the config key', async () => {
    const stock = streamOf();
    const failureOf = async (code: string) => {
      try {
        await stock.syncPage(page(code));
      } catch (err) {
        assert.ok(err instanceof ApplicationFailure, String(err));
        assert.equal(err.nonRetryable, true);
        return err.message;
      }
      assert.fail(`channel ${code} was accepted`);
    };
    const noStock = await failureOf('nostock');
    assert.match(noStock, /channel "nostock": orderDefaults\.websites\.nowhere\.warehouse: Magento website "nowhere" sells from no stock/);
    const clash = await failureOf('clash');
    assert.match(
      clash,
      /channel "clash": orderDefaults\.websites\.outlet\.warehouse \("WH"\) and orderDefaults\.websites\.eu\.warehouse \("EU"\) both feed the Magento source "eu_src"/,
    );

    // a stock with two sources, none named after the warehouse
    stack.magento.state.stockSourceLinks = stack.magento.state.stockSourceLinks.filter((l) => !(l.stock_id === 3 && l.source_code === 'eu'));
    stack.magento.state.stockSourceLinks.push({ stock_id: 3, source_code: 'eu_src', priority: 2 });
    const unnamed = await failureOf('trade');
    assert.match(
      unnamed,
      /orderDefaults\.websites\.b2b\.warehouse: the stock 3 of Magento website "b2b" has the sources "dropship", "eu_src", and none is named after warehouse "EU"/,
    );

    // an Odoo warehouse code that does not exist names its key
    config.channels.push(channelWith('typo', { eu: { warehouse: 'XX' } }));
    const typo = await failureOf('typo');
    assert.match(typo, /Odoo has no warehouse with code "XX" \(orderDefaults\.websites\.eu\.warehouse in the config\)/);
  });
});

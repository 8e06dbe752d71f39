import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrderActivities } from '../../activities/orders';
import { createChannelClients } from '../../integrations/channel-clients';
import { createStockStream } from '../../activities/sync/stock';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';

// What the stock stream publishes while orders are open, against both sandboxes over HTTP and a
// real PostgreSQL: Odoo's reservations for this channel's own orders are not subtracted twice on
// an MSI channel (Magento keeps a reservation of its own for them), other reservations are.

describe('stock: what is published while orders are open', { timeout: 60_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let config: Config;
  let odoo: OdooClient;
  const channel = 'stk';
  const sku = 'GEAR-0001';

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: channel }), createScratchDatabase()]);
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel, { ...stack.channel, code: `${channel}-legacy`, inventory: { ...stack.channel.inventory, target: 'legacy' } });
    odoo = new OdooClient(stack.channel.odoo);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('a Magento order reserved in Odoo leaves the published figure alone; an Odoo-only order lowers it', async () => {
    const deps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    const stock = createStockStream(deps);
    const push = async (code = channel) => stock.syncPage({ channel: code, stream: 'stock', cursor: null, since: null, full: true, pageSize: 10, keys: [sku] });
    const [product] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['qty_available'] });
    const onHand = Number(product!.qty_available);
    assert.ok(onHand >= 5, `the demo has ${sku} in stock (${onHand})`);

    // A Magento order of this channel, imported and confirmed: Odoo reserves 2.
    const acts = createOrderActivities({ config, pool: db.pool });
    const placed = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku, qty: 2 }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    const imported = await acts.importOrder({ channel, incrementId: placed.increment_id });
    await acts.confirmOrder({ channel, incrementId: placed.increment_id, magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! });
    const [reserved] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['free_qty'] });
    assert.equal(Number(reserved!.free_qty), onHand - 2, 'Odoo reserved the Magento order');

    await push();
    assert.equal(stack.magento.state.defaultSourceQty(sku), onHand, 'Magento subtracts its own order itself (MSI reservation): not again');

    // An order made in Odoo (a phone order, another shop) is stock Magento knows nothing about.
    const [buyer] = (await odoo.create('res.partner', [{ name: 'Phone buyer' }])) as [number];
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['id'] });
    const phoneOrder = await odoo.createSaleOrder({ partnerId: buyer, clientOrderRef: 'PHONE-1', origin: 'phone', lines: [{ productId: variant!.id, quantity: 1, priceUnit: 10 }] });
    await odoo.confirmSaleOrder(phoneOrder);
    await push();
    assert.equal(stack.magento.state.defaultSourceQty(sku), onHand - 1);

    // A legacy-stock channel has no reservations in Magento: every Odoo reservation counts.
    await push(`${channel}-legacy`);
    assert.equal(stack.magento.state.defaultSourceQty(sku), onHand - 3, 'the legacy stock item (the sandbox keeps it as the default source)');
  });

  test('demand Odoo could not reserve yet is not published as free stock', async () => {
    const deps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) };
    const stock = createStockStream(deps);
    const sku2 = 'GEAR-0002';
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku2]], { fields: ['id', 'qty_available'] });
    await odoo.setOnHandQuantity(variant!.id, 8, 4);
    // a phone order for 10: Odoo reserves the 4 it has; 6 wait for stock
    const [buyer] = (await odoo.create('res.partner', [{ name: 'Phone buyer' }])) as [number];
    const order = await odoo.createSaleOrder({ partnerId: buyer, clientOrderRef: 'PHONE-2', origin: 'phone', lines: [{ productId: variant!.id, quantity: 10, priceUnit: 10 }] });
    await odoo.confirmSaleOrder(order);
    // 20 more are counted in (an inventory adjustment): Odoo's free_qty says 20, but 6 of them are
    // already sold to the waiting order
    await odoo.setOnHandQuantity(variant!.id, 8, 24);
    const [now] = await odoo.searchRead('product.product', [['id', '=', variant!.id]], { fields: ['free_qty', 'outgoing_qty'] });
    assert.deepEqual([Number(now!.free_qty), Number(now!.outgoing_qty)], [20, 10], 'the situation Odoo is in');
    await stock.syncPage({ channel, stream: 'stock', cursor: null, since: null, full: true, pageSize: 10, keys: [sku2] });
    assert.equal(stack.magento.state.defaultSourceQty(sku2), 14, '24 on hand − 10 wanted, not the 20 Odoo calls free');

    // Someone sets the quantity in the Magento admin: the 5-minute runs write only what changed
    // in Odoo and leave it; the daily full run (sync.schedules.stockFull) puts Odoo's figure back.
    stack.magento.state.sourceItems.find((i) => i.sku === sku2 && i.source_code === 'default')!.quantity = 999;
    await stock.syncPage({ channel, stream: 'stock', cursor: null, since: null, full: false, pageSize: 10, keys: [sku2] });
    assert.equal(stack.magento.state.defaultSourceQty(sku2), 999);
    await stock.syncPage({ channel, stream: 'stock', cursor: null, since: null, full: true, pageSize: 10, keys: [sku2] });
    assert.equal(stack.magento.state.defaultSourceQty(sku2), 14);
  });
});

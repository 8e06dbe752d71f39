import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import { OdooClient } from '../../integrations/odoo';
import type { MagentoSandbox } from '../../sandbox/magento';
import { startDemoStack } from '../../sandbox/demo-stack';
import { createRecords } from '../../sandbox/odoo/orm';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import type { Json } from '../../sandbox/magento/state';
import { createScratchDatabase } from '../support/database';
import { withMoney, type MoneySpec } from '../support/magento-money';
import { failureOf } from '../support/activity-failure';
import { recordedOrder } from '../support/order-examples';

// Issue 10, classes 1 and 2 on the sandboxes: orders recorded with Magento 2.4.7's money (other
// currency, tax-inclusive coupons, odd discounts) are replayed through POST /__sandbox/orders/verbatim
// and imported by the real activity over HTTP; the Odoo sandbox stores price_unit and discount
// with 2 decimals, as real Odoo does.

const CHANNEL = 'money';

for (const { version, flavour } of [{ version: 18, flavour: 'jsonrpc' }, { version: 19, flavour: 'json2' }] as const) describe(`order money against Odoo ${version}.0 sandbox`, () => {
  let magento: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let config: Config;
  let seq = 0;

  before(async () => {
    const [stack, scratch] = await Promise.all([startDemoStack({ code: CHANNEL, flavour }), createScratchDatabase()]);
    ({ magento, odoo: odooSandbox } = stack);
    db = scratch;
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(stack.channel.odoo);
  });
  after(async () => {
    await Promise.all([magento?.close(), odooSandbox?.close()]);
    await db?.drop();
  });

  /** places a guest order for the SKUs, rewrites its money and replays it verbatim over HTTP */
  async function replay(spec: Omit<MoneySpec, 'incrementId'>): Promise<{ incrementId: string; body: Json; entityId: number }> {
    const placed = magento.createOrder({ guest: true, paymentMethod: spec.paymentMethod ?? 'checkmo', shippingMethod: 'flatrate_flatrate', lines: spec.lines.map((l) => ({ sku: l.sku, qty: l.qty })) });
    const incrementId = `${version}1000${String(++seq).padStart(4, '0')}`;
    const body = withMoney(placed, { incrementId, ...spec });
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: body }) });
    assert.equal(res.status, 200);
    const { entity_id } = (await res.json()) as { entity_id: number };
    return { incrementId, body, entityId: entity_id };
  }
  const ref = (incrementId: string) => ({ channel: CHANNEL, incrementId });
  const saleOrder = async (id: number) => (await odoo.read('sale.order', [id], ['amount_total', 'currency_id', 'pricelist_id']))[0]!;
  const productLines = (id: number) => odoo.searchRead('sale.order.line', [['order_id', '=', id], ['is_delivery', '=', false]], { fields: ['price_unit', 'discount', 'price_subtotal'], order: 'id asc' });

  test('the verbatim endpoint serves the body unchanged on GET /V1/orders/:id', async () => {
    const { body, entityId } = await replay({ taxPercent: 8.25, lines: [{ sku: 'GEAR-0001', qty: 1, price: 26.009999999999998 }] });
    const served = await fetch(`${magento.url}/__sandbox/orders/${entityId}`).then((r) => r.json());
    assert.deepEqual(served, { ...body, entity_id: entityId, items: (body.items as Json[]).map((i) => ({ ...i, order_id: entityId })) });
  });

  test('class 1: an EUR order lands in EUR through the one EUR pricelist, to the cent', async () => {
    // As a merchant sets Odoo up: the currency activated, a pricelist in it.
    await odoo.write('res.currency' as never, [125], { active: true });
    const [eurPricelist] = await odoo.create('product.pricelist' as never, [{ name: `Euro ${version}`, currency_id: 125 }]);
    const { incrementId, body } = await replay({ currency: 'EUR', baseCurrency: 'USD', rate: 0.92, taxPercent: 8.25, shipping: 5, lines: [{ sku: 'GEAR-0001', qty: 2, price: 19.99 }, { sku: 'GEAR-0002', qty: 1, price: 7.35 }] });
    const imported = await acts.importOrder(ref(incrementId));
    assert.equal(imported.outcome, 'imported');
    const so = await saleOrder(imported.odooOrderId!);
    assert.equal((so.pricelist_id as [number, string])[0], eurPricelist);
    assert.equal((so.currency_id as [number, string])[1], 'EUR');
    assert.equal(Number(so.amount_total).toFixed(2), Number(body.grand_total).toFixed(2), 'EUR amounts, not base_* USD ones');
    assert.notEqual(Number(body.grand_total), Number(body.base_grand_total));
    // idempotent: a second run finds the order
    const again = await acts.importOrder(ref(incrementId));
    assert.equal(again.outcome, 'already_imported');
    assert.equal(again.odooOrderId, imported.odooOrderId);
  });

  test('class 1: a currency Odoo lacks, or one without a pricelist, parks by name before anything is written', async () => {
    const creates = () => odooSandbox.counters.any('sale.order.create', 'sale.order.web_save');
    const before = creates();
    const xxx = await replay({ currency: 'XXX', taxPercent: 8.25, lines: [{ sku: 'GEAR-0003', qty: 1, price: 10 }] });
    const unknown = await failureOf(acts.importOrder(ref(xxx.incrementId)));
    assert.equal(unknown.type, 'UnknownCurrency');
    assert.match(unknown.message, new RegExp(`order ${xxx.incrementId}: order_currency_code "XXX" is not a currency Odoo has`));
    const empty = await replay({ currency: '', taxPercent: 8.25, lines: [{ sku: 'GEAR-0003', qty: 1, price: 10 }] });
    const emptyFailure = await failureOf(acts.importOrder(ref(empty.incrementId)));
    assert.equal(emptyFailure.type, 'UnknownCurrency');
    assert.match(emptyFailure.message, new RegExp(`order ${empty.incrementId}: order_currency_code is empty`));
    // GBP exists (archived, as every currency of a new real Odoo), activated, but has no pricelist
    const [gbp] = createRecords(odooSandbox.state.env(), 'res.currency', [{ name: 'GBP', symbol: '£', active: false }]) as [number];
    await odoo.write('res.currency' as never, [gbp], { active: true });
    const pounds = await replay({ currency: 'GBP', taxPercent: 8.25, lines: [{ sku: 'GEAR-0003', qty: 1, price: 10 }] });
    const unmapped = await failureOf(acts.importOrder(ref(pounds.incrementId)));
    assert.equal(unmapped.type, 'UnmappedCurrency');
    assert.match(unmapped.message, new RegExp(`order ${pounds.incrementId}: order_currency_code GBP has no active Odoo pricelist: set the channel's orders.pricelists.GBP`));
    assert.equal(creates(), before, 'nothing created in Odoo');
    // mapped per channel: imported in GBP
    const [gbpList] = await odoo.create('product.pricelist' as never, [{ name: `Sterling ${version}`, currency_id: gbp }]);
    config.channels[0]!.orders.pricelists = { GBP: gbpList as number };
    const imported = await acts.importOrder(ref(pounds.incrementId));
    assert.equal(((await saleOrder(imported.odooOrderId!)).currency_id as [number, string])[1], 'GBP');
    config.channels[0]!.orders.pricelists = {};
  });

  test('class 2: a tax-inclusive 10% coupon is a 10% Odoo discount and the order is the grand total to the cent', async () => {
    const { incrementId, body } = await replay({ taxPercent: 8.25, pricesIncludeTax: true, couponPercent: 10, shipping: 5, lines: [{ sku: 'GEAR-0004', qty: 1, price: 108.25 }, { sku: 'GEAR-0005', qty: 3, price: 9.99 }, { sku: 'GEAR-0006', qty: 2, price: 24.95 }] });
    const imported = await acts.importOrder(ref(incrementId));
    const lines = await productLines(imported.odooOrderId!);
    assert.equal(lines[0]?.price_unit, 100);
    assert.equal(lines[0]?.discount, 10, 'not 11.9 (the tax-inclusive discount over the net price)');
    assert.equal(Number((await saleOrder(imported.odooOrderId!)).amount_total).toFixed(2), Number(body.grand_total).toFixed(2));
  });

  test('class 6: the real 2.4.7 example body with a bundle imports as component lines at Magento\'s grand total', async () => {
    const body = recordedOrder('adobedocs_order-create-order_GET_V1_orders_3.json') as Json;
    const incrementId = `${version}2000${String(++seq).padStart(4, '0')}`;
    // replayed as a guest order (its customer does not exist in this sandbox)
    Object.assign(body, { increment_id: incrementId, customer_is_guest: 1, customer_id: undefined });
    const skus = ['WS12-M-Orange', '240-LV08', '24-WG082-blue', '24-WG084', '24-WG086', '24-WG088', 'MH01-S-Gray'];
    // As an Odoo admin sets the shop up over JSON-RPC: the products and the "Best Way" carrier.
    for (const sku of skus) await odoo.create('product.product', [{ name: sku, default_code: sku, type: 'consu' }]);
    // Magento does not tax this shipping: neither does the carrier's product
    const [shipping] = await odoo.create('product.product', [{ name: 'Best Way', type: 'service', taxes_id: [[6, 0, []]] }]);
    await odoo.create('delivery.carrier' as never, [{ name: 'Best Way', product_id: shipping, delivery_type: 'fixed' }]);
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const imported = await acts.importOrder(ref(incrementId));
    assert.equal(imported.outcome, 'imported');
    const lines = await odoo.searchRead('sale.order.line', [['order_id', '=', imported.odooOrderId!], ['is_delivery', '=', false]], { fields: ['product_id', 'price_subtotal'], order: 'id asc' });
    assert.deepEqual(lines.map((l) => String((l.product_id as [number, string])[1]).replace(/^\[[^\]]*\] /, '')), skus);
    assert.equal(Number((await saleOrder(imported.odooOrderId!)).amount_total).toFixed(2), '165.00', 'the bundle counted once (not 233)');
  });

  test('class 2: odd discounts that a 2-decimal percentage would move by cents land exactly', async () => {
    const { incrementId, body } = await replay({ taxPercent: 8.25, shipping: 5, lines: [{ sku: 'GEAR-0007', qty: 7, price: 13.37, discountAmount: 7.77 }, { sku: 'GEAR-0008', qty: 12, price: 199.99, discountAmount: 123.45 }, { sku: 'GEAR-0009', qty: 3, price: 26.009999999999998, discountAmount: 2.35 }] });
    const imported = await acts.importOrder(ref(incrementId));
    assert.equal(imported.outcome, 'imported');
    const lines = await productLines(imported.odooOrderId!);
    for (const l of lines) assert.equal(Number(l.discount), Math.round(Number(l.discount) * 100) / 100, 'a discount Odoo stores');
    assert.equal(Number((await saleOrder(imported.odooOrderId!)).amount_total).toFixed(2), Number(body.grand_total).toFixed(2));
  });
});

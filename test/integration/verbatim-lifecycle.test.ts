import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import type { MagentoSandbox } from '../../sandbox/magento';
import { startDemoStack } from '../../sandbox/demo-stack';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import type { Json } from '../../sandbox/magento/state';
import { createScratchDatabase } from '../support/database';
import { recordedOrder } from '../support/order-examples';

// A real 2.4.7 order body (test/contracts), replayed through POST /__sandbox/orders/verbatim, goes
// through the whole lifecycle on the sandboxes: import, confirm, the Odoo delivery pushed as a
// Magento shipment, the Odoo invoice (made by the user, the "odoo" policy) pushed as a Magento
// invoice, then a partial refund in Magento mirrored as an Odoo credit note. The Magento sandbox
// applies the 2.4.7 document rules to the recorded body itself.

const CHANNEL = 'verbatim';
const recorded = (file: string): Json => recordedOrder(file) as Json;

describe('a verbatim 2.4.7 order through the whole lifecycle (sandboxes)', () => {
  let magento: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let magentoClient: MagentoClient;
  let config: Config;

  before(async () => {
    const [stack, scratch] = await Promise.all([startDemoStack({ code: CHANNEL }), createScratchDatabase()]);
    ({ magento, odoo: odooSandbox } = stack);
    db = scratch;
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(stack.channel.odoo);
    magentoClient = new MagentoClient(stack.channel.magento);
  });
  after(async () => {
    await Promise.all([magento?.close(), odooSandbox?.close()]);
    await db?.drop();
  });

  async function replay(body: Json): Promise<number> {
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { entity_id: number }).entity_id;
  }
  async function shipAll(odooOrderId: number): Promise<void> {
    const picking = (await odoo.listPickings(odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await odoo.listMoves(picking.id);
    await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
  }

  test('oca orders/9 (configurable + simple, 8.25% tax, check/money order): import → ship → invoice → credit memo, Magento\'s documents and totals as 2.4.7 makes them', async (t) => {
    const body = recorded('oca-connector-magento_GET_V1_orders_9.json');
    // a guest (its customer does not exist in this sandbox), under an increment id of its own
    Object.assign(body, { increment_id: '900000009', customer_is_guest: 1, customer_id: undefined });
    const asRecorded = JSON.parse(JSON.stringify(body)) as Json;
    // As an Odoo admin sets the shop up: the products and the "Best Way" carrier.
    for (const sku of ['MH09-XS-Blue', 'RACER']) await odoo.create('product.product', [{ name: sku, default_code: sku, type: 'consu', is_storable: true, invoice_policy: 'order' }]);
    const [shippingProduct] = await odoo.create('product.product', [{ name: 'Best Way', type: 'service', taxes_id: [[6, 0, []]] }]);
    await odoo.create('delivery.carrier' as never, [{ name: 'Best Way', product_id: shippingProduct, delivery_type: 'fixed' }]);
    const entityId = await replay(body);
    assert.deepEqual(await magentoClient.orders.get(entityId).then((o) => JSON.parse(JSON.stringify(o)) as Json), JSON.parse(JSON.stringify({ ...asRecorded, entity_id: entityId })), 'served unchanged before anything happens');

    const imported = await acts.importOrder({ channel: CHANNEL, incrementId: '900000009' });
    assert.equal(imported.outcome, 'imported');
    assert.equal(imported.paymentKind, 'offline');
    const r = { channel: CHANNEL, incrementId: '900000009', magentoOrderId: entityId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    const [so] = await odoo.read('sale.order', [r.odooOrderId], ['amount_total']);
    assert.equal(Number(so?.amount_total).toFixed(2), '396.87');

    // ship: the configurable is shipped by its parent row, its child follows
    await shipAll(r.odooOrderId);
    const shipped = await acts.syncShipments(r);
    assert.equal(shipped.created.length, 1);
    assert.equal(shipped.fullyShipped, true);
    const afterShip = await magentoClient.orders.get(entityId);
    assert.deepEqual(afterShip.items.map((i) => [i.item_id, i.qty_shipped]), [[16, 2], [17, 2], [18, 1]]);
    assert.deepEqual([afterShip.state, afterShip.status], ['processing', 'processing']);
    const [shipment] = await magentoClient.shipments.forOrder(entityId);
    assert.deepEqual(shipment?.items.map((i) => [i.order_item_id, i.qty]), [[16, 2], [18, 1]]);
    assert.equal((await acts.syncShipments(r)).created.length, 0, 'a second run ships nothing');

    // invoice: the user invoices in Odoo; the connector pushes it
    assert.deepEqual((await acts.syncInvoices(r)).actions, [], 'the "odoo" policy: no invoice from the connector');
    const [draft] = await odoo.invoiceSaleOrder(r.odooOrderId);
    await odoo.postMove(draft!);
    const invoiced = await acts.syncInvoices(r);
    assert.ok(invoiced.actions.some((a) => /to Magento as invoice/.test(a)), invoiced.actions.join(' | '));
    const [invoice, ...more] = await magentoClient.invoices.forOrder(entityId);
    assert.equal(more.length, 0);
    assert.deepEqual([invoice?.grand_total, invoice?.subtotal, invoice?.tax_amount, invoice?.shipping_amount], [396.87, 362, 29.87, 5]);
    const afterInvoice = await magentoClient.orders.get(entityId);
    assert.deepEqual([afterInvoice.state, afterInvoice.total_invoiced, afterInvoice.total_paid, afterInvoice.total_due], ['complete', 396.87, 396.87, 0]);
    assert.deepEqual(afterInvoice.items.map((i) => [i.item_id, i.qty_invoiced]), [[16, 2], [17, 2], [18, 1]]);
    assert.deepEqual((await acts.syncInvoices(r)).actions, [], 'a second run writes nothing');
    assert.equal((await magentoClient.invoices.forOrder(entityId)).length, 1);

    // credit memo: the merchant refunds one of the two configurable units in Magento
    const memoId = await magentoClient.invoices.refund(invoice!.entity_id, { items: [{ orderItemId: 16, qty: 1 }], shippingAmount: 0 });
    const memo = await magentoClient.creditmemos.get(memoId);
    assert.deepEqual([memo.grand_total, memo.subtotal, memo.tax_amount], [74.7, 69, 5.7], 'one unit: 69 plus half the row tax 11.39 rounded half up (5.70; the last unit takes 5.69)');
    // The shop books Magento's rounding on a product of its own (orders.roundingSku), as for imports.
    await odoo.create('product.product', [{ name: 'Rounding difference', default_code: 'ROUNDING', type: 'service', taxes_id: [[6, 0, []]] }]);
    config.channels[0]!.orders.roundingSku = 'ROUNDING';
    const refunded = await acts.syncCreditMemos(r);
    assert.ok(refunded.actions.length > 0, 'mirrored to Odoo');
    const [order] = await odoo.read('sale.order', [r.odooOrderId], ['invoice_ids']);
    const notes = (await odoo.readMoves(order!.invoice_ids as number[])).filter((m) => m.move_type === 'out_refund' && m.state === 'posted');
    // Odoo taxes the refunded line on its own (69 × 8.25% = 5.69), Magento gives it half the
    // row's tax (5.70): the cent goes on the shop's rounding product.
    assert.deepEqual(notes.map((m) => Number(m.amount_total).toFixed(2)), ['74.70'], 'the Odoo credit note = the Magento credit memo, to the cent');
    const afterRefund = await magentoClient.orders.get(entityId);
    assert.deepEqual([afterRefund.state, afterRefund.total_refunded, afterRefund.total_offline_refunded], ['complete', 74.7, 74.7], 'partly refunded: still complete');
    assert.equal((await acts.syncCreditMemos(r)).actions.filter((a) => !/^Waiting/.test(a)).length, 0, 'a second run writes nothing');

    // what the recorded body said and nobody touched is still there
    for (const field of ['protect_code', 'quote_id', 'applied_rule_ids', 'shipping_description', 'customer_email', 'grand_total', 'tax_amount']) assert.deepEqual(afterRefund[field], asRecorded[field], field);
    t.diagnostic(`900000009: Odoo ${Number(so?.amount_total).toFixed(2)} vs Magento 396.87; invoice ${invoice?.grand_total}; credit memo ${memo.grand_total} vs Odoo credit note ${notes[0]?.amount_total}`);
  });
  test('oca orders/16 (a configurable): the 2.4.7 refusals on a verbatim order (a held order, a dummy row named alone), then a cancel through the connector', async () => {
    const body = recorded('oca-connector-magento_GET_V1_orders_16_guest.json');
    Object.assign(body, { increment_id: '900000016' });
    const entityId = await replay(body);
    assert.equal(await magentoClient.orders.hold(entityId), true);
    await assert.rejects(magentoClient.orders.invoice(entityId, { capture: false }), /An invoice cannot be created when an order has a status of holded/);
    assert.equal(await magentoClient.orders.unhold(entityId), true);
    assert.deepEqual(await magentoClient.orders.get(entityId).then((o) => [o.state, o.status]), ['new', 'pending'], 'back to what it was');
    // the configurable's child row only follows its parent: naming it alone invoices nothing
    await assert.rejects(magentoClient.orders.invoice(entityId, { capture: false, items: [{ orderItemId: 33, qty: 1 }] }), /You can't create an invoice without products/);
    const verdict = await acts.cancelOrder({ channel: CHANNEL, incrementId: '900000016', magentoOrderId: entityId, reason: 'customer changed their mind' });
    assert.deepEqual([verdict.accepted, verdict.outcome], [true, 'canceled'], verdict.detail);
    const canceled = await magentoClient.orders.get(entityId);
    assert.deepEqual([canceled.state, canceled.status, canceled.total_canceled], ['canceled', 'canceled', 54]);
    assert.deepEqual(canceled.items.map((i) => [i.item_id, i.qty_canceled]), [[32, 1], [33, 1]]);
    assert.deepEqual((await acts.cancelOrder({ channel: CHANNEL, incrementId: '900000016', magentoOrderId: entityId, reason: 'again' })).outcome, 'canceled', 'a second cancel finds it done');
  });
});

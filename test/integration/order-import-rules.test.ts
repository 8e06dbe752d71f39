import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import type { ImportResult } from '../../activities/orders/contracts';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import type { MagentoSandbox, OrderSpec } from '../../sandbox/magento';
import { startDemoStack } from '../../sandbox/demo-stack';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import type { Json } from '../../sandbox/magento/state';
import { createScratchDatabase } from '../support/database';
import { failureOf } from '../support/activity-failure';

// Issue 10, classes 3 (paid state), 4 (offline invoicing policy) and 8 (bad orders) on the
// sandboxes over HTTP, the activities called directly.

const CHANNEL = 'rules';

describe('order import rules: paid state, offline invoicing policy, bad orders', () => {
  let magento: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let magentoClient: MagentoClient;
  let config: Config;
  let seq = 0;

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

  const orders = () => config.channels[0]!.orders;
  const ref = (incrementId: string) => ({ channel: CHANNEL, incrementId });
  const place = (spec: OrderSpec = {}) => magento.createOrder({ guest: true, shippingMethod: 'flatrate_flatrate', lines: [{ sku: 'GEAR-0001', qty: 1 }], ...spec }) as Json & { entity_id: number; increment_id: string };
  async function verbatim(change: (o: Json) => void, spec: OrderSpec = {}): Promise<string> {
    const body = JSON.parse(JSON.stringify(place(spec))) as Json;
    body.increment_id = `8${String(++seq).padStart(8, '0')}`;
    change(body);
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    return String(body.increment_id);
  }
  async function importConfirm(incrementId: string): Promise<ImportResult & { r: { channel: string; incrementId: string; magentoOrderId: number; odooOrderId: number } }> {
    const imported = await acts.importOrder(ref(incrementId));
    const r = { ...ref(incrementId), magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    return { ...imported, r };
  }
  const odooInvoices = async (odooOrderId: number) => odoo.readMoves((await odoo.readSaleOrder(odooOrderId))!.invoice_ids);

  test('class 8: bad orders park naming the order, the record and the field; nothing is written to Odoo', async () => {
    const creates = () => odooSandbox.counters.any('sale.order.create', 'sale.order.web_save', 'res.partner.create', 'res.partner.web_save');
    const before = creates();
    const cases: Array<[(o: Json) => void, RegExp]> = [
      [(o) => { (o.items as Json[])[0]!.qty_ordered = 0; }, /items\[0\]\.qty_ordered is 0/],
      [(o) => { o.items = []; }, /items: the order has no items/],
      [(o) => { o.shipping_amount = -5; }, /shipping_amount is -5/],
      [(o) => { (o.billing_address as Json).firstname = 'x'.repeat(200_000); }, /billing_address\.firstname is 200000 characters long/],
      [(o) => { o.customer_email = 'nobody-at-example.com'; }, /customer_email "nobody-at-example.com" is not an e-mail address/],
    ];
    for (const [change, expected] of cases) {
      const incrementId = await verbatim(change);
      const failure = await failureOf(acts.importOrder(ref(incrementId)));
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, 'InvalidOrder');
      assert.match(failure.message, new RegExp(`^order ${incrementId}: `));
      assert.match(failure.message, expected);
    }
    assert.equal(creates(), before, 'no partner, no quotation');
  });

  test('class 5: held, complete and closed orders are imported with the default importStatuses; canceled ones never; pending_payment waits', async () => {
    assert.deepEqual(orders().importStatuses, ['pending', 'processing']);
    for (const [state, status] of [['holded', 'holded'], ['complete', 'complete'], ['closed', 'closed']] as const) {
      const incrementId = await verbatim((o) => Object.assign(o, { state, status }));
      const imported = await acts.importOrder(ref(incrementId));
      assert.equal(imported.outcome, 'imported', `${status} is imported`);
      assert.equal(imported.magentoStatus, status);
    }
    const creates = odooSandbox.counters.any('sale.order.create', 'sale.order.web_save');
    const canceled = await verbatim((o) => Object.assign(o, { state: 'canceled', status: 'canceled' }));
    assert.equal((await acts.importOrder(ref(canceled))).outcome, 'canceled_before_import');
    const waiting = await verbatim((o) => Object.assign(o, { state: 'pending_payment', status: 'pending_payment' }));
    assert.equal((await acts.importOrder(ref(waiting))).outcome, 'not_importable');
    assert.equal(odooSandbox.counters.any('sale.order.create', 'sale.order.web_save'), creates);
  });

  test('class 7: the PO number is the customer reference; customer note, PO number, gift messages and visible comments reach the Odoo order note; found again without a binding', async () => {
    const incrementId = await verbatim((o) => {
      o.customer_note = 'Please ring twice';
      Object.assign(o.payment as Json, { po_number: 'PO-2024-117' });
      o.extension_attributes = { ...(o.extension_attributes as Json), gift_message: { sender: 'Ann', recipient: 'Bob', message: 'Happy birthday!' } };
      (o.items as Json[])[0]!.extension_attributes = { gift_message: { sender: null, recipient: null, message: 'Wrap it in blue' } };
      o.status_histories = [
        { comment: 'We will ship on Monday', created_at: '2026-01-02 10:00:00', entity_name: 'order', is_customer_notified: 1, is_visible_on_front: 1, parent_id: o.entity_id, status: 'pending' },
        { comment: 'internal: fraud check passed', created_at: '2026-01-02 09:00:00', entity_name: 'order', is_customer_notified: 0, is_visible_on_front: 0, parent_id: o.entity_id, status: 'pending' },
      ];
    });
    const imported = await acts.importOrder(ref(incrementId));
    const [so] = await odoo.read('sale.order', [imported.odooOrderId!], ['note', 'client_order_ref']);
    const note = String(so?.note);
    assert.equal(so?.client_order_ref, 'PO-2024-117', 'the customer reference is the purchase order number');
    for (const expected of ['Customer note: Please ring twice', 'Purchase order number: PO-2024-117', 'Gift message from Ann to Bob: Happy birthday!', 'Gift message for GEAR-0001: Wrap it in blue', 'We will ship on Monday']) {
      assert.ok(note.includes(expected), `${expected} in ${note}`);
    }
    assert.ok(!note.includes('fraud'), 'comments the customer never saw stay in Magento');
    // The order is found by its origin, not by the customer reference: a lost binding does not
    // make a second sale order.
    await db.pool.query("DELETE FROM bindings WHERE kind = 'order' AND magento_key = $1", [incrementId]);
    const creates = odooSandbox.counters.any('sale.order.create', 'sale.order.web_save');
    const again = await acts.importOrder(ref(incrementId));
    assert.deepEqual([again.outcome, again.odooOrderId], ['already_imported', imported.odooOrderId]);
    assert.equal(odooSandbox.counters.any('sale.order.create', 'sale.order.web_save'), creates);
  });

  test('class 3: an unknown method parks naming it; mapped per channel it imports with that kind', async () => {
    const incrementId = await verbatim((o) => { (o.payment as Json).method = 'bitcoin'; });
    const failure = await failureOf(acts.importOrder(ref(incrementId)));
    assert.equal(failure.type, 'UnmappedPaymentMethod');
    assert.match(failure.message, new RegExp(`^order ${incrementId}: payment.method "bitcoin" is not a Magento core method`));
    orders().paymentMethods = { bitcoin: { kind: 'offline', journal: 6 } };
    const imported = await acts.importOrder(ref(incrementId));
    assert.equal(imported.outcome, 'imported');
    assert.equal(imported.paymentKind, 'offline');
    orders().paymentMethods = {};
  });

  test('class 3: an offline order Magento invoiced and shows paid gets a posted, paid Odoo invoice (memo with the transaction id)', async () => {
    const placed = place({ paymentMethod: 'cashondelivery' });
    magento.state.order(placed.entity_id)!.payment.last_trans_id = 'COD-4711';
    await magentoClient.orders.invoice(placed.entity_id, { capture: false });
    const paidInMagento = await magentoClient.orders.get(placed.entity_id);
    assert.equal(paidInMagento.total_paid, paidInMagento.grand_total, 'Magento shows it paid');
    const { r } = await importConfirm(placed.increment_id);
    const result = await acts.syncInvoices(r);
    const [move] = await odooInvoices(r.odooOrderId);
    assert.equal(move?.state, 'posted');
    assert.equal(move?.payment_state, 'paid', result.actions.join(' | '));
    assert.ok(result.actions.some((a) => /registered payment .*transaction COD-4711/.test(a)), result.actions.join(' | '));
    assert.equal((await magentoClient.invoices.forOrder(placed.entity_id)).length, 1, 'no second Magento invoice');
    assert.equal(result.settled, true);
  });

  test('class 4 "odoo" (default): the connector does not invoice; the invoice the user posts in Odoo reaches Magento', async () => {
    assert.equal(orders().offlineInvoicing, 'odoo');
    const placed = place({ paymentMethod: 'checkmo' });
    const { r } = await importConfirm(placed.increment_id);
    assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: false });
    assert.equal((await odooInvoices(r.odooOrderId)).length, 0, 'no invoice made by the connector');
    const [draft] = await odoo.invoiceSaleOrder(r.odooOrderId);
    assert.deepEqual((await acts.syncInvoices(r)).actions, [], 'the user\'s draft is left alone');
    await odoo.postMove(draft!);
    const pushed = await acts.syncInvoices(r);
    assert.ok(pushed.actions.some((a) => /to Magento as invoice/.test(a)), pushed.actions.join(' | '));
    assert.equal((await magentoClient.invoices.forOrder(placed.entity_id)).length, 1);
  });

  test('class 4 "on_delivery": invoiced by the connector once goods are delivered, not at confirm', async () => {
    orders().offlineInvoicing = 'on_delivery';
    try {
      const placed = place({ paymentMethod: 'banktransfer' });
      const { r } = await importConfirm(placed.increment_id);
      assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: false });
      const picking = (await odoo.listPickings(r.odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
      const moves = await odoo.listMoves(picking.id);
      await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
      const after = await acts.syncInvoices(r);
      assert.ok(after.actions.some((a) => /created Odoo invoice .*on_delivery/.test(a)), after.actions.join(' | '));
      assert.equal((await magentoClient.invoices.forOrder(placed.entity_id)).length, 1);
    } finally {
      orders().offlineInvoicing = 'odoo';
    }
  });

  test('class 4 "on_confirm": invoiced by the connector at once', async () => {
    orders().offlineInvoicing = 'on_confirm';
    try {
      const placed = place({ paymentMethod: 'checkmo' });
      const { r } = await importConfirm(placed.increment_id);
      const result = await acts.syncInvoices(r);
      assert.ok(result.actions.some((a) => /created Odoo invoice .*on_confirm/.test(a)), result.actions.join(' | '));
    } finally {
      orders().offlineInvoicing = 'odoo';
    }
  });
  // Cancel after a Magento invoice: refunded online (through the gateway) or offline by the same
  // money-based decision as import and the invoice sync (payment-state.ts), not the method's name.
  async function cancelAfterCapture(method: string, payment: Json = {}): Promise<{ incrementId: string; order: Awaited<ReturnType<MagentoClient['orders']['get']>> }> {
    const placed = place({ paymentMethod: 'checkmo' });
    Object.assign(magento.state.order(placed.entity_id)!.payment, { method, last_trans_id: `TX-${placed.increment_id}`, ...payment });
    // capture: the invoice carries the transaction id, which is what an online refund needs
    await magentoClient.orders.invoice(placed.entity_id, { capture: true });
    const verdict = await acts.cancelOrder({ ...ref(placed.increment_id), magentoOrderId: placed.entity_id, reason: 'out of stock' });
    assert.equal(verdict.outcome, 'credit_memo', verdict.detail);
    return { incrementId: placed.increment_id, order: await magentoClient.orders.get(placed.entity_id) };
  }
  const refundedHow = (o: { total_online_refunded?: number | null; total_offline_refunded?: number | null; grand_total: number | null }) =>
    ({ online: Number(o.total_online_refunded ?? 0).toFixed(2), offline: Number(o.total_offline_refunded ?? 0).toFixed(2), grand: Number(o.grand_total).toFixed(2) });

  test('class 3, cancel: an offline-method order Magento shows paid is refunded offline; gateway money on an offline code is refunded online', async () => {
    const cod = await cancelAfterCapture('cashondelivery');
    const how = refundedHow(cod.order);
    assert.deepEqual([how.online, how.offline], ['0.00', how.grand], 'cash on delivery marked paid: an offline credit memo');
    // A store that put a gateway behind the "checkmo" code: Magento's money says online.
    const gateway = refundedHow((await cancelAfterCapture('checkmo', { base_amount_paid_online: 20 })).order);
    assert.deepEqual([gateway.online, gateway.offline], [gateway.grand, '0.00'], 'paid online at checkout: refunded through the gateway');
  });

  test('class 3, cancel: an unknown method is refunded as the channel maps it; unmapped, the cancel parks naming the order and the method', async () => {
    orders().paymentMethods = { bitcoin: { kind: 'offline' }, mygateway: { kind: 'online' } };
    try {
      const offline = refundedHow((await cancelAfterCapture('bitcoin')).order);
      assert.deepEqual([offline.online, offline.offline], ['0.00', offline.grand], 'bitcoin mapped offline: an offline credit memo, though the invoice has a transaction id');
      const online = refundedHow((await cancelAfterCapture('mygateway')).order);
      assert.deepEqual([online.online, online.offline], [online.grand, '0.00'], 'mapped online: through the gateway');
    } finally {
      orders().paymentMethods = {};
    }
    const placed = place({ paymentMethod: 'checkmo' });
    magento.state.order(placed.entity_id)!.payment.method = 'dogecoin';
    await magentoClient.orders.invoice(placed.entity_id, { capture: false });
    const failure = await failureOf(acts.cancelOrder({ ...ref(placed.increment_id), magentoOrderId: placed.entity_id, reason: 'out of stock' }));
    assert.equal(failure.type, 'UnmappedPaymentMethod');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, new RegExp(`^order ${placed.increment_id}: payment.method "dogecoin"`));
    assert.equal((await magentoClient.creditmemos.forOrder(placed.entity_id)).length, 0, 'nothing refunded');
    assert.notEqual((await magentoClient.orders.get(placed.entity_id)).state, 'canceled');
    // Nothing invoiced: a plain cancel needs no payment decision, so an unmapped method does not block it.
    const plain = place({ paymentMethod: 'checkmo' });
    magento.state.order(plain.entity_id)!.payment.method = 'dogecoin';
    assert.equal((await acts.cancelOrder({ ...ref(plain.increment_id), magentoOrderId: plain.entity_id, reason: 'changed mind' })).outcome, 'canceled');
  });
});

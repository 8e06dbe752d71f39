// The real-Odoo tier, order side: whole order lifecycles on the real worker and Temporal dev
// server against a real Odoo (18 over JSON-RPC, 19 over JSON-2) and the Magento sandbox. The test
// plays the warehouse and the accountant in Odoo and the customer in Magento.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderSpec } from '../../sandbox/magento';
import { bulkSync } from '../../workflows/bulkSync';
import { cancelUpdate, magentoChangedSignal, odooProgressSignal, statusQuery } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { placeOrder, realTier, startRealOdooConnector, type OrderHandle, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('order lifecycles');
const WORLD = { simpleProducts: 12, configurableProducts: 2, customers: 4 };
// Guests check out from Austin, Texas: 8.25% US tax, which a US company invoices.
const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate' } as const;

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  const channel = `ro${process.pid}`;

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: WORLD, channel: { orders: { followUpDays: 0 } } });
    // As a merchant would: reference data first (the 8.25% tax, carriers, payment journals).
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'checkmo' });
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'braintree' });
    await c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-ref-${channel}`, args: [{ channel, stream: 'reference' }] });
  });
  after(async () => c?.stop());

  const importOrder = (spec: OrderSpec) => placeOrder(c, channel, spec);
  const fulfilling = (handle: OrderHandle) => untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling', 120_000);
  /** the warehouse validates the open delivery (all, or `part` of each move) through Odoo's own wizards */
  async function ship(odooOrderId: number, options: { part?: number; tracking?: string } = {}): Promise<void> {
    const picking = (await c.odoo.listPickings(odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await c.odoo.listMoves(picking.id);
    if (options.tracking) await c.odoo.setTrackingRef(picking.id, options.tracking);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, options.part ?? m.product_uom_qty])) });
  }
  const invoicesOf = (orderName: string, type = 'out_invoice') =>
    c.odoo.searchRead('account.move', [['invoice_origin', '=', orderName], ['move_type', '=', type]], { fields: ['state', 'payment_state', 'amount_total', 'amount_residual'], order: 'id asc' });
  async function totalsAgree(odooOrderId: number, entityId: number): Promise<void> {
    const [so] = await c.odoo.read('sale.order', [odooOrderId], ['amount_total', 'currency_id']);
    const mo = await c.magento.orders.get(entityId);
    assert.equal(Number(so?.amount_total).toFixed(2), Number(mo.grand_total).toFixed(2), 'Odoo total = Magento grand total');
  }

  test('online order, several lines with a configurable child: imported, shipped with tracking, invoice and payment imported, complete', async () => {
    const tee = c.seeded.world.products.find((p) => p.kind === 'configurable')!.variants[0]!.sku;
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0001', qty: 2 }, { sku: tee, qty: 1 }] });
    const f = await fulfilling(handle);
    assert.equal(f.paymentKind, 'online');
    await totalsAgree(f.odooOrderId!, entityId);
    const lines = await c.odoo.searchRead('sale.order.line', [['order_id', '=', f.odooOrderId!], ['display_type', '=', false]], { fields: ['product_id', 'product_uom_qty'] });
    assert.equal(lines.filter((l) => !l.product_id || !String((l.product_id as [number, string])[1]).includes('Flat Rate')).length, 2, 'two product lines');
    // The API user follows none of what the import made (Odoo subscribes a record's creator otherwise).
    const [user] = await c.odoo.read('res.users', [(await c.odoo.whoAmI()).uid], ['partner_id']);
    const apiPartner = (user!.partner_id as [number, string])[0];
    const [so] = await c.odoo.read('sale.order', [f.odooOrderId!], ['message_partner_ids', 'partner_id', 'picking_ids']);
    const customerId = (so!.partner_id as [number, string])[0];
    const [customer] = await c.odoo.read('res.partner', [customerId], ['message_partner_ids']);
    const [delivery] = await c.odoo.read('stock.picking', so!.picking_ids as number[], ['message_partner_ids']);
    assert.deepEqual(
      [so, customer, delivery].map((r) => (r!.message_partner_ids as number[]).includes(apiPartner)),
      [false, false, false],
      'the API user follows neither the order, the customer nor the delivery',
    );

    await ship(f.odooOrderId!, { tracking: '1Z999AA10123456784' });
    await handle.signal(odooProgressSignal, {});
    const done = await handle.result();
    assert.equal(done.phase, 'complete');
    const shipments = await c.magento.shipments.forOrder(entityId);
    assert.equal(shipments.length, 1);
    assert.equal(shipments[0]?.tracks?.[0]?.track_number, '1Z999AA10123456784');
    const invoices = await invoicesOf(f.odooOrderName!);
    assert.deepEqual(invoices.map((i) => i.state), ['posted']);
    assert.match(String(invoices[0]?.payment_state), /paid|in_payment/);
  });

  test('offline order: invoiced and paid in Odoo, the invoice reaches Magento, complete once paid', async () => {
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0002' }] });
    const f = await fulfilling(handle);
    assert.equal(f.paymentKind, 'offline');
    await totalsAgree(f.odooOrderId!, entityId);
    await ship(f.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'shipped', (s) => s.shipmentsPushed.length === 1, 120_000);
    // The accountant invoices the order in Odoo unless the connector's policy already did.
    let [invoice] = await invoicesOf(f.odooOrderName!);
    if (!invoice) {
      const [draft] = await c.odoo.invoiceSaleOrder(f.odooOrderId!);
      await c.odoo.postMove(draft!);
      await handle.signal(odooProgressSignal, {});
      [invoice] = await invoicesOf(f.odooOrderName!);
    }
    await untilStatus(handle, 'invoice pushed', (s) => s.invoiceActions.some((a) => /pushed/.test(a)), 120_000);
    assert.equal((await c.magento.invoices.forOrder(entityId)).length, 1);
    assert.notEqual((await handle.query(statusQuery)).phase, 'complete', 'not complete before the money is in');

    const [journal] = await c.odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
    const moveId = (await c.odoo.searchRead('account.move', [['invoice_origin', '=', f.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id'] }))[0]!.id;
    await c.odoo.registerPayment(moveId, { journalId: journal!.id, memo: 'cheque received' });
    await handle.signal(odooProgressSignal, { model: 'account.move', id: moveId });
    assert.equal((await handle.result()).phase, 'complete');
    assert.equal((await c.magento.invoices.forOrder(entityId)).length, 1, 'still one Magento invoice');
    assert.ok(invoice);
  });

  test('a partial delivery through the backorder wizard becomes a partial shipment, then the rest', async () => {
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0004', qty: 3 }] });
    const f = await fulfilling(handle);
    await ship(f.odooOrderId!, { part: 1 });
    const pickings = await c.odoo.listPickings(f.odooOrderId!);
    assert.deepEqual(pickings.map((p) => p.state).sort(), ['assigned', 'done'], 'Odoo kept the rest as a backorder');
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'first shipment', (s) => s.shipmentsPushed.length === 1, 120_000);
    assert.deepEqual((await c.magento.shipments.forOrder(entityId)).map((s) => s.total_qty), [1]);

    await ship(f.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    assert.equal((await handle.result()).phase, 'complete');
    assert.deepEqual((await c.magento.shipments.forOrder(entityId)).map((s) => s.total_qty).sort(), [1, 2]);
  });

  test('cancel before shipment is accepted; after shipment refused; after the invoice a credit memo', async () => {
    // GEAR-0003 is invoiced on delivery: nothing is invoiceable before it ships.
    const early = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0003' }] });
    const fe = await fulfilling(early.handle);
    const canceled = await early.handle.executeUpdate(cancelUpdate, { args: [{ reason: 'customer changed their mind' }] });
    assert.deepEqual([canceled.accepted, canceled.outcome], [true, 'canceled']);
    assert.equal((await early.handle.result()).phase, 'canceled');
    assert.equal((await c.odoo.readSaleOrder(fe.odooOrderId!))?.state, 'cancel');
    assert.equal((await c.magento.orders.get(early.entityId)).status, 'canceled');

    const late = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0005' }] });
    const fl = await fulfilling(late.handle);
    await ship(fl.odooOrderId!);
    await late.handle.signal(odooProgressSignal, {});
    await untilStatus(late.handle, 'shipped', (s) => s.shipmentsPushed.length === 1, 120_000);
    const refused = await late.handle.executeUpdate(cancelUpdate, { args: [{ reason: 'too late' }] });
    assert.deepEqual([refused.accepted, refused.outcome], [false, 'refused']);
    assert.equal((await c.odoo.readSaleOrder(fl.odooOrderId!))?.state, 'sale', 'Odoo order untouched');
    await late.handle.terminate('test over');

    const paid = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0007' }] });
    const fp = await untilStatus(paid.handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0, 120_000);
    const memo = await paid.handle.executeUpdate(cancelUpdate, { args: [{ reason: 'out of stock' }] });
    assert.deepEqual([memo.accepted, memo.outcome], [true, 'credit_memo']);
    assert.equal((await paid.handle.result()).phase, 'refunded');
    assert.equal((await c.magento.creditmemos.forOrder(paid.entityId)).length, 1);
    assert.deepEqual((await invoicesOf(fp.odooOrderName!, 'out_refund')).map((r) => r.state), ['posted']);
  });

  test('credit memos both ways: a Magento credit memo becomes an Odoo credit note; an Odoo credit note a Magento credit memo', async () => {
    // Magento refunds one of three items (and the shipping) before anything shipped.
    const first = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0008', qty: 3 }] });
    const f1 = await untilStatus(first.handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0, 120_000);
    const item = (await c.magento.orders.get(first.entityId)).items.find((i) => i.sku === 'GEAR-0008')!;
    const memoId = await c.magento.orders.refund(first.entityId, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 5 });
    const memo = await c.magento.creditmemos.get(memoId);
    await first.handle.signal(magentoChangedSignal, { status: 'processing' });
    await untilStatus(first.handle, 'credit note', (s) => s.creditMemoActions.some((a) => a.includes('→ Odoo credit note')), 120_000);
    const notes = await c.odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['ref', 'ilike', `(magento creditmemo ${memoId})`]], { fields: ['state', 'amount_total'] });
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.state, 'posted');
    assert.equal(Number(notes[0]?.amount_total).toFixed(2), Number(memo.grand_total).toFixed(2));
    // Real Odoo lowers the line and its pending delivery: two left to ship, none to invoice again.
    const [line] = await c.odoo.searchRead('sale.order.line', [['order_id', '=', f1.odooOrderId!], ['product_id.default_code', '=', 'GEAR-0008']], { fields: ['product_uom_qty'] });
    assert.equal(line?.product_uom_qty, 2);
    await ship(f1.odooOrderId!);
    await first.handle.signal(odooProgressSignal, {});
    assert.equal((await first.handle.result()).phase, 'complete');
    assert.deepEqual((await c.magento.shipments.forOrder(first.entityId)).map((s) => s.total_qty), [2]);
    assert.equal((await invoicesOf(f1.odooOrderName!)).length, 1, 'not invoiced again');

    // The accountant refunds a whole online invoice in Odoo by hand (GEAR-0011 is invoiced on order).
    const second = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0011' }] });
    const f2 = await untilStatus(second.handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0, 120_000);
    const [invoice] = await c.odoo.searchRead('account.move', [['invoice_origin', '=', f2.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id', 'amount_total'] });
    const [sales] = await c.odoo.searchRead('account.journal', [['type', '=', 'sale']], { fields: ['id'], limit: 1 });
    const noteId = await c.odoo.createCreditNote(invoice!.id, { journalId: sales!.id, reason: 'damaged in transit' });
    await c.odoo.postMove(noteId);
    await second.handle.signal(odooProgressSignal, { model: 'account.move', id: noteId });
    await untilStatus(second.handle, 'Magento credit memo', (s) => s.creditMemoActions.some((a) => /Magento credit memo/i.test(a)), 120_000);
    const memos = await c.magento.creditmemos.forOrder(second.entityId);
    assert.equal(memos.length, 1);
    assert.equal(Number(memos[0]?.grand_total).toFixed(2), Number(invoice!.amount_total).toFixed(2));
    await second.handle.terminate('test over');
  });
});

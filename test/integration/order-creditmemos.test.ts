import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import type { OdooOrderRef } from '../../activities/orders/contracts';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import type { MagentoSandbox, OrderSpec } from '../../sandbox/magento';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import { createScratchDatabase } from '../support/database';
import { failureOf } from '../support/activity-failure';

// syncCreditMemos against both sandboxes over real HTTP and a real PostgreSQL, called directly.
// Refunds are made the way merchants make them: a Magento credit memo through the REST refund,
// an Odoo credit note through the reversal wizard or with explicit lines. Sandbox counters prove
// "written once".

const CHANNEL = 'shop';
const OFF = 'shop-no-refunds';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 0.01 + 1e-9, `${what}: ${a} vs ${b}`);

for (const { version, flavour } of [{ version: 18, flavour: 'jsonrpc' }, { version: 19, flavour: 'json2' }] as const) describe(`credit memos between the Magento sandbox and an Odoo ${version}.0 sandbox over ${flavour}`, () => {
  let magentoSandbox: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let magento: MagentoClient;
  let config: Config;

  before(async () => {
    let stack: DemoStack;
    [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, flavour, channel: { orders: { offlineInvoicing: 'on_confirm' } } }), createScratchDatabase()]);
    ({ magento: magentoSandbox, odoo: odooSandbox } = stack);
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(
      { ...stack.channel, orders: { ...stack.channel.orders, syncRefunds: true } },
      { ...stack.channel, code: OFF, orders: { ...stack.channel.orders, syncRefunds: false } },
    );
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(config.channels[0]!.odoo);
    magento = new MagentoClient(config.channels[0]!.magento);
  });
  after(async () => {
    await Promise.all([magentoSandbox?.close(), odooSandbox?.close()]);
    await db?.drop();
  });

  const odooCalls = (key: string) => odooSandbox.counters.get(key);
  const magentoCalls = (key: string) => magentoSandbox.counters.get(key);
  // Every write either direction can make; equal before and after means "wrote nothing".
  const writes = () => [
    odooCalls('account.move.create'), odooCalls('account.move.reversal.create'), odooCalls('account.move.action_post'),
    magentoCalls('POST /V1/order/:orderId/refund'), magentoCalls('POST /V1/invoice/:invoiceId/refund'),
  ];
  async function bindingCount(): Promise<number> {
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM bindings WHERE kind = 'creditmemo'");
    return Number(rows[0]?.n);
  }

  /** An offline order imported, confirmed, invoiced in Odoo and pushed to Magento (paid there). */
  async function invoicedOrder(spec: OrderSpec, channel = CHANNEL) {
    const placed = magentoSandbox.createOrder(spec) as { entity_id: number; increment_id: string; grand_total: number };
    const imported = await acts.importOrder({ channel, incrementId: placed.increment_id });
    const ref: OdooOrderRef = { channel, incrementId: placed.increment_id, magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(ref);
    await acts.syncInvoices(ref);
    const order = await odoo.readSaleOrder(ref.odooOrderId);
    const [invoice] = (await odoo.readMoves(order!.invoice_ids)).filter((m) => m.move_type === 'out_invoice');
    assert.equal(invoice?.state, 'posted');
    return { placed, ref, invoice: invoice!, items: magentoSandbox.state.order(placed.entity_id)!.items };
  }
  async function creditNotes(invoiceId: number) {
    return odoo.searchRead('account.move', [['reversed_entry_id', '=', invoiceId], ['move_type', '=', 'out_refund']], { fields: ['name', 'state', 'amount_total', 'ref'], order: 'id asc' });
  }
  const magentoMemos = (orderId: number) => magentoSandbox.state.creditmemos.filter((c) => c.order_id === orderId);

  test('a full Magento credit memo becomes the full reversal of the Odoo invoice, posted; a second run writes nothing', async () => {
    const { placed, ref, invoice } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const memoId = await magento.orders.refund(placed.entity_id, { items: [] });
    const reversals = odooCalls('account.move.reversal.create');

    const first = await acts.syncCreditMemos(ref);
    assert.equal(odooCalls('account.move.reversal.create'), reversals + 1, 'through the reversal wizard');
    const notes = await creditNotes(invoice.id);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.state, 'posted');
    close(Number(notes[0]?.amount_total), invoice.amount_total, 'credit note = invoice');
    close(Number(notes[0]?.amount_total), placed.grand_total, 'credit note = Magento grand total');
    assert.match(String(notes[0]?.ref), new RegExp(`\\(magento creditmemo ${memoId}\\)`));
    assert.ok(first.actions.some((a) => a.includes('full reversal')), first.actions.join(' | '));
    assert.equal(first.fullyRefunded, true);
    assert.equal(await bindingCount(), 1);

    const before = writes();
    const again = await acts.syncCreditMemos(ref);
    assert.deepEqual(again, { actions: [], fullyRefunded: true });
    assert.deepEqual(writes(), before);
    assert.equal(magentoMemos(placed.entity_id).length, 1, 'the Odoo credit note is not sent back to Magento');
  });

  test('a partial credit memo (1 of 3 items + shipping) gives a credit note of exactly that amount; a second partial for the rest; twice writes nothing', async () => {
    const { placed, ref, invoice, items } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0002', qty: 3 }], shippingMethod: 'ups_GND' });
    const item = items.find((i) => i.sku === 'GEAR-0002')!;
    await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 12.5 });
    const [memo1] = magentoMemos(placed.entity_id);
    assert.ok(memo1 && memo1.shipping_amount === 12.5);

    const first = await acts.syncCreditMemos(ref);
    assert.equal(first.fullyRefunded, false);
    let notes = await creditNotes(invoice.id);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.state, 'posted');
    close(Number(notes[0]?.amount_total), memo1.grand_total, 'first partial');
    assert.ok(first.actions.some((a) => a.includes('partial credit note')), first.actions.join(' | '));
    const [so] = await odoo.searchRead('sale.order.line', [['order_id', '=', ref.odooOrderId], ['is_delivery', '=', false]], { fields: ['qty_invoiced'] });
    assert.equal(so?.qty_invoiced, 2, 'the credit note line is linked to the sale line');

    const before = writes();
    assert.deepEqual(await acts.syncCreditMemos(ref), { actions: [], fullyRefunded: false });
    assert.deepEqual(writes(), before);

    // The rest: Magento's refundable shipping is 0 now, so none is asked for.
    await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 2 }], shippingAmount: 0 });
    const memo2 = magentoMemos(placed.entity_id)[1]!;
    const second = await acts.syncCreditMemos(ref);
    notes = await creditNotes(invoice.id);
    assert.equal(notes.length, 2);
    close(Number(notes[1]?.amount_total), memo2.grand_total, 'second partial');
    close(notes.reduce((s, n) => s + Number(n.amount_total), 0), invoice.amount_total, 'both together reverse the invoice');
    assert.equal(second.fullyRefunded, true);
    const [reversed] = await odoo.readMoves([invoice.id]);
    assert.ok(reversed!.amount_residual <= 0.01, 'the invoice is settled by the credit notes');

    const after = writes();
    assert.deepEqual(await acts.syncCreditMemos(ref), { actions: [], fullyRefunded: true });
    assert.deepEqual(writes(), after);
    assert.equal(magentoMemos(placed.entity_id).length, 2);
  });

  test('goods refunded before they ship come off the Odoo order: its delivery wants the rest, and they are not invoiced again', async () => {
    const { placed, ref, items } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0005', qty: 3 }], shippingMethod: 'flatrate_flatrate' });
    const item = items.find((i) => i.sku === 'GEAR-0005')!;
    await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 0 });
    const result = await acts.syncCreditMemos(ref);
    assert.ok(result.actions.some((a) => /GEAR-0005\) lowered from 3 to 2/.test(a)), result.actions.join(' | '));
    const [line] = await odoo.searchRead('sale.order.line', [['order_id', '=', ref.odooOrderId], ['is_delivery', '=', false]], { fields: ['product_uom_qty', 'qty_invoiced', 'qty_to_invoice'] });
    assert.deepEqual([line?.product_uom_qty, line?.qty_invoiced, line?.qty_to_invoice], [2, 2, 0]);
    const moves = await odoo.searchRead('stock.move', [['sale_line_id', '=', line!.id]], { fields: ['product_uom_qty', 'state'] });
    assert.equal(moves.filter((m) => m.state !== 'cancel' && m.state !== 'done').reduce((s, m) => s + Number(m.product_uom_qty), 0), 2, 'the delivery wants 2');

    const invoicing = odooCalls('sale.advance.payment.inv.create');
    await acts.syncInvoices(ref);
    assert.equal(odooCalls('sale.advance.payment.inv.create'), invoicing, 'the refunded item is not invoiced again');
    const lineWrites = odooCalls('sale.order.line.write');
    await acts.syncCreditMemos(ref);
    assert.equal(odooCalls('sale.order.line.write'), lineWrites, 'lowered once');

    // The warehouse ships the 2 that are left; Magento gets them and the order can complete.
    await acts.syncShipments(ref);
    const picking = (await odoo.searchRead('stock.picking', [['sale_id', '=', ref.odooOrderId]], { fields: ['state'] }))[0]!;
    await odoo.validatePicking(picking.id);
    await acts.syncShipments(ref);
    const shipped = magentoSandbox.state.order(placed.entity_id)!.items.find((i) => i.sku === 'GEAR-0005')!;
    assert.equal(shipped.qty_shipped, 2);
  });

  test('online: a Magento refund of one invoice is credited against its Odoo counterpart (via the invoice binding)', async () => {
    const placed = magentoSandbox.createOrder({ paymentMethod: 'braintree', customerEmail: 'customer9@example.com', lines: [{ sku: 'GEAR-0016', qty: 2 }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
    const imported = await acts.importOrder({ channel: CHANNEL, incrementId: placed.increment_id });
    const ref: OdooOrderRef = { channel: CHANNEL, incrementId: placed.increment_id, magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(ref);
    assert.equal((await acts.syncInvoices(ref)).settled, true);
    const magentoInvoice = magentoSandbox.state.invoices.find((i) => i.order_id === placed.entity_id)!;
    const bound = await db.pool.query<{ odoo_id: string }>("SELECT odoo_id FROM bindings WHERE kind = 'invoice' AND magento_key = $1", [String(magentoInvoice.entity_id)]);
    const odooInvoiceId = Number(bound.rows[0]?.odoo_id);
    const item = magentoSandbox.state.order(placed.entity_id)!.items.find((i) => i.sku === 'GEAR-0016')!;
    await magento.invoices.refund(magentoInvoice.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 0, isOnline: true });
    const [memo] = magentoMemos(placed.entity_id);
    assert.equal(memo?.invoice_id, magentoInvoice.entity_id);

    await acts.syncCreditMemos(ref);
    const notes = await creditNotes(odooInvoiceId);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.state, 'posted');
    close(Number(notes[0]?.amount_total), memo!.grand_total, 'online partial');
    const before = writes();
    await acts.syncCreditMemos(ref);
    assert.deepEqual(writes(), before);
  });

  test('adjustments become untaxed lines: the credit note matches a memo with adjustment refund and fee', async () => {
    const { placed, ref, invoice, items } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0004', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const item = items.find((i) => i.sku === 'GEAR-0004')!;
    await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 0, adjustmentPositive: 3, adjustmentNegative: 1.25 });
    const [memo] = magentoMemos(placed.entity_id);
    await acts.syncCreditMemos(ref);
    const notes = await creditNotes(invoice.id);
    assert.equal(notes.length, 1);
    close(Number(notes[0]?.amount_total), memo!.grand_total, 'with adjustments');
  });

  test('an Odoo refund becomes a Magento credit memo with the refunded items and shipping; once; not sent back to Odoo', async () => {
    const { placed, ref, invoice } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0005', qty: 1 }, { sku: 'TEE-002-BLUE-L', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    const [journal] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['journal_id'] });
    const noteId = await odoo.createCreditNote(invoice.id, { journalId: (journal?.journal_id as [number, string])[0], reason: 'returned in store' });
    await odoo.postMove(noteId);
    const [note] = await odoo.readMoves([noteId]);
    const refunds = magentoCalls('POST /V1/order/:orderId/refund');
    const creates = odooCalls('account.move.create');

    const first = await acts.syncCreditMemos(ref);
    assert.equal(magentoCalls('POST /V1/order/:orderId/refund'), refunds + 1);
    const memos = magentoMemos(placed.entity_id);
    assert.equal(memos.length, 1);
    close(memos[0]!.grand_total, note!.amount_total, 'Magento memo = Odoo credit note');
    close(memos[0]!.shipping_amount, 5, 'shipping refunded');
    const order = magentoSandbox.state.order(placed.entity_id)!;
    assert.ok(order.items.filter((i) => i.parent_item_id === undefined).every((i) => i.qty_refunded === i.qty_invoiced), 'every item refunded, configurable through its parent');
    assert.match(memos[0]!.comments.map((c) => c.comment).join(' '), new RegExp(`\\(odoo move ${noteId}\\)`));
    assert.ok(first.actions.some((a) => a.includes('→ Magento credit memo')), first.actions.join(' | '));
    assert.equal(first.fullyRefunded, true);

    const before = writes();
    assert.deepEqual(await acts.syncCreditMemos(ref), { actions: [], fullyRefunded: true });
    assert.deepEqual(writes(), before);
    assert.equal(odooCalls('account.move.create'), creates, 'no Odoo credit note made for the pushed memo');
  });

  test('with orders.syncRefunds off, an Odoo refund stays in Odoo', async () => {
    const { placed, ref, invoice } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer5@example.com', lines: [{ sku: 'GEAR-0007', qty: 1 }], shippingMethod: 'flatrate_flatrate' }, OFF);
    const [journal] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['journal_id'] });
    const noteId = await odoo.createCreditNote(invoice.id, { journalId: (journal?.journal_id as [number, string])[0], reason: 'goodwill' });
    await odoo.postMove(noteId);
    const before = writes();
    const result = await acts.syncCreditMemos(ref);
    assert.deepEqual(result.actions, []);
    assert.deepEqual(writes(), before);
    assert.equal(magentoMemos(placed.entity_id).length, 0);
  });

  test('an Odoo refund above what Magento can still refund is refused by Magento: non-retryable, nothing bound', async () => {
    const { ref, invoice } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer6@example.com', lines: [{ sku: 'GEAR-0008', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const taxField = await odoo.saleLineTaxField();
    const [line] = await odoo.searchRead('sale.order.line', [['order_id', '=', ref.odooOrderId], ['is_delivery', '=', false]], { fields: ['product_id', 'price_unit', taxField] });
    const [head] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['partner_id', 'journal_id'] });
    // One item plus a 1000.00 goodwill line: more money than the whole order.
    const [noteId] = await odoo.create('account.move', [{
      move_type: 'out_refund', partner_id: (head?.partner_id as [number, string])[0], journal_id: (head?.journal_id as [number, string])[0], reversed_entry_id: invoice.id,
      invoice_line_ids: [
        [0, 0, { product_id: (line?.product_id as [number, string])[0], quantity: 1, price_unit: line?.price_unit, tax_ids: [[6, 0, line?.[taxField] as number[]]], sale_line_ids: [[6, 0, [line!.id]]] }],
        [0, 0, { name: 'Goodwill', quantity: 1, price_unit: 1000, tax_ids: [[6, 0, []]] }],
      ],
    }]);
    await odoo.postMove(noteId!);
    const bound = await bindingCount();
    const failure = await failureOf(acts.syncCreditMemos(ref));
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /most money available to refund/i);
    assert.equal(await bindingCount(), bound);
  });

  test('an Odoo refund of only an amount (no product) is refused with a readable reason, before Magento is called', async () => {
    const { ref, invoice } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer7@example.com', lines: [{ sku: 'GEAR-0011', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    const [head] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['partner_id', 'journal_id'] });
    const [noteId] = await odoo.create('account.move', [{
      move_type: 'out_refund', partner_id: (head?.partner_id as [number, string])[0], journal_id: (head?.journal_id as [number, string])[0], reversed_entry_id: invoice.id,
      invoice_line_ids: [[0, 0, { name: 'Late delivery discount', quantity: 1, price_unit: 2, tax_ids: [[6, 0, []]] }]],
    }]);
    await odoo.postMove(noteId!);
    const refunds = magentoCalls('POST /V1/order/:orderId/refund');
    const failure = await failureOf(acts.syncCreditMemos(ref));
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /cannot make a credit memo without products/);
    assert.match(failure.message, new RegExp(`\\(odoo move ${noteId}\\)`));
    assert.equal(magentoCalls('POST /V1/order/:orderId/refund'), refunds);
  });

  test('a lost binding never gives a second refund, in either direction', async () => {
    const { placed, ref, invoice, items } = await invoicedOrder({ paymentMethod: 'checkmo', customerEmail: 'customer8@example.com', lines: [{ sku: 'GEAR-0013', qty: 2 }, { sku: 'GEAR-0014', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    // Magento → Odoo
    const item = items.find((i) => i.sku === 'GEAR-0013')!;
    await magento.orders.refund(placed.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 0 });
    await acts.syncCreditMemos(ref);
    assert.equal((await creditNotes(invoice.id)).length, 1);
    await db.pool.query("DELETE FROM bindings WHERE kind = 'creditmemo' AND channel = $1 AND magento_key LIKE 'm:%'", [CHANNEL]);
    let before = writes();
    const rebound = await acts.syncCreditMemos(ref);
    assert.deepEqual(writes(), before, 'nothing written');
    assert.ok(rebound.actions.some((a) => a.startsWith('bound Magento credit memo')), rebound.actions.join(' | '));
    assert.equal((await creditNotes(invoice.id)).length, 1);

    // Odoo → Magento
    const taxField = await odoo.saleLineTaxField();
    const [line] = await odoo.searchRead('sale.order.line', [['order_id', '=', ref.odooOrderId], ['is_delivery', '=', false]], { fields: ['product_id', 'price_unit', taxField], order: 'id desc' });
    const [head] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['partner_id', 'journal_id'] });
    const [noteId] = await odoo.create('account.move', [{
      move_type: 'out_refund', partner_id: (head?.partner_id as [number, string])[0], journal_id: (head?.journal_id as [number, string])[0], reversed_entry_id: invoice.id,
      invoice_line_ids: [[0, 0, { product_id: (line?.product_id as [number, string])[0], quantity: 1, price_unit: line?.price_unit, tax_ids: [[6, 0, line?.[taxField] as number[]]], sale_line_ids: [[6, 0, [line!.id]]] }]],
    }]);
    await odoo.postMove(noteId!);
    await acts.syncCreditMemos(ref);
    assert.equal(magentoMemos(placed.entity_id).length, 2);
    await db.pool.query("DELETE FROM bindings WHERE kind = 'creditmemo' AND channel = $1 AND magento_key LIKE 'o:%'", [CHANNEL]);
    before = writes();
    const again = await acts.syncCreditMemos(ref);
    assert.deepEqual(writes(), before, 'nothing written');
    assert.ok(again.actions.some((a) => a.startsWith('bound Odoo credit note')), again.actions.join(' | '));
    assert.equal(magentoMemos(placed.entity_id).length, 2);
    assert.equal(await bindingCount(), 2);
  });
});

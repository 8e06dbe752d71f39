// The real-Odoo tier for issue 10 class 4: orders.offlineInvoicing on a real Odoo (18 over
// JSON-RPC, 19 over JSON-2). One check/money order per policy, the order activities called one
// step at a time so each assertion is about a known moment: "no invoice yet" is only worth
// something right after the step that would have made one. The test plays the warehouse and the
// accountant in Odoo the way a person does it in the UI (the delivery's validate button, the
// "Create invoice" wizard sale.advance.payment.inv, the invoice's Confirm button).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import type { OdooOrderRef } from '../../activities/orders/contracts';
import type { Json } from '../../sandbox/magento/state';
import { bulkSync } from '../../workflows/bulkSync';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';
import { recordedOrder } from '../support/order-examples';

const tier = realTier('offline invoicing policies');
// Guests check out from Austin, Texas (8.25% US tax, which the US company invoices). GEAR-0001,
// -0002, -0004 and -0005 are invoiced on order in the demo world: Odoo could invoice them at once,
// so an invoice that does not appear is the policy's doing, not Odoo's invoice_policy.
const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate', paymentMethod: 'checkmo' } as const;

interface Placed { r: OdooOrderRef; entityId: number; grandTotal: string }

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  let acts: OrderActivities;
  const channel = `oi${process.pid}`;

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: { simpleProducts: 6, configurableProducts: 0, customers: 1 }, channel: { orders: { followUpDays: 0 } } });
    // The reference sync makes the 8.25% tax, the carrier and the payment journals from what Magento shows.
    c.magentoSandbox.createOrder(GUEST);
    await c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-ref-${channel}`, args: [{ channel, stream: 'reference' }] });
    acts = createOrderActivities({ config: c.config, pool: c.db.pool });
  });
  after(async () => c?.stop());

  const setPolicy = (policy: 'odoo' | 'on_confirm' | 'on_delivery') => {
    c.config.channels[0]!.orders.offlineInvoicing = policy;
  };

  async function placeImportConfirm(lines: Array<{ sku: string; qty: number }>): Promise<Placed> {
    const placed = c.magentoSandbox.createOrder({ ...GUEST, lines }) as { entity_id: number; increment_id: string; grand_total: number };
    const imported = await acts.importOrder({ channel, incrementId: placed.increment_id });
    assert.equal(imported.outcome, 'imported');
    assert.equal(imported.paymentKind, 'offline');
    const r = { channel, incrementId: placed.increment_id, magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    const [so] = await c.odoo.read('sale.order', [r.odooOrderId], ['amount_total', 'state']);
    assert.equal(so?.state, 'sale');
    assert.equal(Number(so?.amount_total).toFixed(2), Number(placed.grand_total).toFixed(2), 'the Odoo order = Magento grand total');
    return { r, entityId: placed.entity_id, grandTotal: Number(placed.grand_total).toFixed(2) };
  }

  const odooInvoices = async (odooOrderId: number) => {
    const [so] = await c.odoo.read('sale.order', [odooOrderId], ['invoice_ids']);
    const ids = (so?.invoice_ids as number[] | undefined) ?? [];
    const moves = ids.length ? await c.setup.searchRead('account.move', [['id', 'in', ids], ['move_type', '=', 'out_invoice']], ['state', 'amount_total'], { order: 'id asc' }) : [];
    return moves.map((m) => ({ id: m.id, state: String(m.state), total: Number(m.amount_total).toFixed(2) }));
  };
  const magentoInvoices = async (entityId: number) =>
    (await c.magento.invoices.forOrder(entityId)).filter((i) => i.state !== 3).map((i) => ({ total: Number(i.grand_total).toFixed(2), qty: i.total_qty, comments: (i.comments ?? []).map((x) => x.comment).join(' ') }));

  /** the warehouse validates the whole open delivery */
  async function ship(odooOrderId: number): Promise<void> {
    const picking = (await c.odoo.listPickings(odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
  }

  /** the accountant's "Create invoice" on the sale order: the wizard, "Regular invoice"; a draft comes out */
  async function userCreatesInvoice(odooOrderId: number): Promise<number> {
    const context = { active_model: 'sale.order', active_ids: [odooOrderId], active_id: odooOrderId };
    const wizard = await c.setup.create('sale.advance.payment.inv', { advance_payment_method: 'delivered' }, context);
    await c.setup.call('sale.advance.payment.inv', 'create_invoices', { ids: [wizard], context });
    const drafts = (await odooInvoices(odooOrderId)).filter((m) => m.state === 'draft');
    assert.equal(drafts.length, 1, 'the wizard made one draft invoice');
    return drafts[0]!.id;
  }

  /** both sides hold one invoice each, for the order's grand total to the cent, and the Magento one names the Odoo move */
  async function oneInvoiceEachSide(p: Placed, what: string): Promise<void> {
    const odoo = await odooInvoices(p.r.odooOrderId);
    const magento = await magentoInvoices(p.entityId);
    assert.deepEqual(odoo.map((m) => [m.state, m.total]), [['posted', p.grandTotal]], `${what}: one posted Odoo invoice for ${p.grandTotal}`);
    assert.deepEqual(magento.map((m) => m.total), [p.grandTotal], `${what}: one Magento invoice for ${p.grandTotal}`);
    assert.match(magento[0]!.comments, new RegExp(`\\(odoo move ${odoo[0]!.id}\\)`), 'the Magento invoice names the Odoo invoice it came from');
    const order = await c.magento.orders.get(p.entityId);
    assert.equal(Number(order.total_invoiced).toFixed(2), p.grandTotal, 'Magento counts the order as invoiced in full');
  }

  test('"odoo" (the default): no invoice from the connector at confirm or delivery; the user\'s invoice, once posted, reaches Magento', async (t) => {
    setPolicy('odoo');
    const p = await placeImportConfirm([{ sku: 'GEAR-0001', qty: 2 }, { sku: 'GEAR-0002', qty: 1 }]);
    assert.deepEqual(await acts.syncInvoices(p.r), { actions: [], settled: false }, 'nothing at confirm');
    await ship(p.r.odooOrderId);
    assert.equal((await acts.syncShipments(p.r)).created.length, 1, 'the delivery became a Magento shipment');
    assert.deepEqual(await acts.syncInvoices(p.r), { actions: [], settled: false }, 'nothing after the delivery either');
    assert.deepEqual(await odooInvoices(p.r.odooOrderId), [], 'no Odoo invoice made by the connector');
    assert.deepEqual(await magentoInvoices(p.entityId), []);

    const draft = await userCreatesInvoice(p.r.odooOrderId);
    assert.deepEqual((await acts.syncInvoices(p.r)).actions, [], 'a draft the user is still editing is left alone');
    assert.deepEqual((await odooInvoices(p.r.odooOrderId)).map((m) => m.state), ['draft']);
    assert.deepEqual(await magentoInvoices(p.entityId), []);

    await c.setup.call('account.move', 'action_post', { ids: [draft] });
    const pushed = await acts.syncInvoices(p.r);
    assert.ok(pushed.actions.some((a) => /to Magento as invoice/.test(a)), pushed.actions.join(' | '));
    assert.equal(pushed.settled, false, 'not settled while the cheque is not in');
    await oneInvoiceEachSide(p, '"odoo"');
    assert.deepEqual((await acts.syncInvoices(p.r)).actions, [], 'a second run writes nothing');
    await oneInvoiceEachSide(p, '"odoo", second run');
    t.diagnostic(`${p.r.incrementId} odoo: Odoo invoice ${(await odooInvoices(p.r.odooOrderId))[0]!.total} = Magento ${p.grandTotal}`);
  });

  test('"on_confirm": the connector invoices right after confirm and pushes the invoice to Magento', async (t) => {
    setPolicy('on_confirm');
    try {
      const p = await placeImportConfirm([{ sku: 'GEAR-0004', qty: 3 }, { sku: 'GEAR-0005', qty: 1 }]);
      const first = await acts.syncInvoices(p.r);
      assert.ok(first.actions.some((a) => /created Odoo invoice .*on_confirm/.test(a)), first.actions.join(' | '));
      assert.ok(first.actions.some((a) => /to Magento as invoice/.test(a)), first.actions.join(' | '));
      await oneInvoiceEachSide(p, '"on_confirm"');
      assert.deepEqual((await acts.syncInvoices(p.r)).actions, [], 'a second run writes nothing');
      await oneInvoiceEachSide(p, '"on_confirm", second run');
      // The merchant refunds one of the three GEAR-0004 in Magento: Magento gives it a third of the
      // row's tax, Odoo taxes the credit note line on its own; the shop's rounding product
      // (orders.roundingSku) takes the difference, so the credit note is Magento's amount.
      await c.setup.create('product.product', { name: 'Rounding difference', default_code: `ROUND-${channel}`, type: 'service', taxes_id: [[6, 0, []]] });
      c.config.channels[0]!.orders.roundingSku = `ROUND-${channel}`;
      const [invoice] = await c.magento.invoices.forOrder(p.entityId);
      const item = (await c.magento.orders.get(p.entityId)).items.find((i) => i.sku === 'GEAR-0004')!;
      const memo = await c.magento.creditmemos.get(await c.magento.invoices.refund(invoice!.entity_id, { items: [{ orderItemId: item.item_id, qty: 1 }], shippingAmount: 0 }));
      const refunded = await acts.syncCreditMemos(p.r);
      const [so] = await c.odoo.read('sale.order', [p.r.odooOrderId], ['invoice_ids']);
      const notes = await c.setup.searchRead('account.move', [['id', 'in', so!.invoice_ids as number[]], ['move_type', '=', 'out_refund']], ['state', 'amount_total']);
      assert.deepEqual(notes.map((n) => [n.state, Number(n.amount_total).toFixed(2)]), [['posted', Number(memo.grand_total).toFixed(2)]], refunded.actions.join(' | '));
      t.diagnostic(`${p.r.incrementId} on_confirm: Odoo invoice ${(await odooInvoices(p.r.odooOrderId))[0]!.total} = Magento ${p.grandTotal}; one unit refunded: Magento credit memo ${memo.grand_total} = Odoo credit note ${notes[0]!.amount_total}`);
    } finally {
      setPolicy('odoo');
      delete c.config.channels[0]!.orders.roundingSku;
    }
  });

  test('"on_delivery": no invoice before the delivery is validated, one after, pushed to Magento', async (t) => {
    setPolicy('on_delivery');
    try {
      const p = await placeImportConfirm([{ sku: 'GEAR-0002', qty: 2 }, { sku: 'GEAR-0005', qty: 2 }]);
      assert.deepEqual(await acts.syncInvoices(p.r), { actions: [], settled: false }, 'nothing before delivery');
      assert.deepEqual(await odooInvoices(p.r.odooOrderId), []);
      await ship(p.r.odooOrderId);
      assert.equal((await acts.syncShipments(p.r)).created.length, 1);
      const after = await acts.syncInvoices(p.r);
      assert.ok(after.actions.some((a) => /created Odoo invoice .*on_delivery/.test(a)), after.actions.join(' | '));
      await oneInvoiceEachSide(p, '"on_delivery"');
      assert.deepEqual((await acts.syncInvoices(p.r)).actions, [], 'a second run writes nothing');
      await oneInvoiceEachSide(p, '"on_delivery", second run');
      t.diagnostic(`${p.r.incrementId} on_delivery: Odoo invoice ${(await odooInvoices(p.r.odooOrderId))[0]!.total} = Magento ${p.grandTotal}`);
    } finally {
      setPolicy('odoo');
    }
  });
  test('a real 2.4.7 body (oca orders/9, 8.25% tax): one of two units refunded in Magento is the Odoo credit note to the cent (the rounding product takes Odoo\'s per-line tax cent)', async (t) => {
    const body = recordedOrder('oca-connector-magento_GET_V1_orders_9.json') as Json;
    const incrementId = `77${String(process.pid % 1000).padStart(3, '0')}0009`;
    Object.assign(body, { increment_id: incrementId, customer_is_guest: 1, customer_id: undefined });
    for (const sku of ['MH09-XS-Blue', 'RACER']) await c.setup.create('product.product', { name: sku, default_code: sku, type: 'consu', invoice_policy: 'order' });
    const shipTmpl = await c.setup.create('product.template', { name: 'Best Way', type: 'service', taxes_id: [[6, 0, []]] });
    const [shipProduct] = await c.setup.searchRead('product.product', [['product_tmpl_id', '=', shipTmpl]], ['id']);
    await c.setup.create('delivery.carrier', { name: 'Best Way', delivery_type: 'fixed', product_id: shipProduct!.id, fixed_price: 0 });
    await c.setup.create('product.product', { name: 'Rounding difference', default_code: `ROUNDING-${channel}`, type: 'service', taxes_id: [[6, 0, []]] });
    setPolicy('on_confirm');
    c.config.channels[0]!.orders.roundingSku = `ROUNDING-${channel}`;
    try {
      const res = await fetch(`${c.magentoSandbox.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { entity_id: entityId } = (await res.json()) as { entity_id: number };
      const imported = await acts.importOrder({ channel, incrementId });
      const r = { channel, incrementId, magentoOrderId: entityId, odooOrderId: imported.odooOrderId! };
      await acts.confirmOrder(r);
      await acts.syncInvoices(r);
      await oneInvoiceEachSide({ r, entityId, grandTotal: '396.87' }, 'oca orders/9');
      const [invoice] = await c.magento.invoices.forOrder(entityId);
      const memo = await c.magento.creditmemos.get(await c.magento.invoices.refund(invoice!.entity_id, { items: [{ orderItemId: 16, qty: 1 }], shippingAmount: 0 }));
      assert.equal(memo.grand_total, 74.7, 'Magento: 69 + half the row tax 11.39, rounded half up');
      const refunded = await acts.syncCreditMemos(r);
      const [so] = await c.odoo.read('sale.order', [r.odooOrderId], ['invoice_ids']);
      const notes = await c.setup.searchRead('account.move', [['id', 'in', so!.invoice_ids as number[]], ['move_type', '=', 'out_refund']], ['state', 'amount_total', 'invoice_line_ids']);
      assert.deepEqual(notes.map((n) => [n.state, Number(n.amount_total).toFixed(2)]), [['posted', '74.70']], refunded.actions.join(' | '));
      const lines = await c.setup.searchRead('account.move.line', [['move_id', '=', notes[0]!.id], ['display_type', '=', 'product']], ['name', 'price_subtotal']);
      assert.ok(lines.some((l) => l.name === 'Rounding difference' && Number(l.price_subtotal).toFixed(2) === '0.01'), JSON.stringify(lines));
      t.diagnostic(`${incrementId}: Odoo 396.87 = Magento 396.87; refund of one unit: Magento ${memo.grand_total} = Odoo credit note ${Number(notes[0]!.amount_total).toFixed(2)} (Odoo's own tax on the line: 5.69, +0.01 rounding)`);
    } finally {
      setPolicy('odoo');
      delete c.config.channels[0]!.orders.roundingSku;
    }
  });
});

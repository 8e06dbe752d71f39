// What the order desk does in Odoo reaches Magento. A sale order cancelled by hand (the cancel
// button, through Odoo 18's sale.order.cancel wizard): cancelled when nothing shipped or was
// invoiced, refunded by credit memo when invoiced, parked with nothing written when goods had
// shipped. Order status both ways: Odoo milestones as Magento status-history comments, the
// Magento status as a tag on the Odoo order.
// Real worker, real Temporal dev server, both sandboxes over HTTP, real PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { triggerOrder } from '../../client/order-trigger';
import { createOdooTransport } from '../../integrations/odoo';
import { orderDefaultsFor } from '../../activities/orders/order-defaults';
import { OrderDataError } from '../../activities/orders/failures';
import type { OrderSpec } from '../../sandbox/magento';
import type { orderWorkflow } from '../../workflows/order';
import { odooProgressSignal, orderWorkflowId, retrySignal, statusQuery } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { untilStatus } from '../support/order-status';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

describe('the order desk in Odoo: cancel and status', () => {
  let c: TestConnector;
  const channel = `oc${process.pid}`;

  before(async () => {
    c = await startTestConnector({ code: channel, magento: { world: { customers: 4 } }, odoo: { demo: { customers: 4 } }, channel: {
      orders: { followUpDays: 0 }, orderStatus: { comments: true, odooTag: true },
      orderDefaults: { paymentTerms: { default: 'Immediate Payment', byMethod: { checkmo: '30 Days' } }, storeViews: { default: { team: 'Sales', warehouse: 'WH' } } },
    } });
  });
  after(async () => c?.stop());

  async function importOrder(spec: OrderSpec): Promise<{ handle: OrderHandle; incrementId: string; entityId: number }> {
    const placed = c.stack.magento.createOrder(spec) as { entity_id: number; increment_id: string };
    assert.equal(await triggerOrder(c.env.client, c.config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    return { handle: c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id)), incrementId: placed.increment_id, entityId: placed.entity_id };
  }
  const historyOf = async (entityId: number) => (await c.magento.orders.get(entityId)).status_histories ?? [];
  const magentoTags = async (odooOrderId: number) => {
    const [so] = await c.odoo.read('sale.order', [odooOrderId], ['tag_ids']);
    const tags = await c.odoo.read('crm.tag', so!.tag_ids as number[], ['name']);
    return tags.map((t) => String(t.name)).filter((n) => n.startsWith('Magento: '));
  };
  const firstRound = (handle: OrderHandle) =>
    untilStatus(handle, 'first round done', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync order status'));

  test('nothing shipped or invoiced: the Magento order is cancelled and the workflow ends', async () => {
    // GEAR-0003 is invoiced on delivery: nothing is invoiceable before it ships.
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' });
    const f = await firstRound(handle);
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    await handle.signal(odooProgressSignal, { model: 'sale.order', id: f.odooOrderId! });
    const done = await handle.result();
    assert.equal(done.phase, 'canceled');
    assert.deepEqual([done.cancel?.verdict?.accepted, done.cancel?.verdict?.outcome], [true, 'canceled']);
    assert.equal((await c.magento.orders.get(entityId)).status, 'canceled');
    assert.equal((await c.magento.creditmemos.forOrder(entityId)).length, 0);
    assert.equal((await c.odoo.readSaleOrder(f.odooOrderId!))?.state, 'cancel');
    const comments = (await historyOf(entityId)).map((h) => h.comment ?? '');
    assert.equal(comments.filter((x) => x.includes('[odoo:cancelled]')).length, 1, 'one "cancelled in Odoo" comment');
    assert.deepEqual(await magentoTags(f.odooOrderId!), ['Magento: canceled']);
  });

  test('invoiced (online order): refunded by a Magento credit memo, the Odoo invoice reversed once', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0007', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const f = await untilStatus(handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0);
    const before = await c.magento.orders.get(entityId);
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    const done = await handle.result();
    assert.equal(done.phase, 'refunded');
    assert.equal(done.cancel?.verdict?.outcome, 'credit_memo');
    const memos = await c.magento.creditmemos.forOrder(entityId);
    assert.equal(memos.length, 1);
    assert.equal(Number(memos[0]?.grand_total).toFixed(2), Number(before.grand_total).toFixed(2), 'the whole order refunded, to the cent');
    const after = await c.magento.orders.get(entityId);
    assert.equal(after.state, 'closed');
    const notes = await c.odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['invoice_origin', '=', f.odooOrderName]], { fields: ['state', 'amount_total'] });
    assert.deepEqual(notes.map((n) => n.state), ['posted']);
    assert.equal(Number(notes[0]?.amount_total).toFixed(2), Number(before.grand_total).toFixed(2));
  });

  test('goods shipped in Odoo: parked with the reason, nothing written to Magento; reopened in Odoo, fulfilment goes on', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0005' }], shippingMethod: 'flatrate_flatrate' });
    const f = await firstRound(handle);
    // The warehouse ships, then the desk cancels (Odoo allows it) before the connector looks.
    const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    const magentoBefore = await c.magento.orders.get(entityId);
    await handle.signal(odooProgressSignal, {});
    const parked = await untilStatus(handle, 'parked', (s) => s.phase === 'needs_attention');
    assert.equal(parked.attention?.step, 'mirror the Odoo cancel to Magento');
    assert.match(parked.attention!.reason, new RegExp(`order ${parked.incrementId}: Odoo sale order ${f.odooOrderName} was cancelled in Odoo, but Odoo delivery ${picking.name.replace(/\//g, '\\/')} has shipped; nothing was written to Magento`));
    const magentoNow = await c.magento.orders.get(entityId);
    assert.deepEqual([magentoNow.state, magentoNow.status, magentoNow.updated_at], [magentoBefore.state, magentoBefore.status, magentoBefore.updated_at], 'the Magento order untouched');
    assert.equal((await c.magento.shipments.forOrder(entityId)).length, 0, 'no shipment pushed for a cancelled order');
    assert.ok(!(await historyOf(entityId)).some((h) => h.comment?.includes('[odoo:cancelled]')), 'no "cancelled" comment while parked');
    assert.equal((await c.magento.creditmemos.forOrder(entityId)).length, 0);
    // A retry while it is still cancelled parks again, still writing nothing.
    await handle.signal(retrySignal);
    await untilStatus(handle, 'parked again', (s) => s.phase === 'needs_attention' && s.steps.filter((x) => x.outcome === 'parked').length === 2);
    assert.equal((await c.magento.orders.get(entityId)).updated_at, magentoBefore.updated_at);

    // Ops decide the cancel was a mistake: back to quotation, confirmed again, then retry.
    // (raw calls: the connector's client offers only the calls the connector makes)
    const desk = createOdooTransport(c.stack.channel.odoo);
    await desk.call({ model: 'sale.order', method: 'action_draft', ids: [f.odooOrderId!] });
    await desk.call({ model: 'sale.order', method: 'action_confirm', ids: [f.odooOrderId!] });
    // As real Odoo: only what is still to deliver is procured, so no second delivery.
    assert.deepEqual((await c.odoo.listPickings(f.odooOrderId!)).filter((p) => p.state !== 'cancel').map((p) => p.state), ['done']);
    await handle.signal(retrySignal);
    await untilStatus(handle, 'shipment pushed after reopening', (s) => s.shipmentsPushed.length === 1 && s.phase !== 'needs_attention');
    assert.equal((await c.magento.shipments.forOrder(entityId)).length, 1);
    assert.notEqual((await handle.query(statusQuery)).phase, 'canceled');
    await handle.terminate('test over');
  });

  test('status both ways: each Odoo milestone once as a Magento comment, customer not notified; the Magento status as one Odoo tag', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' });
    const f = await untilStatus(handle, 'status synced', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync order status'));
    const markers = async () => (await historyOf(entityId)).map((h) => /\[odoo:(\w+)\]/.exec(h.comment ?? '')?.[1]).filter(Boolean).sort();
    assert.deepEqual(await markers(), ['confirmed']);
    assert.deepEqual(await magentoTags(f.odooOrderId!), ['Magento: pending']);

    const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'shipped', (s) => s.shipmentsPushed.length === 1 && s.steps.some((x) => /"delivered"/.test(x.detail)));
    // The shipment (and the invoice the channel's policy pushed with it) moved the Magento
    // status on: the Odoo order shows the new one, and only it.
    // (the invoice the policy made may take one more round to reach Magento)
    const moved = (await c.magento.orders.get(entityId)).status;
    assert.notEqual(moved, 'pending');
    await untilStatus(handle, 'tag follows', (s) => s.steps.some((x) => x.detail === `Magento status "${moved}" → Odoo tag`));
    assert.deepEqual(await magentoTags(f.odooOrderId!), [`Magento: ${moved}`]);

    // The accountant invoices and the customer pays in Odoo.
    // (unless the connector's invoicing policy already did, once the goods shipped)
    let [invoice] = await c.odoo.searchRead('account.move', [['invoice_origin', '=', f.odooOrderName], ['move_type', '=', 'out_invoice'], ['state', '=', 'posted']], { fields: ['id'] });
    if (!invoice) {
      const [draft] = await c.odoo.invoiceSaleOrder(f.odooOrderId!);
      await c.odoo.postMove(draft!);
      invoice = { id: draft! };
    }
    const [journal] = await c.odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
    await c.odoo.registerPayment(invoice.id, { journalId: journal!.id, memo: 'cheque' });
    await handle.signal(odooProgressSignal, {});
    const final = await handle.result();
    assert.equal(final.phase, 'complete');
    assert.deepEqual(await markers(), ['confirmed', 'delivered', 'invoiced', 'paid'], 'each milestone exactly once over all rounds');
    const ours = (await historyOf(entityId)).filter((h) => /\[odoo:/.test(h.comment ?? ''));
    assert.ok(ours.every((h) => h.is_customer_notified === 0 && h.is_visible_on_front === 0), 'admin notes, not customer e-mails');
    assert.match(ours.find((h) => h.comment?.includes('[odoo:invoiced]'))!.comment!, new RegExp(`^Odoo ${f.odooOrderName}: fully invoiced \\(.+\\)`));
    // the tag is whatever Magento says at the last round (complete once its invoice is paid there)
    assert.deepEqual(await magentoTags(f.odooOrderId!), [`Magento: ${(await c.magento.orders.get(entityId)).status}`]);
    const names = (await c.odoo.searchRead('crm.tag', [], { fields: ['name'] })).map((t) => String(t.name));
    assert.equal(names.length, new Set(names).size, 'one tag per status, reused across orders');
    assert.ok(names.includes('Magento: pending'));
  });

  test('payment terms by payment method (else the channel default) and the store view\'s sales team and warehouse reach the Odoo order', async () => {
    const offline = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0006' }], shippingMethod: 'flatrate_flatrate' });
    const online = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0006' }], shippingMethod: 'flatrate_flatrate' });
    const read = async (handle: OrderHandle) => {
      const f = await untilStatus(handle, 'imported', (s) => s.odooOrderId !== undefined);
      const [so] = await c.odoo.read('sale.order', [f.odooOrderId!], ['payment_term_id', 'team_id', 'warehouse_id']);
      return [so?.payment_term_id, so?.team_id, so?.warehouse_id].map((v) => (Array.isArray(v) ? v[1] : v));
    };
    assert.deepEqual(await read(offline.handle), ['30 Days', 'Sales', 'My Company']);
    assert.deepEqual((await read(online.handle))[0], 'Immediate Payment');
    await offline.handle.terminate('test over');
    await online.handle.terminate('test over');

    // a name Odoo does not have is bad data naming the order, the setting and the name
    const order = await c.magento.orders.get(offline.entityId);
    const channelConfig = { ...c.stack.channel, orderDefaults: { paymentTerms: { byMethod: {}, default: 'Net 99' }, storeViews: {}, websites: { base: { warehouse: 'NOPE' } } } };
    await assert.rejects(orderDefaultsFor(channelConfig, c.magento, c.odoo, order), (err: Error) =>
      err instanceof OrderDataError && err.message === `order ${order.increment_id}: orderDefaults.paymentTerms.default names account.payment.term "Net 99", which Odoo does not have: create it in Odoo or fix the channel setting, then retry`);
    const noTerm = { ...channelConfig, orderDefaults: { ...channelConfig.orderDefaults, paymentTerms: { byMethod: {} } } };
    await assert.rejects(orderDefaultsFor(noTerm, c.magento, c.odoo, order), /orderDefaults\.websites\.base\.warehouse names warehouse with code "NOPE"/);
  });
});

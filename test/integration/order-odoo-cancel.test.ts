// A sale order cancelled by hand in Odoo (the order desk's cancel button, through Odoo 18's
// sale.order.cancel wizard) reaches Magento: cancelled when nothing shipped or was invoiced,
// refunded by credit memo when invoiced, and parked with nothing written when goods had shipped.
// Real worker, real Temporal dev server, both sandboxes over HTTP, real PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { triggerOrder } from '../../client/order-trigger';
import { createOdooTransport } from '../../integrations/odoo';
import type { OrderSpec } from '../../sandbox/magento';
import type { orderWorkflow } from '../../workflows/order';
import { odooProgressSignal, orderWorkflowId, retrySignal, statusQuery } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { untilStatus } from '../support/order-status';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

describe('an order cancelled in Odoo', () => {
  let c: TestConnector;
  const channel = `oc${process.pid}`;

  before(async () => {
    c = await startTestConnector({ code: channel, magento: { world: { customers: 4 } }, odoo: { demo: { customers: 4 } }, channel: { orders: { followUpDays: 0 } } });
  });
  after(async () => c?.stop());

  async function importOrder(spec: OrderSpec): Promise<{ handle: OrderHandle; incrementId: string; entityId: number }> {
    const placed = c.stack.magento.createOrder(spec) as { entity_id: number; increment_id: string };
    assert.equal(await triggerOrder(c.env.client, c.config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    return { handle: c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id)), incrementId: placed.increment_id, entityId: placed.entity_id };
  }
  const firstRound = (handle: OrderHandle) =>
    untilStatus(handle, 'first round done', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync invoices and payments'));

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
});

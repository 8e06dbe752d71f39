// The real-Odoo tier, what the order desk does in Odoo itself: a sale order cancelled by hand
// (Odoo 18 through its sale.order.cancel wizard, 19 directly) reaches Magento as a cancel, a
// credit memo, or a parked order when goods had shipped. Real worker, Temporal dev server, real
// Odoo, the Magento sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderSpec } from '../../sandbox/magento';
import { bulkSync } from '../../workflows/bulkSync';
import { odooProgressSignal, retrySignal } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { placeOrder, realTier, startRealOdooConnector, type OrderHandle, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('the order desk in Odoo');
const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate' } as const;

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rd${process.pid}`;

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: { simpleProducts: 12, configurableProducts: 0, customers: 2 }, channel: {
      orders: { followUpDays: 0 }, orderStatus: { comments: true, odooTag: true },
      // names a fresh Odoo 18/19 database has
      orderDefaults: { paymentTerms: { default: 'Immediate Payment', byMethod: { checkmo: '30 Days' } }, storeViews: { default: { team: 'Sales', warehouse: 'WH' } } },
    } });
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'checkmo' });
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'braintree' });
    await c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-ref-${channel}`, args: [{ channel, stream: 'reference' }] });
  });
  after(async () => c?.stop());

  const importOrder = (spec: OrderSpec) => placeOrder(c, channel, spec);
  const markersOf = async (entityId: number) =>
    ((await c.magento.orders.get(entityId)).status_histories ?? []).map((h) => /\[odoo:(\w+)\]/.exec(h.comment ?? '')?.[1]).filter(Boolean).sort();
  const magentoTags = async (odooOrderId: number) => {
    const [so] = await c.odoo.read('sale.order', [odooOrderId], ['tag_ids']);
    const tags = await c.odoo.read('crm.tag', so!.tag_ids as number[], ['name']);
    return tags.map((t) => String(t.name)).filter((n) => n.startsWith('Magento: '));
  };
  const firstRound = (handle: OrderHandle) =>
    untilStatus(handle, 'first round done', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync order status'), 120_000);

  test('cancelled in Odoo with nothing shipped or invoiced: the Magento order is cancelled', async () => {
    // GEAR-0003 is invoiced on delivery: nothing is invoiceable before it ships.
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0003' }] });
    const f = await firstRound(handle);
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    assert.equal((await c.odoo.readSaleOrder(f.odooOrderId!))?.state, 'cancel', 'Odoo cancelled it');
    await handle.signal(odooProgressSignal, {});
    const done = await handle.result();
    assert.deepEqual([done.phase, done.cancel?.verdict?.outcome], ['canceled', 'canceled']);
    assert.equal((await c.magento.orders.get(entityId)).status, 'canceled');
    assert.deepEqual(await markersOf(entityId), ['cancelled', 'confirmed']);
    assert.deepEqual(await magentoTags(f.odooOrderId!), ['Magento: canceled'], 'the tag on a real Odoo order');
  });

  test('cancelled in Odoo after the online invoice: a Magento credit memo for the whole order and a posted Odoo credit note', async () => {
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0007', qty: 2 }] });
    const f = await untilStatus(handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0, 120_000);
    const grand = Number((await c.magento.orders.get(entityId)).grand_total).toFixed(2);
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    const done = await handle.result();
    assert.deepEqual([done.phase, done.cancel?.verdict?.outcome], ['refunded', 'credit_memo']);
    const memos = await c.magento.creditmemos.forOrder(entityId);
    assert.deepEqual(memos.map((m) => Number(m.grand_total).toFixed(2)), [grand]);
    const notes = await c.odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['invoice_origin', '=', f.odooOrderName]], { fields: ['state', 'amount_total'] });
    assert.deepEqual(notes.map((n) => [n.state, Number(n.amount_total).toFixed(2)]), [['posted', grand]]);
  });

  test('cancelled in Odoo after the goods shipped: parked, nothing written to Magento; reopened and confirmed, the shipment goes through', async () => {
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0005' }] });
    const f = await firstRound(handle);
    const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await c.odoo.cancelSaleOrder(f.odooOrderId!);
    assert.equal((await c.odoo.readSaleOrder(f.odooOrderId!))?.state, 'cancel', 'real Odoo cancels a shipped order');
    const before = await c.magento.orders.get(entityId);
    await handle.signal(odooProgressSignal, {});
    const parked = await untilStatus(handle, 'parked', (s) => s.phase === 'needs_attention', 120_000);
    assert.match(parked.attention!.reason, /was cancelled in Odoo, but Odoo delivery .+ has shipped; nothing was written to Magento/);
    const now = await c.magento.orders.get(entityId);
    assert.deepEqual([now.status, now.updated_at], [before.status, before.updated_at]);
    assert.equal((await c.magento.shipments.forOrder(entityId)).length, 0);
    assert.ok(!(await markersOf(entityId)).includes('cancelled'), 'no "cancelled" comment while parked');

    await c.setup.call('sale.order', 'action_draft', { ids: [f.odooOrderId!] });
    await c.setup.call('sale.order', 'action_confirm', { ids: [f.odooOrderId!] });
    // Real Odoo procures only what is still to deliver: no second delivery for a shipped line.
    const pickings = await c.odoo.listPickings(f.odooOrderId!);
    assert.deepEqual(pickings.filter((p) => p.state !== 'cancel').map((p) => p.state), ['done']);
    await handle.signal(retrySignal);
    await untilStatus(handle, 'shipment pushed', (s) => s.shipmentsPushed.length === 1 && s.phase === 'fulfilling', 120_000);
    assert.equal((await c.magento.shipments.forOrder(entityId)).length, 1);
    await handle.terminate('test over');
  });

  test('status both ways on a real Odoo: milestones once each as Magento comments; the Magento status as the order tag', async () => {
    const { handle, entityId } = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0004' }] });
    const f = await untilStatus(handle, 'status synced', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync order status'), 120_000);
    const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    assert.equal((await handle.result()).phase, 'complete');
    assert.deepEqual(await markersOf(entityId), ['confirmed', 'delivered', 'invoiced', 'paid']);
    assert.deepEqual(await magentoTags(f.odooOrderId!), ['Magento: complete']);
  });

  test('payment term by payment method and the store view\'s sales team and warehouse on a real Odoo order', async () => {
    const offline = await importOrder({ ...GUEST, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0006' }] });
    const online = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0006' }] });
    const read = async (handle: OrderHandle) => {
      const f = await untilStatus(handle, 'imported', (s) => s.odooOrderId !== undefined, 120_000);
      const [so] = await c.odoo.read('sale.order', [f.odooOrderId!], ['payment_term_id', 'team_id', 'warehouse_id']);
      return [so?.payment_term_id, so?.team_id].map((v) => (Array.isArray(v) ? v[1] : v));
    };
    assert.deepEqual(await read(offline.handle), ['30 Days', 'Sales']);
    assert.deepEqual(await read(online.handle), ['Immediate Payment', 'Sales']);
    await offline.handle.terminate('test over');
    await online.handle.terminate('test over');
  });
});

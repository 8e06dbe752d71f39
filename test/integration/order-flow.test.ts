// Whole orders end to end: the real worker with the real activities on the real Temporal dev
// server, both sandboxes over HTTP, and the real PostgreSQL. The test plays the warehouse and the
// accountant in Odoo, and the customer and the poller in Magento.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { triggerOrder } from '../../client/order-trigger';
import { signMagentoEvent, startWebhookGateway } from '../../client/webhook-gateway';
import { type DemoStack } from '../../sandbox/demo-stack';
import type { OrderSpec } from '../../sandbox/magento';
import { orderPoller } from '../../workflows/orderPoller';
import type { orderWorkflow } from '../../workflows/order';
import { cancelUpdate, magentoChangedSignal, odooProgressSignal, orderWorkflowId, retrySignal, statusQuery } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { resultWithin, untilStatus } from '../support/order-status';

type OrderHandle = WorkflowHandle<typeof orderWorkflow>;
const SIGNING = 'order-flow-signing-secret-0123456789';

describe('order lifecycle end to end', () => {
  let env: TestWorkflowEnvironment;
  let stack: DemoStack;
  let config: Config;
  let odoo: OdooClient;
  let magento: MagentoClient;
  let connector: TestConnector;
  const channel = `e2e${process.pid}`;
  const startWorkers = () => connector.startWorkers();
  const stopWorkers = () => connector.stopWorkers();

  before(async () => {
    connector = await startTestConnector({
      code: channel, magento: { world: { customers: 13 } }, odoo: { demo: { customers: 13 } },
      // these flows expect the connector to invoice offline orders at confirm
      channel: { orders: { followUpDays: 0, offlineInvoicing: 'on_confirm' }, webhooks: { signingSecret: SIGNING } },
    });
    ({ env, stack, config, odoo, magento } = connector);
  });
  after(async () => connector?.stop());

  const place = (spec: OrderSpec) => stack.magento.createOrder(spec) as { entity_id: number; increment_id: string };
  const handleOf = (incrementId: string): OrderHandle => env.client.workflow.getHandle(orderWorkflowId(channel, incrementId));
  async function importOrder(spec: OrderSpec): Promise<{ handle: OrderHandle; incrementId: string; entityId: number }> {
    const placed = place(spec);
    assert.equal(await triggerOrder(env.client, config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    return { handle: handleOf(placed.increment_id), incrementId: placed.increment_id, entityId: placed.entity_id };
  }
  /** the warehouse validates the open delivery, all of it or `part` of each move */
  async function ship(odooOrderId: number, options: { part?: number; tracking?: string } = {}): Promise<void> {
    const picking = (await odoo.listPickings(odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await odoo.listMoves(picking.id);
    if (options.tracking) await odoo.setTrackingRef(picking.id, options.tracking);
    await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, options.part ?? m.product_uom_qty])) });
  }
  const saleOrderCreates = () => stack.odoo.counters.any('sale.order.create', 'sale.order.web_save');

  test('online order: import, confirm, ship with tracking, invoice and payment imported, complete', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    assert.equal(fulfilling.paymentKind, 'online');
    assert.equal((await odoo.readSaleOrder(fulfilling.odooOrderId!))?.state, 'sale');

    await ship(fulfilling.odooOrderId!, { tracking: '1Z999AA10123456784' });
    await handle.signal(odooProgressSignal, {});
    const done = await resultWithin(handle);
    assert.equal(done.phase, 'complete');
    assert.equal(done.shipmentsPushed.length, 1);

    const shipments = await magento.shipments.forOrder(entityId);
    assert.equal(shipments.length, 1);
    assert.equal(shipments[0]?.tracks?.[0]?.track_number, '1Z999AA10123456784');
    assert.equal((await magento.orders.get(entityId)).status, 'complete');
    const invoices = await odoo.searchRead('account.move', [['invoice_origin', '=', fulfilling.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['state', 'payment_state'] });
    assert.equal(invoices.length, 1);
    assert.equal(invoices[0]?.state, 'posted');
    assert.match(String(invoices[0]?.payment_state), /paid|in_payment/);
  });

  test('offline order: Odoo invoices, the posted invoice reaches Magento, completes once paid', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    assert.equal(fulfilling.paymentKind, 'offline');
    await ship(fulfilling.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'invoice pushed', (s) => s.invoiceActions.some((a) => /pushed/.test(a)));
    assert.equal((await magento.invoices.forOrder(entityId)).length, 1);
    assert.notEqual((await handle.query(statusQuery)).phase, 'complete', 'not complete before the money is in');

    const [invoice] = await odoo.searchRead('account.move', [['invoice_origin', '=', fulfilling.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id'] });
    const [journal] = await odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
    await odoo.registerPayment(invoice!.id, { journalId: journal!.id, memo: 'cheque received' });
    await handle.signal(odooProgressSignal, { model: 'account.move', id: invoice!.id });
    assert.equal((await resultWithin(handle)).phase, 'complete');
    assert.equal((await magento.invoices.forOrder(entityId)).length, 1, 'still one Magento invoice');
  });

  test('a partial delivery becomes a partial shipment, then the rest', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0003', qty: 3 }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    await ship(fulfilling.odooOrderId!, { part: 1 });
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'first shipment', (s) => s.shipmentsPushed.length === 1);
    const first = await magento.shipments.forOrder(entityId);
    assert.deepEqual(first.map((s) => s.total_qty), [1]);
    assert.notEqual((await magento.orders.get(entityId)).status, 'complete');

    await ship(fulfilling.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    const done = await resultWithin(handle);
    assert.equal(done.phase, 'complete');
    assert.deepEqual((await magento.shipments.forOrder(entityId)).map((s) => s.total_qty).sort(), [1, 2]);
  });

  test('cancel before shipment: accepted, both sides cancelled', async () => {
    // GEAR-0003 is invoiced on delivery: nothing is invoiceable before it ships.
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'first sync done', (s) => s.phase === 'fulfilling' && s.steps.some((x) => x.step === 'sync invoices and payments'));
    assert.deepEqual(fulfilling.invoiceActions, [], 'no invoice for the shipping line alone');
    const verdict = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'customer changed their mind' }] });
    assert.equal(verdict.accepted, true);
    assert.equal(verdict.outcome, 'canceled');
    assert.equal((await resultWithin(handle)).phase, 'canceled');
    assert.equal((await magento.orders.get(entityId)).status, 'canceled');
    assert.equal((await odoo.readSaleOrder(fulfilling.odooOrderId!))?.state, 'cancel');
  });

  test('cancel after shipment: refused with the reason, the order goes on', async () => {
    const { handle } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer5@example.com', lines: [{ sku: 'GEAR-0005' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    await ship(fulfilling.odooOrderId!);
    await handle.signal(odooProgressSignal, {});
    await untilStatus(handle, 'shipped', (s) => s.shipmentsPushed.length === 1);
    const verdict = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'too late' }] });
    assert.equal(verdict.accepted, false);
    assert.equal(verdict.outcome, 'refused');
    assert.match(verdict.detail, /ship/i);
    await untilStatus(handle, 'fulfilling after refusal', (s) => s.phase === 'fulfilling');
    assert.equal((await odoo.readSaleOrder(fulfilling.odooOrderId!))?.state, 'sale', 'Odoo order untouched');
    await handle.terminate('test over');
  });

  test('cancel after invoice (online order): credit memo in Magento and credit note in Odoo', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer6@example.com', lines: [{ sku: 'GEAR-0007' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'invoice imported', (s) => s.phase === 'fulfilling' && s.invoiceActions.length > 0);
    const verdict = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'out of stock' }] });
    assert.deepEqual([verdict.accepted, verdict.outcome], [true, 'credit_memo']);
    assert.equal((await resultWithin(handle)).phase, 'refunded');
    assert.equal((await magento.creditmemos.forOrder(entityId)).length, 1);
    const refunds = await odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['invoice_origin', '=', fulfilling.odooOrderName]], { fields: ['state'] });
    assert.deepEqual(refunds.map((r) => r.state), ['posted']);
  });

  test('an unknown SKU parks the order visibly; after the fix, retry resumes it; nothing imported twice', async () => {
    const sku = 'GEAR-0008';
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['id'] });
    await odoo.write('product.product', [variant!.id], { default_code: `${sku}-RENAMED` });
    const creates = saleOrderCreates();
    const { handle, incrementId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer7@example.com', lines: [{ sku }], shippingMethod: 'flatrate_flatrate' });
    const parked = await untilStatus(handle, 'needs attention', (s) => s.phase === 'needs_attention');
    assert.match(parked.attention!.reason, new RegExp(`${incrementId}.*items\\[0\\]\\.sku "${sku}"`));
    for (let i = 0; i < 50; i++) {
      const { count } = await env.client.workflow.count(`NeedsAttention = true AND MagentoOrder = "${incrementId}"`);
      if (count === 1) break;
      assert.notEqual(i, 49, 'visible in the UI search');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(saleOrderCreates(), creates, 'nothing written while parked');

    await odoo.write('product.product', [variant!.id], { default_code: sku });
    await handle.signal(retrySignal);
    const resumed = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    assert.equal(resumed.attention, undefined);
    assert.equal(saleOrderCreates(), creates + 1);
    await handle.terminate('test over');
  });

  test('the poller signal-with-starts each order once, however often it runs', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer8@example.com', lines: [{ sku: 'GEAR-0009' }], shippingMethod: 'flatrate_flatrate' });
    const creates = saleOrderCreates();
    const pollOnce = () => env.client.workflow.execute(orderPoller, { taskQueue: config.temporal.taskQueues.orders, workflowId: `poll-${channel}-${Date.now()}`, args: [{ channel }] });
    const first = await pollOnce();
    assert.ok(first.seen >= 1);
    const handle = handleOf(placed.increment_id);
    await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    const second = await pollOnce();
    assert.ok(second.seen >= 1, 'the boundary order is seen again');
    await triggerOrder(env.client, config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id });
    const runs: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) runs.push(wf.runId);
    assert.equal(runs.length, 1, 'one workflow run');
    assert.equal(saleOrderCreates(), creates + 1, 'one sale order');
    await handle.terminate('test over');
  });

  test('a worker killed mid-flow: a new worker finishes the order, nothing is created twice', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer9@example.com', lines: [{ sku: 'GEAR-0011' }], shippingMethod: 'flatrate_flatrate' });
    // Stop between two rounds: an activity killed in flight is only retried after its
    // start-to-close timeout (2 minutes), which is right for production and slow for a test.
    const fulfilling = await untilStatus(handle, 'between rounds', (s) => s.phase === 'fulfilling' && s.steps.some((st) => st.step === 'sync credit memos'));
    for (let i = 0; i < 100 && ((await handle.describe()).raw.pendingActivities?.length ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const creates = saleOrderCreates();
    await stopWorkers();
    await ship(fulfilling.odooOrderId!, { tracking: 'TRACK-KILL' });
    await handle.signal(odooProgressSignal, {});
    await startWorkers();
    assert.equal((await resultWithin(handle)).phase, 'complete');
    assert.equal(saleOrderCreates(), creates);
    assert.equal((await magento.shipments.forOrder(entityId)).length, 1);
  });

  test('the same order event three times (poller, webhook, webhook) gives one workflow and one Odoo order', async () => {
    const gateway = await startWebhookGateway({ config, client: env.client, log: () => undefined }, { port: 0 });
    try {
      const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer8@example.com', lines: [{ sku: 'GEAR-0014' }], shippingMethod: 'flatrate_flatrate' });
      const creates = saleOrderCreates();
      await env.client.workflow.execute(orderPoller, { taskQueue: config.temporal.taskQueues.orders, workflowId: `poll3-${channel}-${Date.now()}`, args: [{ channel }] });
      for (const second of [0, 1]) {
        const raw = JSON.stringify({ event: 'order.saved', increment_id: placed.increment_id, status: 'pending' });
        const ts = Math.floor(Date.now() / 1000) + second;
        const res = await fetch(`${gateway.url}/hooks/magento/${channel}`, { method: 'POST', body: raw, headers: { 'x-m2o-timestamp': String(ts), 'x-m2o-signature': signMagentoEvent(SIGNING, ts, raw) } });
        assert.equal(res.status, 202);
      }
      const handle = handleOf(placed.increment_id);
      await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
      const runs: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) runs.push(wf.runId);
      assert.equal(runs.length, 1);
      assert.equal(saleOrderCreates(), creates + 1);
      await handle.terminate('test over');
    } finally {
      await gateway.close();
    }
  });

  test('injected 5xx and 429 on both APIs are retried to success', async () => {
    stack.magento.faults.set([
      { route: 'GET /V1/orders', fault: 'rate_limit', retryAfterSeconds: 1, times: 1 },
      { route: 'POST /V1/order/:orderId/ship', fault: 'error503', times: 1 },
    ]);
    stack.odoo.faults.set([{ route: 'sale.order.action_confirm', fault: 'rate_limit', retryAfterSeconds: 1, times: 1 }]);
    try {
      const { handle, entityId } = await importOrder({ paymentMethod: 'braintree', customerEmail: 'customer13@example.com', lines: [{ sku: 'GEAR-0015' }], shippingMethod: 'flatrate_flatrate' });
      const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
      await ship(fulfilling.odooOrderId!);
      await handle.signal(odooProgressSignal, {});
      const done = await untilStatus(handle, 'shipped', (s) => s.shipmentsPushed.length === 1);
      assert.equal(done.steps.some((s) => s.outcome === 'parked'), false);
      assert.equal((await magento.shipments.forOrder(entityId)).length, 1);
      assert.ok(stack.magento.counters.get('POST /V1/order/:orderId/ship') >= 2, 'the refused ship was retried');
      assert.equal((await resultWithin(handle)).phase, 'complete');
    } finally {
      stack.magento.faults.clear();
      stack.odoo.faults.clear();
    }
  });

  test('transient Odoo faults are retried, never parked, and create one order', async () => {
    stack.odoo.faults.set([{ route: 'sale.order.web_save', fault: 'error500', times: 2 }]);
    const creates = saleOrderCreates();
    const { handle } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer10@example.com', lines: [{ sku: 'GEAR-0012' }], shippingMethod: 'flatrate_flatrate' });
    const status = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    stack.odoo.faults.clear();
    assert.equal(status.steps.some((s) => s.outcome === 'parked'), false);
    assert.equal(saleOrderCreates(), creates + 3, 'two refused attempts, one that landed');
    const orders = await odoo.searchRead('sale.order', [['client_order_ref', '=', status.incrementId]], { fields: ['id'] });
    assert.equal(orders.length, 1);
    await handle.terminate('test over');
  });

  test('two orders of one new customer imported at the same moment share one partner', async () => {
    const spec: OrderSpec = { paymentMethod: 'checkmo', customerEmail: 'customer11@example.com', lines: [{ sku: 'GEAR-0013' }], shippingMethod: 'flatrate_flatrate' };
    const partnersBefore = stack.odoo.counters.any('res.partner.create', 'res.partner.web_save');
    const [a, b] = await Promise.all([importOrder(spec), importOrder(spec)]);
    const [sa, sb] = await Promise.all([untilStatus(a.handle, 'fulfilling', (s) => s.phase === 'fulfilling'), untilStatus(b.handle, 'fulfilling', (s) => s.phase === 'fulfilling')]);
    const orders = await odoo.read('sale.order', [sa.odooOrderId!, sb.odooOrderId!], ['partner_id']);
    const partnerIds = new Set(orders.map((o) => (o.partner_id as [number, string])[0]));
    assert.equal(partnerIds.size, 1, 'one partner for both orders');
    const created = stack.odoo.counters.any('res.partner.create', 'res.partner.web_save') - partnersBefore;
    assert.ok(created <= 3, `one partner and its contacts, not two sets (${created} creates)`);
    await a.handle.terminate('test over');
    await b.handle.terminate('test over');
  });

  test('a shipping address edited in Magento after import reaches the Odoo order and its open delivery', async () => {
    const { handle, entityId } = await importOrder({ paymentMethod: 'checkmo', customerEmail: 'customer12@example.com', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' });
    const fulfilling = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling');
    // What an admin's address edit does to the stored order.
    const stored = stack.magento.state.order(entityId)!;
    stored.shipping_address.street = ['1 Edited Street'];
    stored.shipping_address.city = 'Edited City';
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    await untilStatus(handle, 'address pushed', (s) => s.steps.some((x) => x.step === 'sync address edits' && /delivery address updated/.test(x.detail)));
    const [so] = await odoo.read('sale.order', [fulfilling.odooOrderId!], ['partner_shipping_id']);
    const shippingId = (so?.partner_shipping_id as [number, string])[0];
    const [contact] = await odoo.read('res.partner', [shippingId], ['city', 'street', 'type']);
    assert.deepEqual([contact?.city, contact?.street, contact?.type], ['Edited City', '1 Edited Street', 'delivery']);
    const [picking] = (await odoo.listPickings(fulfilling.odooOrderId!)).filter((p) => p.state !== 'done' && p.state !== 'cancel');
    const [pickingPartner] = await odoo.read('stock.picking', [picking!.id], ['partner_id']);
    assert.equal((pickingPartner?.partner_id as [number, string])[0], shippingId);

    // Signalled again with nothing edited: nothing is written.
    const writes = stack.odoo.counters.get('sale.order.write') + stack.odoo.counters.get('stock.picking.write');
    await handle.signal(magentoChangedSignal, { status: 'processing' });
    await untilStatus(handle, 'second look', (s) => s.steps.filter((x) => x.step === 'sync address edits' && x.outcome === 'ok').length === 2);
    assert.equal(stack.odoo.counters.get('sale.order.write') + stack.odoo.counters.get('stock.picking.write'), writes);
    await handle.terminate('test over');
  });
});

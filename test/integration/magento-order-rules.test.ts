import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MagentoClient } from '../../integrations/magento/client';
import { IntegrationError } from '../../integrations/errors';
import type { Order } from '../../integrations/magento/schemas';
import type { MagentoSandbox } from '../../sandbox/magento/server';
import { signRequest } from '../../integrations/magento/oauth1';
import { rejection, startHarness } from './magento-harness';

let sandbox: MagentoSandbox;
let client: MagentoClient;

before(async () => {
  ({ sandbox, client } = await startHarness());
});
after(() => sandbox.close());

/** an order placed at checkout, read back through the client */
async function place(spec: Parameters<MagentoSandbox['createOrder']>[0]): Promise<Order> {
  return client.orders.get(sandbox.createOrder(spec).entity_id as number);
}

/** the raw Magento error body, to check the shape as well as the mapping */
async function rawError(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const c = sandbox.credentials;
  const url = `${sandbox.url}/rest/default${path}`;
  const { authorization } = signRequest({ method: 'POST', url, credentials: { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret } });
  const res = await fetch(url, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('quantities are never exceeded', () => {
  test('shipping more than ordered is refused with Magento\'s message and body shape', async () => {
    const order = await place({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0005', qty: 2 }] });
    const line = order.items[0]!;
    const raw = await rawError(`/V1/order/${order.entity_id}/ship`, { items: [{ order_item_id: line.item_id, qty: 3 }] });
    assert.deepEqual(raw, {
      status: 400,
      body: { message: 'Shipment Document Validation Error(s):\nThe quantity to ship must not be greater than the unshipped quantity for product SKU "GEAR-0005".' },
    });
    await client.orders.ship(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 2 }] });
    const again = await rejection<IntegrationError>(client.orders.ship(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }] }));
    assert.deepEqual([again.kind, again.retryable], ['validation', false]);
    assert.match(again.message, /The order does not allow a shipment to be created\./);
    assert.equal((await client.shipments.forOrder(order.entity_id)).length, 1);
  });

  test('invoicing more than ordered is refused; an already invoiced order cannot be invoiced again', async () => {
    const order = await place({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0006', qty: 1 }] });
    const line = order.items[0]!;
    const over = await rawError(`/V1/order/${order.entity_id}/invoice`, { items: [{ order_item_id: line.item_id, qty: 2 }] });
    assert.equal(over.status, 400);
    assert.deepEqual(over.body, { message: 'Invoice Document Validation Error(s):\nThe quantity to invoice must not be greater than the uninvoiced quantity for product SKU "GEAR-0006".' });
    const online = await place({ paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0007', qty: 1 }] });
    const err = await rejection<IntegrationError>(client.orders.invoice(online.entity_id));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /Invoice Document Validation Error\(s\):\nThe order does not allow an invoice to be created\./);
  });

  test('nothing can be refunded before it is invoiced, and never more than invoiced', async () => {
    const order = await place({ paymentKind: 'offline', shippingMethod: 'flatrate_flatrate', lines: [{ sku: 'GEAR-0008', qty: 2 }] });
    const line = order.items[0]!;
    const none = await rejection<IntegrationError>(client.orders.refund(order.entity_id));
    assert.match(none.message, /The order does not allow a creditmemo to be created\./);
    await client.orders.invoice(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }] });
    const over = await rawError(`/V1/order/${order.entity_id}/refund`, { items: [{ order_item_id: line.item_id, qty: 2 }] });
    assert.deepEqual(over, {
      status: 400,
      body: { message: 'Creditmemo Document Validation Error(s):\nThe quantity to creditmemo must not be greater than the unrefunded quantity for product SKU "GEAR-0008".' },
    });
    const shipping = await rejection<IntegrationError>(client.orders.refund(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }], shippingAmount: 999 }));
    assert.match(shipping.message, /Maximum shipping amount allowed to refund is: \$5\.00$/);
    const money = await rejection<IntegrationError>(client.orders.refund(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }], adjustmentPositive: 10_000 }));
    assert.match(money.message, /The most money available to refund is \$\d+\.\d\d\./);
    assert.equal((await client.creditmemos.forOrder(order.entity_id)).length, 0);
  });

  test('an invoice refund is limited to what that invoice billed', async () => {
    const order = await place({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0009', qty: 3 }] });
    const line = order.items[0]!;
    const first = await client.orders.invoice(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }] });
    const err = await rejection<IntegrationError>(client.invoices.refund(first, { items: [{ orderItemId: line.item_id, qty: 2 }] }));
    assert.match(err.message, /unrefunded quantity for product SKU "GEAR-0009"/);
    await client.invoices.refund(first, { items: [{ orderItemId: line.item_id, qty: 1 }] });
    const twice = await rejection<IntegrationError>(client.invoices.refund(first));
    assert.match(twice.message, /We can't create creditmemo for the invoice\./);
  });
});

describe('cancel follows Order::canCancel', () => {
  test('a fully invoiced (online) order: cancel answers false and nothing changes', async () => {
    const order = await place({ paymentMethod: 'braintree' });
    assert.equal(await client.orders.cancel(order.entity_id), false);
    assert.equal((await client.orders.get(order.entity_id)).state, 'processing');
  });

  test('partly invoiced: only the uninvoiced, unshipped quantity is cancelled and the order lives on', async () => {
    const order = await place({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0011', qty: 3 }] });
    const line = order.items[0]!;
    await client.orders.invoice(order.entity_id, { items: [{ orderItemId: line.item_id, qty: 1 }] });
    assert.equal(await client.orders.cancel(order.entity_id), true);
    const after = await client.orders.get(order.entity_id);
    assert.deepEqual([after.items[0]!.qty_canceled, after.items[0]!.qty_invoiced], [2, 1]);
    assert.equal(after.state, 'processing');
    assert.ok((after.total_canceled ?? 0) > 0);
  });

  test('held, canceled and complete orders cannot be cancelled', async () => {
    const held = await place({ paymentKind: 'offline' });
    await client.orders.hold(held.entity_id);
    assert.equal(await client.orders.cancel(held.entity_id), false);
    const canceled = await place({ paymentKind: 'offline' });
    assert.equal(await client.orders.cancel(canceled.entity_id), true);
    assert.equal(await client.orders.cancel(canceled.entity_id), false);
  });
});

describe('hold and unhold', () => {
  test('a held order cannot be shipped or invoiced; hold twice is refused; unhold restores the state', async () => {
    const order = await place({ paymentKind: 'offline' });
    await client.orders.hold(order.entity_id);
    const ship = await rejection<IntegrationError>(client.orders.ship(order.entity_id));
    assert.match(ship.message, /A shipment cannot be created when an order has a status of holded/);
    const invoice = await rejection<IntegrationError>(client.orders.invoice(order.entity_id));
    assert.match(invoice.message, /An invoice cannot be created when an order has a status of holded/);
    const again = await rejection<IntegrationError>(client.orders.hold(order.entity_id));
    assert.match(again.message, /A hold action is not available\./);
    await client.orders.unhold(order.entity_id);
    const unheld = await client.orders.get(order.entity_id);
    assert.deepEqual([unheld.state, unheld.status, unheld.hold_before_state], ['new', 'pending', undefined]);
    const unholdAgain = await rejection<IntegrationError>(client.orders.unhold(order.entity_id));
    assert.match(unholdAgain.message, /You cannot remove the hold\./);
  });
});

describe('state transitions like Magento', () => {
  test('offline: new → processing (shipped) → complete (invoiced) → closed (fully refunded)', async () => {
    const order = await place({ paymentMethod: 'checkmo', lines: [{ sku: 'TEE-003-BLUE-M', qty: 2 }, { sku: 'GEAR-0012', qty: 1 }] });
    assert.equal(order.state, 'new');
    const parent = order.items.find((i) => i.product_type === 'configurable')!;
    const child = order.items.find((i) => i.parent_item_id === parent.item_id)!;
    await client.orders.ship(order.entity_id, { items: [{ orderItemId: parent.item_id, qty: 2 }] });
    let now = await client.orders.get(order.entity_id);
    assert.equal(now.state, 'processing');
    // the configurable child follows its parent
    assert.equal(now.items.find((i) => i.item_id === child.item_id)!.qty_shipped, 2);
    await client.orders.ship(order.entity_id);
    assert.equal((await client.orders.get(order.entity_id)).state, 'processing');
    await client.orders.invoice(order.entity_id);
    now = await client.orders.get(order.entity_id);
    assert.deepEqual([now.state, now.status, now.total_due], ['complete', 'complete', 0]);
    await client.orders.refund(order.entity_id, { items: [{ orderItemId: parent.item_id, qty: 1 }] });
    assert.equal((await client.orders.get(order.entity_id)).state, 'complete');
    await client.orders.refund(order.entity_id);
    now = await client.orders.get(order.entity_id);
    assert.deepEqual([now.state, now.total_refunded], ['closed', now.total_paid]);
    const closed = await rejection<IntegrationError>(client.orders.refund(order.entity_id));
    assert.match(closed.message, /A creditmemo can not be created when an order has a status of closed/);
  });

  test('online: processing at checkout → complete once shipped', async () => {
    const order = await place({ paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0013', qty: 1 }] });
    assert.equal(order.state, 'processing');
    await client.orders.ship(order.entity_id);
    assert.equal((await client.orders.get(order.entity_id)).state, 'complete');
  });

  test('pending_payment online orders can be invoiced into processing', async () => {
    const order = await place({ paymentMethod: 'braintree', awaitingPayment: true, lines: [{ sku: 'GEAR-0014', qty: 1 }] });
    assert.deepEqual([order.state, order.status], ['pending_payment', 'pending_payment']);
    await client.orders.invoice(order.entity_id, { capture: true });
    assert.equal((await client.orders.get(order.entity_id)).state, 'processing');
  });

  test('shipping deducts the MSI source quantity', async () => {
    const before = (await client.stock.searchSourceItems()).items.find((i) => i.sku === 'GEAR-0015')!.quantity ?? 0;
    const order = await place({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0015', qty: 1 }] });
    await client.orders.ship(order.entity_id);
    const after = (await client.stock.searchSourceItems()).items.find((i) => i.sku === 'GEAR-0015')!.quantity;
    assert.equal(after, Math.max(0, before - 1));
  });
});

describe('admin endpoints', () => {
  test('orders can be created and the world reset over HTTP', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/orders`, { method: 'POST', body: JSON.stringify({ paymentKind: 'offline', count: 2, guest: true }) });
    const { orders } = (await res.json()) as { orders: Array<{ entity_id: number; customer_is_guest: number }> };
    assert.equal(orders.length, 2);
    assert.equal((await client.orders.get(orders[0]!.entity_id)).customer_is_guest, 1);
    assert.equal((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST', body: '{"orders": 3}' })).status, 200);
    assert.equal((await client.orders.search()).total_count, 3);
  });
});

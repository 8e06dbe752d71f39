// The real-Odoo tier for issue 10: orders with Magento 2.4.7's money (another currency, a
// tax-inclusive coupon, odd discounts, many rows) replayed verbatim through the Magento sandbox
// and imported by the real worker; real Odoo's own rounding (price_unit and discount stored with
// 2 decimals, taxes per line) must land on Magento's grand total to the cent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { triggerOrder } from '../../client/order-trigger';
import { bulkSync } from '../../workflows/bulkSync';
import { odooProgressSignal, orderWorkflowId, statusQuery } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { withMoney, type MoneySpec } from '../support/magento-money';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('order money');
const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate' } as const;

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rm${process.pid}`;
  let seq = 0;

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: { simpleProducts: 12, configurableProducts: 0, customers: 2 }, channel: { orders: { followUpDays: 0 } } });
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'checkmo' });
    // the reference sync makes a payment journal for each method it sees
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'cashondelivery' });
    await c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-ref-${channel}`, args: [{ channel, stream: 'reference' }] });
    // As a merchant selling in euros sets Odoo up: EUR activated and a pricelist in it.
    const [eur] = await c.setup.searchRead('res.currency', [['name', '=', 'EUR'], ['active', 'in', [true, false]]], ['id']);
    await c.setup.write('res.currency', [eur!.id], { active: true });
    await c.setup.create('product.pricelist', { name: 'Euro shop', currency_id: eur!.id });
  });
  after(async () => c?.stop());

  /** replays the order through the verbatim endpoint, imports it, and gives both totals */
  async function importMoney(spec: Omit<MoneySpec, 'incrementId'>): Promise<{ incrementId: string; odoo: string; magento: string; currency: string }> {
    const placed = c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'checkmo', lines: spec.lines.map((l) => ({ sku: l.sku, qty: l.qty })) });
    const incrementId = `7${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;
    const body = withMoney(placed, { incrementId, ...spec });
    const res = await fetch(`${c.magentoSandbox.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    assert.equal(await triggerOrder(c.env.client, c.config.temporal.taskQueues.orders, { channel, incrementId }), 'accepted');
    const handle = c.env.client.workflow.getHandle(orderWorkflowId(channel, incrementId));
    const s = await untilStatus(handle, 'imported or parked', (st) => st.phase === 'fulfilling' || st.phase === 'needs_attention', 180_000);
    if (s.phase !== 'fulfilling') {
      // What Odoo made of each line, for the report of a difference.
      const [so] = await c.odoo.findSaleOrdersByReference(incrementId);
      const rows = so ? await c.odoo.searchRead('sale.order.line', [['order_id', '=', so.id]], { fields: ['price_unit', 'discount', 'product_uom_qty', 'price_subtotal', 'price_tax', 'price_total', 'is_delivery'] }) : [];
      assert.fail(`parked: ${(await handle.query(statusQuery)).attention?.reason ?? ''}\nOdoo lines: ${JSON.stringify(rows)}\nMagento items: ${JSON.stringify((body.items as Array<Record<string, unknown>>).map((i) => [i.price, i.qty_ordered, i.discount_amount, i.tax_amount, i.row_total_incl_tax]))}`);
    }
    const [so] = await c.odoo.read('sale.order', [s.odooOrderId!], ['amount_total', 'currency_id']);
    return { incrementId, odoo: Number(so?.amount_total).toFixed(2), magento: Number(body.grand_total).toFixed(2), currency: String((so?.currency_id as [number, string])[1]) };
  }

  test('class 1: an order in EUR (USD base) lands in EUR at the EUR grand total', async (t) => {
    const r = await importMoney({ currency: 'EUR', baseCurrency: 'USD', rate: 0.92, taxPercent: 8.25, shipping: 5, lines: [{ sku: 'GEAR-0001', qty: 2, price: 19.99 }, { sku: 'GEAR-0002', qty: 1, price: 7.35 }] });
    t.diagnostic(`${r.incrementId} ${r.currency}: Odoo ${r.odoo} vs Magento ${r.magento}`);
    assert.equal(r.currency, 'EUR');
    assert.equal(r.odoo, r.magento);
  });

  test('class 2: tax-inclusive prices with a 10% coupon: the grand total to the cent', async (t) => {
    const r = await importMoney({ taxPercent: 8.25, pricesIncludeTax: true, couponPercent: 10, shipping: 5, lines: [{ sku: 'GEAR-0003', qty: 1, price: 108.25 }, { sku: 'GEAR-0004', qty: 3, price: 9.99 }, { sku: 'GEAR-0005', qty: 2, price: 24.95 }] });
    t.diagnostic(`${r.incrementId} ${r.currency}: Odoo ${r.odoo} vs Magento ${r.magento}`);
    assert.equal(r.odoo, r.magento);
  });

  test('class 2: odd discounts (7.77 on 7 × 13.37, 123.45 on 12 × 199.99, float noise): the grand total to the cent', async (t) => {
    const r = await importMoney({ taxPercent: 8.25, shipping: 5, lines: [{ sku: 'GEAR-0006', qty: 7, price: 13.37, discountAmount: 7.77 }, { sku: 'GEAR-0007', qty: 12, price: 199.99, discountAmount: 123.45 }, { sku: 'GEAR-0008', qty: 3, price: 26.009999999999998, discountAmount: 2.35 }] });
    t.diagnostic(`${r.incrementId} ${r.currency}: Odoo ${r.odoo} vs Magento ${r.magento}`);
    assert.equal(r.odoo, r.magento);
  });

  test('class 2: a tax-inclusive EUR order with a 15% coupon over six rows (per-row rounding deltas): the grand total to the cent', async (t) => {
    const lines = [0.99, 3.33, 17.49, 45.5, 129.95, 2.05].map((price, i) => ({ sku: `GEAR-${String(i + 1).padStart(4, '0')}`, qty: 1 + (i % 4), price }));
    const r = await importMoney({ currency: 'EUR', baseCurrency: 'USD', rate: 0.92, taxPercent: 8.25, pricesIncludeTax: true, couponPercent: 15, shipping: 4.9, lines });
    t.diagnostic(`${r.incrementId} ${r.currency}: Odoo ${r.odoo} vs Magento ${r.magento}`);
    assert.equal(r.currency, 'EUR');
    assert.equal(r.odoo, r.magento);
  });

  test('class 3: a cash-on-delivery order Magento invoiced and shows paid: a posted, paid Odoo invoice for the grand total', async (t) => {
    const placed = c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'cashondelivery', lines: [{ sku: 'GEAR-0009', qty: 3 }] }) as { entity_id: number; increment_id: string; grand_total: number };
    await c.magento.orders.invoice(placed.entity_id, { capture: false });
    const paid = await c.magento.orders.get(placed.entity_id);
    assert.equal(paid.total_paid, paid.grand_total);
    assert.equal(await triggerOrder(c.env.client, c.config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    const handle = c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
    // The demo products are invoiced on delivery in real Odoo: the warehouse ships first.
    const f = await untilStatus(handle, 'fulfilling', (st) => st.phase === 'fulfilling' || st.phase === 'needs_attention', 180_000);
    assert.equal(f.phase, 'fulfilling', f.attention?.reason);
    const picking = (await c.odoo.listPickings(f.odooOrderId!)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const stockMoves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(stockMoves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    const s = await untilStatus(handle, 'paid in Odoo', (st) => st.phase === 'needs_attention' || st.invoiceActions.some((a) => /registered payment/.test(a)), 180_000);
    assert.notEqual(s.phase, 'needs_attention', s.attention?.reason);
    const moves = await c.odoo.searchRead('account.move', [['invoice_origin', '=', s.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['state', 'payment_state', 'amount_total', 'amount_residual'] });
    t.diagnostic(`${placed.increment_id}: Odoo invoice ${Number(moves[0]?.amount_total).toFixed(2)} ${String(moves[0]?.payment_state)} vs Magento ${Number(paid.grand_total).toFixed(2)} paid ${Number(paid.total_paid).toFixed(2)}`);
    assert.equal(moves.length, 1);
    assert.equal(moves[0]?.state, 'posted');
    assert.match(String(moves[0]?.payment_state), /paid|in_payment/);
    assert.equal(Number(moves[0]?.amount_total).toFixed(2), Number(paid.grand_total).toFixed(2));
    assert.equal((await c.magento.invoices.forOrder(placed.entity_id)).length, 1, 'no second Magento invoice');
    assert.equal((await handle.result()).phase, 'complete', 'shipped, invoiced and paid on both sides');
  });
});

// The real-Odoo tier for issue 10 class 6, documents: the real 2.4.7 body with a bundle
// (test/contracts) replayed through the Magento sandbox, imported into a real Odoo (18 over
// JSON-RPC, 19 over JSON-2) as component lines, delivered there through Odoo's own validate
// wizard, and invoiced by the connector on delivery. Magento's shipment and invoice must name the
// rows Magento takes: the bundle row when it ships together, the components when separately; a
// dynamic-price bundle is invoiced by its components. The order activities are called one step at
// a time, as in offline-invoicing.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import type { Json } from '../../sandbox/magento/state';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';
import { recordedOrder } from '../support/order-examples';

const tier = realTier('bundles in Magento documents');
const SKUS = ['WS12-M-Orange', '240-LV08', '24-WG082-blue', '24-WG084', '24-WG086', '24-WG088', 'MH01-S-Gray'];
// item ids in the body: 3 simple, 4 downloadable, 5 bundle (6–9 its components), 10 configurable (11 its child)
const COMPONENTS = [6, 7, 8, 9];

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  let acts: OrderActivities;
  const channel = `bu${process.pid}`;
  let seq = 0;

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: { simpleProducts: 2, configurableProducts: 0, customers: 1 }, channel: { orders: { followUpDays: 0, offlineInvoicing: 'on_delivery' } } });
    acts = createOrderActivities({ config: c.config, pool: c.db.pool });
    // As the merchant sets Odoo up: the components and the other products (untaxed, as Magento
    // sold them), stock on hand, and the "Best Way" carrier.
    const [warehouse] = await c.setup.searchRead('stock.warehouse', [], ['lot_stock_id'], { limit: 1 });
    const location = (warehouse?.lot_stock_id as [number, string])[0];
    for (const sku of SKUS) {
      const tmpl = await c.setup.create('product.template', { name: sku, default_code: sku, type: 'consu', is_storable: sku !== '240-LV08', invoice_policy: 'order', taxes_id: [[6, 0, []]] });
      const [variant] = await c.setup.searchRead('product.product', [['product_tmpl_id', '=', tmpl]], ['id']);
      if (sku !== '240-LV08') await c.setup.create('stock.quant', { product_id: variant!.id, location_id: location, inventory_quantity_auto_apply: 50 }, { inventory_mode: true });
    }
    const shipTmpl = await c.setup.create('product.template', { name: 'Best Way', type: 'service', taxes_id: [[6, 0, []]] });
    const [shipProduct] = await c.setup.searchRead('product.product', [['product_tmpl_id', '=', shipTmpl]], ['id']);
    await c.setup.create('delivery.carrier', { name: 'Best Way', delivery_type: 'fixed', product_id: shipProduct!.id, fixed_price: 0 });
  });
  after(async () => c?.stop());

  async function lifecycle(edit: (body: Json) => void = () => {}) {
    const body = recordedOrder('adobedocs_order-create-order_GET_V1_orders_3.json') as Json;
    const incrementId = `66${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;
    Object.assign(body, { increment_id: incrementId, customer_is_guest: 1, customer_id: undefined });
    edit(body);
    const res = await fetch(`${c.magentoSandbox.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const { entity_id: entityId } = (await res.json()) as { entity_id: number };
    const imported = await acts.importOrder({ channel, incrementId });
    assert.equal(imported.outcome, 'imported');
    const r = { channel, incrementId, magentoOrderId: entityId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    const [so] = await c.odoo.read('sale.order', [r.odooOrderId], ['amount_total']);
    assert.equal(Number(so?.amount_total).toFixed(2), '165.00', 'the bundle counted once');
    assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: false }, 'on_delivery: nothing before the delivery');
    const picking = (await c.odoo.listPickings(r.odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    assert.equal((await acts.syncShipments(r)).created.length, 1, 'one Magento shipment');
    const invoiced = await acts.syncInvoices(r);
    assert.ok(invoiced.actions.some((a) => /to Magento as invoice/.test(a)), invoiced.actions.join(' | '));
    const [odooSo] = await c.odoo.read('sale.order', [r.odooOrderId], ['invoice_ids']);
    const odooInvoices = (await c.odoo.readMoves(odooSo!.invoice_ids as number[])).filter((m) => m.move_type === 'out_invoice');
    const order = await c.magento.orders.get(entityId);
    const [shipment] = await c.magento.shipments.forOrder(entityId);
    const invoices = await c.magento.invoices.forOrder(entityId);
    return { order, shipment: shipment!, invoices, odooInvoices, qtyShipped: Object.fromEntries(order.items.map((i) => [i.item_id, i.qty_shipped])) };
  }
  const rows = (doc: { items: Array<{ order_item_id: number; qty: number }> }) => doc.items.map((i) => [i.order_item_id, i.qty]);

  test('"Together" (the default): the Magento shipment names the bundle row; the invoice its components; Odoo invoice = Magento invoice = 165.00', async (t) => {
    const { order, shipment, invoices, odooInvoices, qtyShipped } = await lifecycle();
    assert.deepEqual(rows(shipment).filter(([id]) => id === 5), [[5, 1]]);
    assert.deepEqual(qtyShipped, { 3: 1, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    assert.equal(invoices.length, 1);
    assert.deepEqual(rows(invoices[0]!).filter(([id]) => COMPONENTS.includes(id as number)), COMPONENTS.map((id) => [id, 1]));
    assert.deepEqual(odooInvoices.map((m) => [m.state, Number(m.amount_total).toFixed(2)]), [['posted', '165.00']]);
    assert.equal(invoices[0]!.grand_total, 165);
    assert.deepEqual([order.state, order.total_invoiced], ['complete', 165]);
    t.diagnostic(`together: shipment ${JSON.stringify(rows(shipment))}; Odoo invoice ${odooInvoices[0]!.amount_total} = Magento invoice ${invoices[0]!.grand_total} = grand total ${order.grand_total}`);
  });

  test('"Separately": the Magento shipment names the component rows', async (t) => {
    const product = await c.magento.catalog.saveProduct({ sku: '24-WG080', name: 'Sprite Yoga Companion Kit', type_id: 'bundle', attribute_set_id: 4, price: 0, custom_attributes: [{ attribute_code: 'shipment_type', value: '1' }] } as never);
    const { order, shipment, invoices, odooInvoices, qtyShipped } = await lifecycle((body) => {
      for (const item of body.items as Json[]) if (item.item_id === 5) item.product_id = product.id;
    });
    assert.deepEqual(rows(shipment).filter(([id]) => COMPONENTS.includes(id as number) || id === 5), COMPONENTS.map((id) => [id, 1]));
    assert.deepEqual(qtyShipped, { 3: 1, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    assert.deepEqual(odooInvoices.map((m) => Number(m.amount_total).toFixed(2)), ['165.00']);
    assert.equal(invoices[0]!.grand_total, 165);
    assert.equal(order.state, 'complete');
    t.diagnostic(`separately: shipment ${JSON.stringify(rows(shipment))}; Odoo invoice ${odooInvoices[0]!.amount_total} = Magento ${invoices[0]!.grand_total}`);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import { many2oneId } from '../../activities/orders/odoo-mappings';
import type { MagentoSandbox } from '../../sandbox/magento';
import { startDemoStack } from '../../sandbox/demo-stack';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import type { Json } from '../../sandbox/magento/state';
import { createScratchDatabase } from '../support/database';
import { recordedOrder } from '../support/order-examples';

// Issue 10 class 6, documents: a bundle is delivered and invoiced in Odoo as its components, and
// Magento must get a shipment and an invoice naming the rows it takes (Order\Item::isDummy): the
// bundle row for "Ship Bundle Items: Together" and for a fixed price, the component rows for
// "Separately" and for a dynamic price. The real 2.4.7 body with a bundle (test/contracts) is
// replayed verbatim; the Magento sandbox applies the 2.4.7 document rules to it, so a request
// naming the wrong rows ships or invoices nothing of the bundle, as Magento does.

const CHANNEL = 'bundles';
const BODY = 'adobedocs_order-create-order_GET_V1_orders_3.json';
// item ids in that body: 3 simple, 4 downloadable, 5 bundle (6–9 its components), 10 configurable (11 its child)
const COMPONENTS = [6, 7, 8, 9];

describe('bundles become Magento shipments and invoices on the rows Magento takes (sandboxes)', () => {
  let magento: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let magentoClient: MagentoClient;
  let config: Config;
  let seq = 0;

  before(async () => {
    const [stack, scratch] = await Promise.all([startDemoStack({ code: CHANNEL, channel: { orders: { offlineInvoicing: 'on_delivery' } } }), createScratchDatabase()]);
    ({ magento, odoo: odooSandbox } = stack);
    db = scratch;
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(stack.channel.odoo);
    magentoClient = new MagentoClient(stack.channel.magento);
    // As an Odoo admin sets the shop up: the products (components, as Odoo stocks them) and the carrier.
    for (const sku of ['WS12-M-Orange', '240-LV08', '24-WG082-blue', '24-WG084', '24-WG086', '24-WG088', 'MH01-S-Gray']) {
      await odoo.create('product.product', [{ name: sku, default_code: sku, type: 'consu', is_storable: true, invoice_policy: 'order' }]);
    }
    const [shipping] = await odoo.create('product.product', [{ name: 'Best Way', type: 'service', taxes_id: [[6, 0, []]] }]);
    await odoo.create('delivery.carrier' as never, [{ name: 'Best Way', product_id: shipping, delivery_type: 'fixed' }]);
  });
  after(async () => {
    await Promise.all([magento?.close(), odooSandbox?.close()]);
    await db?.drop();
  });

  /** the recorded body, as a guest order of its own, changed by `edit`, imported, confirmed, delivered in Odoo and synced */
  async function lifecycle(edit: (body: Json) => void = () => {}) {
    const body = recordedOrder(BODY) as Json;
    const incrementId = `55000${String(++seq).padStart(4, '0')}`;
    Object.assign(body, { increment_id: incrementId, customer_is_guest: 1, customer_id: undefined });
    edit(body);
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const { entity_id: entityId } = (await res.json()) as { entity_id: number };
    const imported = await acts.importOrder({ channel: CHANNEL, incrementId });
    assert.equal(imported.outcome, 'imported');
    const r = { channel: CHANNEL, incrementId, magentoOrderId: entityId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    const [so] = await odoo.read('sale.order', [r.odooOrderId], ['amount_total']);
    assert.equal(Number(so?.amount_total).toFixed(2), '165.00', 'the bundle counted once');
    const picking = (await odoo.listPickings(r.odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await odoo.listMoves(picking.id);
    await odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    const shipped = await acts.syncShipments(r);
    assert.equal(shipped.created.length, 1, 'one Magento shipment');
    const invoiced = await acts.syncInvoices(r);
    assert.ok(invoiced.actions.some((a) => /to Magento as invoice/.test(a)), invoiced.actions.join(' | '));
    const order = await magentoClient.orders.get(entityId);
    const [shipment] = await magentoClient.shipments.forOrder(entityId);
    const invoices = await magentoClient.invoices.forOrder(entityId);
    const qty = (field: 'qty_shipped' | 'qty_invoiced') => Object.fromEntries(order.items.map((i) => [i.item_id, i[field]]));
    // a second round writes nothing
    assert.equal((await acts.syncShipments(r)).created.length, 0);
    assert.deepEqual((await acts.syncInvoices(r)).actions.filter((a) => /pushed|created/.test(a)), []);
    return { order, shipment: shipment!, invoices, qty, odooOrderId: r.odooOrderId, r };
  }
  const rows = (doc: { items: Array<{ order_item_id: number; qty: number }> }) => doc.items.map((i) => [i.order_item_id, i.qty]);

  test('"Together" (Magento\'s default), dynamic price: shipped as the bundle row, invoiced as its components; everything shipped and invoiced', async (t) => {
    const { order, shipment, invoices, qty } = await lifecycle();
    assert.deepEqual(rows(shipment).filter(([id]) => id === 5), [[5, 1]], 'the bundle row is named');
    assert.deepEqual(qty('qty_shipped'), { 3: 1, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 }, 'components follow the bundle; the download is not shipped');
    assert.equal(invoices.length, 1);
    assert.deepEqual(rows(invoices[0]!).filter(([id]) => COMPONENTS.includes(id as number) || id === 5), COMPONENTS.map((id) => [id, 1]), 'a dynamic bundle is invoiced by its components');
    assert.deepEqual(qty('qty_invoiced'), { 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    assert.equal(invoices[0]!.grand_total, 165);
    assert.deepEqual([order.state, order.total_invoiced, order.total_due], ['complete', 165, 0]);
    t.diagnostic(`together: shipment rows ${JSON.stringify(rows(shipment))}; invoice ${invoices[0]!.grand_total} vs grand total ${order.grand_total}`);
  });

  test('"Separately": shipped as the component rows (the bundle row follows)', async (t) => {
    // The merchant's bundle product says "Ship Bundle Items: Separately"; the order row points at it.
    const product = await magentoClient.catalog.saveProduct({ sku: '24-WG080', name: 'Sprite Yoga Companion Kit', type_id: 'bundle', attribute_set_id: 4, price: 0, custom_attributes: [{ attribute_code: 'shipment_type', value: '1' }] } as never);
    const { order, shipment, invoices, qty } = await lifecycle((body) => {
      for (const item of body.items as Json[]) if (item.item_id === 5) item.product_id = product.id;
    });
    assert.deepEqual(rows(shipment).filter(([id]) => COMPONENTS.includes(id as number) || id === 5), COMPONENTS.map((id) => [id, 1]), 'the components are named, not the bundle row');
    assert.deepEqual(qty('qty_shipped'), { 3: 1, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    assert.equal(invoices[0]!.grand_total, 165);
    assert.equal(order.state, 'complete');
    t.diagnostic(`separately: shipment rows ${JSON.stringify(rows(shipment))}`);
  });

  test('fixed price: invoiced as the bundle row (the components follow), at the grand total', async (t) => {
    const { order, invoices, qty, odooOrderId, r } = await lifecycle((body) => {
      // A fixed-price bundle: the bundle row carries the money, the components none.
      for (const item of body.items as Json[]) {
        if (COMPONENTS.includes(item.item_id as number)) Object.assign(item, { price: 0, base_price: 0, original_price: 0, base_original_price: 0, row_total: 0, base_row_total: 0, price_incl_tax: 0, base_price_incl_tax: 0, row_total_incl_tax: 0, base_row_total_incl_tax: 0 });
      }
    });
    assert.equal(invoices.length, 1);
    assert.deepEqual(rows(invoices[0]!).filter(([id]) => id === 5), [[5, 1]], 'the bundle row is named');
    assert.deepEqual(qty('qty_invoiced'), { 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    assert.equal(invoices[0]!.grand_total, 165);
    assert.deepEqual([order.state, order.total_invoiced], ['complete', 165]);
    // The merchant refunds the bundle in Magento (by its row, as Magento takes it): Odoo gets a
    // credit note for its components at their shares.
    const memoId = await magentoClient.invoices.refund(invoices[0]!.entity_id, { items: [{ orderItemId: 5, qty: 1 }], shippingAmount: 0 });
    const memo = await magentoClient.creditmemos.get(memoId);
    assert.equal(memo.grand_total, 68);
    await acts.syncCreditMemos(r);
    const [so] = await odoo.read('sale.order', [odooOrderId], ['invoice_ids']);
    const notes = (await odoo.readMoves(so!.invoice_ids as number[])).filter((m) => m.move_type === 'out_refund' && m.state === 'posted');
    assert.deepEqual(notes.map((m) => Number(m.amount_total).toFixed(2)), ['68.00'], 'the Odoo credit note = the Magento credit memo');
    const lines = (await odoo.searchRead('account.move', [['id', '=', notes[0]!.id]], { fields: ['invoice_line_ids'] }))[0]?.invoice_line_ids as number[];
    assert.equal(lines.length, 4, 'one line per component');
    t.diagnostic(`fixed price: invoice rows ${JSON.stringify(rows(invoices[0]!))}; ${invoices[0]!.grand_total} vs ${order.grand_total}; bundle refunded ${memo.grand_total} = Odoo credit note ${notes[0]!.amount_total}`);
  });
  test('"Together", components delivered in two Odoo deliveries: the first ships no bundle, the one that completes it ships the bundle row', async () => {
    const body = recordedOrder(BODY) as Json;
    const incrementId = `55000${String(++seq).padStart(4, '0')}`;
    Object.assign(body, { increment_id: incrementId, customer_is_guest: 1, customer_id: undefined });
    const res = await fetch(`${magento.url}/__sandbox/orders/verbatim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { entity_id: entityId } = (await res.json()) as { entity_id: number };
    const imported = await acts.importOrder({ channel: CHANNEL, incrementId });
    const r = { channel: CHANNEL, incrementId, magentoOrderId: entityId, odooOrderId: imported.odooOrderId! };
    await acts.confirmOrder(r);
    // The warehouse has two of the kit's four parts on the shelf: it ships those (and the rest of
    // the order) and keeps the other two as a backorder.
    const first = (await odoo.listPickings(r.odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel')!;
    const moves = await odoo.listMoves(first.id);
    const [later] = await odoo.searchRead('product.product', [['default_code', 'in', ['24-WG086', '24-WG088']]], { fields: ['id'] }).then((rows) => [rows.map((row) => row.id)]);
    await odoo.validatePicking(first.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, later!.includes(many2oneId(m.product_id) ?? -1) ? 0 : m.product_uom_qty])) });
    assert.equal((await acts.syncShipments(r)).created.length, 1);
    let order = await magentoClient.orders.get(entityId);
    assert.deepEqual(order.items.filter((i) => i.item_id >= 5 && i.item_id <= 9).map((i) => i.qty_shipped), [0, 0, 0, 0, 0], 'half a kit is no shipped kit');
    const backorder = (await odoo.listPickings(r.odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(backorder, 'Odoo kept the other parts as a backorder');
    const rest = await odoo.listMoves(backorder.id);
    await odoo.validatePicking(backorder.id, { quantities: Object.fromEntries(rest.map((m) => [m.id, m.product_uom_qty])) });
    const second = await acts.syncShipments(r);
    assert.equal(second.created.length, 1);
    assert.equal(second.fullyShipped, true);
    order = await magentoClient.orders.get(entityId);
    assert.deepEqual(order.items.map((i) => [i.item_id, i.qty_shipped]), [[3, 1], [4, 0], [5, 1], [6, 1], [7, 1], [8, 1], [9, 1], [10, 1], [11, 1]], 'the kit shipped with the delivery that completed it');
    const shipments = await magentoClient.shipments.forOrder(entityId);
    assert.deepEqual(shipments.map((sh) => rows(sh).filter(([id]) => id === 5)), [[], [[5, 1]]]);
  });
});

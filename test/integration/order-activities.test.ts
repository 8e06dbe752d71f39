import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { ConfigSchema, type Config } from '../../config/schema';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import type { ImportResult, OdooOrderRef } from '../../activities/orders/contracts';
import { OdooClient, type StockMove } from '../../integrations/odoo';
import type { MagentoSandbox, OrderSpec } from '../../sandbox/magento';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createRecords } from '../../sandbox/odoo/orm';
import type { OdooSandbox } from '../../sandbox/odoo/server';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createMappingStore } from '../../store/mappings';
import { createScratchDatabase } from '../support/database';
import { failureOf } from '../support/activity-failure';

// The order activities against both sandboxes over real HTTP and a real PostgreSQL, called
// directly (they use no activity context). Counters on the sandboxes prove "written once".

const CHANNEL = 'shop';
const SECOND = 'shop-b';

// 18.0 over JSON-RPC (cancel and backorder wizards, `tax_id`) and 19.0 over JSON-2.
for (const { version, flavour } of [{ version: 18, flavour: 'jsonrpc' }, { version: 19, flavour: 'json2' }] as const) describe(`order activities against the Magento sandbox and an Odoo ${version}.0 sandbox over ${flavour}`, () => {
  let magentoSandbox: MagentoSandbox;
  let odooSandbox: OdooSandbox;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let bindings: BindingStore;
  let config: Config;

  before(async () => {
    let stack: DemoStack;
    [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, flavour, channel: { orders: { offlineInvoicing: 'on_confirm' } } }), createScratchDatabase()]);
    ({ magento: magentoSandbox, odoo: odooSandbox } = stack);
    config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    // a second shop on the same Odoo whose increment ids are the same as the first one's
    config.channels.push({ ...config.channels[0]!, code: SECOND });
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(config.channels[0]!.odoo);
    bindings = createBindingStore(db.pool);
  });
  after(async () => {
    await Promise.all([magentoSandbox?.close(), odooSandbox?.close()]);
    await db?.drop();
  });

  const place = (spec: OrderSpec) => magentoSandbox.createOrder(spec) as { entity_id: number; increment_id: string; grand_total: number };
  const magentoOrder = (id: number) => magentoSandbox.state.order(id)!;
  // the import creates with web_save (the record comes back in the same call): a create all the same
  const odooCalls = (key: string) => (key.endsWith('.create') ? odooSandbox.counters.any(key, key.replace(/create$/, 'web_save')) : odooSandbox.counters.get(key));
  const magentoCalls = (key: string) => magentoSandbox.counters.get(key);
  const ref = (incrementId: string) => ({ channel: CHANNEL, incrementId });
  const odooRef = (imported: ImportResult, incrementId: string): OdooOrderRef => ({ ...ref(incrementId), magentoOrderId: imported.magentoOrderId, odooOrderId: imported.odooOrderId! });
  async function importedAndConfirmed(spec: OrderSpec) {
    const placed = place(spec);
    const imported = await acts.importOrder(ref(placed.increment_id));
    const r = odooRef(imported, placed.increment_id);
    await acts.confirmOrder(r);
    return { placed, imported, ref: r };
  }
  async function bindingCount(kind: string): Promise<number> {
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM bindings WHERE channel = $1 AND kind = $2', [CHANNEL, kind]);
    return Number(rows[0]?.n);
  }
  async function deliver(odooOrderId: number, quantities?: (moves: StockMove[]) => Record<number, number>, trackingRef?: string) {
    const picking = (await odoo.listPickings(odooOrderId)).find((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'an open delivery');
    const moves = await odoo.listMoves(picking.id);
    const qty = quantities ? quantities(moves) : Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty]));
    if (trackingRef) await odoo.setTrackingRef(picking.id, trackingRef);
    await odoo.validatePicking(picking.id, { quantities: qty });
    return picking;
  }

  test('imports an online order once: partner with invoice and delivery contacts, lines, carrier, totals; a second run binds nothing new', async () => {
    const placed = place({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0001', qty: 2 }, { sku: 'GEAR-0002', qty: 1 }], shippingMethod: 'ups_GND' });
    const creates = odooCalls('sale.order.create');
    const first = await acts.importOrder(ref(placed.increment_id));
    assert.equal(first.outcome, 'imported');
    assert.equal(first.paymentKind, 'online');
    assert.equal(first.autoConfirm, true);
    assert.equal(first.magentoOrderId, placed.entity_id);
    assert.match(first.odooOrderName ?? '', /^S\d+/);
    assert.equal(first.confirmed, true, 'the channel auto-confirms: the import confirms');
    const order = await odoo.readSaleOrder(first.odooOrderId!);
    assert.equal(order?.state, 'sale');
    assert.equal(order?.client_order_ref, placed.increment_id);
    assert.ok(Math.abs((order?.amount_total ?? 0) - placed.grand_total) <= 0.01, `Odoo ${order?.amount_total} vs Magento ${placed.grand_total}`);
    const lines = await odoo.searchRead('sale.order.line', [['order_id', '=', first.odooOrderId]], { fields: ['name', 'product_uom_qty', 'is_delivery', 'price_unit'] });
    assert.equal(lines.length, 3);
    assert.equal(lines.find((l) => l.is_delivery)?.name, 'United Parcel Service (GND)');
    const [so] = await odoo.read('sale.order', [first.odooOrderId!], ['partner_id', 'partner_invoice_id', 'partner_shipping_id']);
    const partnerId = (so?.partner_id as [number, string])[0];
    const [invoiceContact] = await odoo.read('res.partner', [(so?.partner_invoice_id as [number, string])[0]], ['parent_id', 'type', 'city']);
    assert.equal((invoiceContact?.parent_id as [number, string])[0], partnerId);
    assert.equal(invoiceContact?.type, 'invoice');
    const [deliveryContact] = await odoo.read('res.partner', [(so?.partner_shipping_id as [number, string])[0]], ['parent_id', 'type']);
    assert.equal(deliveryContact?.type, 'delivery');
    assert.equal((await bindings.find(CHANNEL, 'order', placed.increment_id))?.odooId, first.odooOrderId);
    assert.equal((await bindings.find(CHANNEL, 'customer', String(magentoOrder(placed.entity_id).customer_id)))?.odooId, partnerId);

    const partners = odooCalls('res.partner.create');
    const again = await acts.importOrder(ref(placed.increment_id));
    assert.equal(again.outcome, 'already_imported');
    assert.equal(again.odooOrderId, first.odooOrderId);
    assert.equal(odooCalls('sale.order.create'), creates + 1, 'one sale order');
    assert.equal(odooCalls('res.partner.create'), partners, 'no new partner or contact');
    assert.equal(await bindingCount('order'), 1);

    // The same customer ordering again reuses the partner and its identical contacts.
    const second = place({ paymentMethod: 'braintree', customerEmail: 'customer1@example.com', lines: [{ sku: 'GEAR-0004' }], shippingMethod: 'flatrate_flatrate' });
    const secondImport = await acts.importOrder(ref(second.increment_id));
    const [so2] = await odoo.read('sale.order', [secondImport.odooOrderId!], ['partner_id', 'partner_invoice_id']);
    assert.equal((so2?.partner_id as [number, string])[0], partnerId);
    assert.equal((so2?.partner_invoice_id as [number, string])[0], (so?.partner_invoice_id as [number, string])[0]);
    assert.equal(odooCalls('res.partner.create'), partners);
  });

  test('an offline guest order imports as offline; a second guest order with the same e-mail reuses the partner', async () => {
    const first = place({ paymentMethod: 'checkmo', guest: true, lines: [{ sku: 'GEAR-0005' }], shippingMethod: 'flatrate_flatrate' });
    const imported = await acts.importOrder(ref(first.increment_id));
    assert.equal(imported.outcome, 'imported');
    assert.equal(imported.paymentKind, 'offline');
    assert.equal(imported.magentoStatus, 'pending');
    const second = place({ paymentMethod: 'cashondelivery', guest: true, lines: [{ sku: 'GEAR-0006' }], shippingMethod: 'flatrate_flatrate' });
    const sbOrder = magentoOrder(second.entity_id);
    const email = magentoOrder(first.entity_id).customer_email;
    sbOrder.customer_email = email.toUpperCase();
    sbOrder.billing_address.email = email;
    sbOrder.shipping_address.email = email;
    const partners = odooCalls('res.partner.create');
    const again = await acts.importOrder(ref(second.increment_id));
    assert.equal(again.paymentKind, 'offline');
    const [a, b] = await odoo.read('sale.order', [imported.odooOrderId!, again.odooOrderId!], ['partner_id']);
    assert.deepEqual(a?.partner_id, b?.partner_id);
    assert.equal(odooCalls('res.partner.create'), partners, 'same guest, same address: nothing created');
  });

  test('two shops with the same increment id get two Odoo orders; a lost binding finds its own shop\'s order', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0008', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    const first = await acts.importOrder(ref(placed.increment_id));
    const second = await acts.importOrder({ channel: SECOND, incrementId: placed.increment_id });
    assert.equal(second.outcome, 'imported');
    assert.notEqual(second.odooOrderId, first.odooOrderId);
    const [a, b] = await odoo.read('sale.order', [first.odooOrderId!, second.odooOrderId!], ['origin', 'client_order_ref']);
    assert.deepEqual([a?.origin, b?.origin], [`Magento ${placed.increment_id} (${CHANNEL})`, `Magento ${placed.increment_id} (${SECOND})`]);
    assert.equal(b?.client_order_ref, placed.increment_id);

    // Both bindings lost: each shop finds its own order again, and nothing is created.
    await db.pool.query("DELETE FROM bindings WHERE kind = 'order' AND magento_key = $1", [placed.increment_id]);
    const creates = odooCalls('sale.order.create');
    assert.equal((await acts.importOrder({ channel: SECOND, incrementId: placed.increment_id })).odooOrderId, second.odooOrderId);
    assert.equal((await acts.importOrder(ref(placed.increment_id))).odooOrderId, first.odooOrderId);
    assert.equal(odooCalls('sale.order.create'), creates);

    // An order imported before the origin named the shop is adopted only by a shop that has no
    // such order bound already: here the first shop's, once its binding is gone.
    await odoo.write('sale.order', [first.odooOrderId!], { origin: `Magento ${placed.increment_id}` });
    await db.pool.query("DELETE FROM bindings WHERE channel = $1 AND kind = 'order' AND magento_key = $2", [CHANNEL, placed.increment_id]);
    assert.equal((await acts.importOrder(ref(placed.increment_id))).odooOrderId, first.odooOrderId);
    await db.pool.query("DELETE FROM bindings WHERE channel = $1 AND kind = 'order' AND magento_key = $2", [SECOND, placed.increment_id]);
    assert.equal((await acts.importOrder({ channel: SECOND, incrementId: placed.increment_id })).odooOrderId, second.odooOrderId, 'never the other shop\'s legacy order');
  });

  test("a customer group mapped to a pricelist gives the sale order that pricelist; line prices stay Magento's", async () => {
    // the connector never creates pricelists (the merchant does, in Odoo)
    const [pricelist] = createRecords(odooSandbox.state.env(), 'product.pricelist', [{ name: `Wholesale ${version}` }]) as [number];
    await createMappingStore(db.pool).set({ channel: CHANNEL, kind: 'customer_group', magentoKey: '2', odooId: pricelist, source: 'ops' });
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0007', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    const order = magentoOrder(placed.entity_id);
    order.customer_group_id = 2;
    const imported = await acts.importOrder(ref(placed.increment_id));
    const [so] = await odoo.read('sale.order', [imported.odooOrderId!], ['pricelist_id']);
    assert.equal((so?.pricelist_id as [number, string])[0], pricelist);
    const [line] = await odoo.searchRead('sale.order.line', [['order_id', '=', imported.odooOrderId], ['is_delivery', '=', false]], { fields: ['price_unit'] });
    assert.equal(line?.price_unit, Number(order.items[0]!.price));

    // a pricelist in another currency would turn the amounts into it: parked, nothing created
    const [eur] = createRecords(odooSandbox.state.env(), 'product.pricelist', [{ name: `Wholesale EU ${version}`, currency_id: 125 }]) as [number];
    await createMappingStore(db.pool).set({ channel: CHANNEL, kind: 'customer_group', magentoKey: '3', odooId: eur, source: 'ops' });
    const euro = place({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0007', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    magentoOrder(euro.entity_id).customer_group_id = 3;
    const creates = odooCalls('sale.order.create');
    const parked = await failureOf(acts.importOrder(ref(euro.increment_id)));
    assert.equal(parked.nonRetryable, true);
    assert.equal(parked.type, 'PricelistMismatch');
    assert.match(parked.message, new RegExp(`order ${euro.increment_id}: customer group 3 maps to Odoo pricelist "Wholesale EU ${version}" in EUR, but the order is in USD`));
    assert.equal(odooCalls('sale.order.create'), creates, 'checked before anything is written');

    // a group without a mapping: Odoo's default pricelist
    const other = place({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0007', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    magentoOrder(other.entity_id).customer_group_id = 1;
    const plain = await acts.importOrder(ref(other.increment_id));
    const [so2] = await odoo.read('sale.order', [plain.odooOrderId!], ['pricelist_id']);
    assert.notEqual((so2?.pricelist_id as [number, string])[0], pricelist);
  });

  test('a configurable line becomes one Odoo line for the chosen simple SKU at the parent price', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer2@example.com', lines: [{ sku: 'TEE-001-BLACK-M', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const parent = magentoOrder(placed.entity_id).items.find((i) => i.product_type === 'configurable')!;
    const imported = await acts.importOrder(ref(placed.increment_id));
    const lines = await odoo.searchRead('sale.order.line', [['order_id', '=', imported.odooOrderId], ['is_delivery', '=', false]], { fields: ['product_id', 'product_uom_qty', 'price_unit'] });
    assert.equal(lines.length, 1);
    const [variant] = await odoo.findVariantsBySku(['TEE-001-BLACK-M']);
    assert.equal((lines[0]?.product_id as [number, string])[0], variant?.id);
    assert.equal(lines[0]?.product_uom_qty, 2);
    assert.equal(lines[0]?.price_unit, parent.price);
  });

  test('an unknown SKU fails non-retryable, naming the order, the item and the field; nothing is created', async () => {
    // a guest Odoo has never seen: the customer lookup runs beside the plan's, and finds nothing
    // to reuse, so only the plan's failure stands between it and a new partner
    const placed = place({ guest: true, paymentMethod: 'checkmo', lines: [{ sku: 'TEE-002-BLUE-S' }], shippingMethod: 'flatrate_flatrate' });
    for (const item of magentoOrder(placed.entity_id).items) item.sku = 'TEE-9-RED-S';
    const creates = odooCalls('sale.order.create');
    const partners = odooCalls('res.partner.create');
    const failure = await failureOf(acts.importOrder(ref(placed.increment_id)));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'UnknownSku');
    assert.equal(failure.message, `order ${placed.increment_id}: items[1].sku "TEE-9-RED-S" is not a product in Odoo`);
    assert.equal(odooCalls('sale.order.create'), creates);
    assert.equal(odooCalls('res.partner.create'), partners);

    // Parked before Odoo has anything: a cancel cancels only the Magento order.
    const verdict = await acts.cancelOrder({ ...ref(placed.increment_id), reason: 'customer changed their mind' });
    assert.deepEqual(verdict, { accepted: true, outcome: 'canceled', detail: `Magento order ${placed.increment_id} canceled; no Odoo order to cancel` });
    assert.equal(magentoOrder(placed.entity_id).state, 'canceled');
  });

  test('an unmapped carrier fails non-retryable, naming the method and its description', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0001' }], shippingMethod: 'flatrate_flatrate' });
    Object.assign(magentoOrder(placed.entity_id), { shipping_method: 'dhl_express', shipping_description: 'DHL - Express' });
    const failure = await failureOf(acts.importOrder(ref(placed.increment_id)));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'UnmappedCarrier');
    assert.match(failure.message, new RegExp(`^order ${placed.increment_id}: unmapped carrier dhl_express \\(shipping_description "DHL - Express"\\)`));
  });

  test('a totals difference parks the order with both figures; the draft stays in Odoo, once, and a cancel removes it', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer2@example.com', lines: [{ sku: 'GEAR-0001', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    // Magento taxed a line 0.05 more than Odoo will: a real-world rounding/tax-config drift.
    const item = magentoOrder(placed.entity_id).items[0]!;
    item.tax_amount = Math.round((item.tax_amount + 0.05) * 100) / 100;
    const creates = odooCalls('sale.order.create');
    const failure = await failureOf(acts.importOrder(ref(placed.increment_id)));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'TotalsMismatch');
    const grand = (await acts.importOrder(ref(placed.increment_id)).catch((e: Error) => e.message)) as string;
    assert.match(grand, /Odoo total \d+\.\d\d \(S\d+\) differs from Magento grand_total \d+\.\d\d by 0\.05/);
    assert.equal(odooCalls('sale.order.create'), creates + 1, 'the retry found the draft instead of creating another');
    const draft = (await odoo.findSaleOrdersByReference(placed.increment_id))[0];
    assert.equal(draft?.state, 'draft');

    const verdict = await acts.cancelOrder({ ...ref(placed.increment_id), reason: 'wrong tax' });
    assert.equal(verdict.outcome, 'canceled');
    assert.equal((await odoo.readSaleOrder(draft!.id))?.state, 'cancel');
    assert.equal(magentoOrder(placed.entity_id).state, 'canceled');
  });

  test('transient faults are retryable (Retry-After becomes the next retry delay); a retry after a create finishes the same sale order', async () => {
    const placed = place({ paymentMethod: 'braintree', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' });
    magentoSandbox.faults.set([{ route: 'GET /V1/orders', fault: 'rate_limit', retryAfterSeconds: 3, times: 1 }]);
    const limited = await failureOf(acts.importOrder(ref(placed.increment_id)));
    assert.equal(limited.nonRetryable, false);
    assert.equal(limited.type, 'magento.rate_limited');
    assert.equal(limited.nextRetryDelay, 3000);

    // Odoo fails right after the sale order was created (the confirm answers 500).
    odooSandbox.faults.set([{ route: 'sale.order.action_confirm', fault: 'error500', times: 1 }]);
    const creates = odooCalls('sale.order.create');
    const broken = await failureOf(acts.importOrder(ref(placed.increment_id)));
    assert.equal(broken.nonRetryable, false);
    assert.equal(broken.type, 'odoo.server');
    const retried = await acts.importOrder(ref(placed.increment_id));
    assert.equal(retried.outcome, 'already_imported');
    assert.equal(retried.confirmed, true, 'the retry confirms the draft the failed attempt left');
    assert.equal(odooCalls('sale.order.create'), creates + 1);
    assert.equal((await odoo.readSaleOrder(retried.odooOrderId!))?.state, 'sale');
    const delivery = await odoo.searchRead('sale.order.line', [['order_id', '=', retried.odooOrderId], ['is_delivery', '=', true]], { fields: ['price_unit'] });
    assert.deepEqual(delivery.map((l) => l.price_unit), [5], 'one shipping line, made with the order');
    magentoSandbox.faults.clear();
    odooSandbox.faults.clear();
  });

  test('confirming twice confirms once: the import confirms, a confirm step or a second import after it does nothing', async () => {
    const placed = place({ paymentMethod: 'checkmo', customerEmail: 'customer4@example.com', lines: [{ sku: 'GEAR-0007' }], shippingMethod: 'flatrate_flatrate' });
    const confirms = odooCalls('sale.order.action_confirm');
    const imported = await acts.importOrder(ref(placed.increment_id));
    assert.equal(imported.confirmed, true);
    assert.equal(odooCalls('sale.order.action_confirm'), confirms + 1);
    // what a run started before the import confirmed still does
    assert.equal((await acts.confirmOrder(odooRef(imported, placed.increment_id))).outcome, 'already_confirmed');
    const again = await acts.importOrder(ref(placed.increment_id));
    assert.deepEqual([again.outcome, again.confirmed], ['already_imported', true]);
    assert.equal(odooCalls('sale.order.action_confirm'), confirms + 1);
    assert.equal((await odoo.readSaleOrder(imported.odooOrderId!))?.state, 'sale');
  });

  test('an order with a virtual product imports: its service line on the Odoo order to the cent, the delivery and the Magento shipment only the goods', async () => {
    // the catalog with Magento as master makes a virtual product an Odoo service (catalog-from-magento.test.ts)
    const state = magentoSandbox.state;
    state.products.push({ id: state.nextId('product'), sku: 'GIFT-WRAP', name: 'Gift wrapping', type_id: 'virtual', attribute_set_id: 4, price: 4.95, status: 1, visibility: 4, custom_attributes: [], extension_attributes: { website_ids: [1] } });
    await odoo.create('product.template', [{ name: 'Gift wrapping', type: 'service', default_code: 'GIFT-WRAP', list_price: 4.95 }]);
    const { placed, imported, ref: r } = await importedAndConfirmed({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0003', qty: 1 }, { sku: 'GIFT-WRAP', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    assert.equal(imported.outcome, 'imported');
    const virtualItem = magentoOrder(placed.entity_id).items.find((i) => i.sku === 'GIFT-WRAP')!;
    assert.deepEqual([virtualItem.product_type, virtualItem.is_virtual], ['virtual', 1]);
    const order = await odoo.readSaleOrder(imported.odooOrderId!);
    assert.equal(order?.state, 'sale');
    assert.equal(Number(order?.amount_total).toFixed(2), Number(placed.grand_total).toFixed(2));
    const [service] = await odoo.findVariantsBySku(['GIFT-WRAP']);
    const lines = await odoo.searchRead('sale.order.line', [['order_id', '=', imported.odooOrderId], ['product_id', '=', service!.id]], { fields: ['product_uom_qty', 'price_unit'] });
    assert.deepEqual(lines.map((l) => [l.product_uom_qty, l.price_unit]), [[2, 4.95]]);
    const pickings = await odoo.listPickings(imported.odooOrderId!);
    assert.equal(pickings.length, 1);
    const moves = await odoo.listMoves(pickings[0]!.id);
    assert.ok(moves.length > 0 && moves.every((m) => m.product_id !== false && m.product_id[0] !== service!.id), 'the service is not delivered');

    await deliver(r.odooOrderId);
    const shipped = await acts.syncShipments(r);
    assert.equal(shipped.created.length, 1);
    assert.equal(shipped.fullyShipped, true, 'the goods shipped: the virtual line has nothing to ship');
    const shipment = magentoSandbox.state.shipments.find((s) => s.entity_id === shipped.created[0])!;
    const shippedItems = (shipment.items as Array<{ order_item_id: number }>).map((i) => i.order_item_id);
    assert.ok(!shippedItems.includes(virtualItem.item_id), 'no shipment row for the virtual item');
  });

  test('a partial delivery becomes a partial Magento shipment with tracking, the backorder the rest; each pushed once, even after a lost binding', async () => {
    const { placed, ref: r } = await importedAndConfirmed({ paymentMethod: 'banktransfer', customerEmail: 'customer5@example.com', lines: [{ sku: 'GEAR-0001', qty: 3 }, { sku: 'TEE-001-BLACK-S', qty: 2 }], shippingMethod: 'ups_GND' });
    const nothingYet = await acts.syncShipments(r);
    assert.deepEqual(nothingYet, { created: [], fullyShipped: false, anyShipped: false });

    const [gear] = await odoo.findVariantsBySku(['GEAR-0001']);
    // Two of the three GEAR-0001 leave, none of the tees.
    const first = await deliver(r.odooOrderId, (moves) => Object.fromEntries(moves.map((m) => [m.id, m.product_id !== false && m.product_id[0] === gear?.id ? 2 : 0])), '1Z-PARTIAL');
    const ships = magentoCalls('POST /V1/order/:orderId/ship');
    const partial = await acts.syncShipments(r);
    assert.equal(partial.created.length, 1);
    assert.equal(partial.fullyShipped, false);
    assert.equal(partial.anyShipped, true);
    const shipment = magentoSandbox.state.shipments.find((s) => s.entity_id === partial.created[0])!;
    const gearItem = magentoOrder(placed.entity_id).items.find((i) => i.sku === 'GEAR-0001')!;
    assert.deepEqual(shipment.items.map((i) => [i.order_item_id, i.qty]), [[gearItem.item_id, 2]]);
    assert.deepEqual(shipment.tracks.map((t) => [t.track_number, t.title, t.carrier_code]), [['1Z-PARTIAL', 'United Parcel Service', 'ups']]);
    assert.ok(shipment.comments.some((c) => c.comment.includes(`(odoo picking ${first.id})`)));

    assert.deepEqual((await acts.syncShipments(r)).created, [], 'a second run pushes nothing');
    // A crash between the POST and the binding (or an answer lost after Magento shipped): the
    // next run finds the shipment by its marker, binds it and reports it as pushed, POSTs nothing.
    await db.pool.query('DELETE FROM bindings WHERE channel = $1 AND kind = $2', [CHANNEL, 'shipment']);
    assert.deepEqual((await acts.syncShipments(r)).created, partial.created);
    assert.deepEqual((await acts.syncShipments(r)).created, [], 'bound now: not reported again');
    assert.equal(magentoCalls('POST /V1/order/:orderId/ship'), ships + 1);

    await deliver(r.odooOrderId);
    const rest = await acts.syncShipments(r);
    assert.equal(rest.created.length, 1);
    assert.equal(rest.fullyShipped, true);
    const second = magentoSandbox.state.shipments.find((s) => s.entity_id === rest.created[0])!;
    const teeParent = magentoOrder(placed.entity_id).items.find((i) => i.product_type === 'configurable')!;
    const topLevel = new Set(magentoOrder(placed.entity_id).items.filter((i) => i.parent_item_id === undefined).map((i) => i.item_id));
    // Magento ships a configurable through its parent item (the child rides along).
    assert.deepEqual(second.items.filter((i) => topLevel.has(i.order_item_id)).map((i) => [i.order_item_id, i.qty]), [[gearItem.item_id, 1], [teeParent.item_id, 2]]);
    assert.ok(magentoOrder(placed.entity_id).items.every((i) => i.qty_shipped === i.qty_ordered));
    assert.deepEqual(await acts.syncShipments(r), { created: [], fullyShipped: true, anyShipped: true });
    assert.equal(magentoCalls('POST /V1/order/:orderId/ship'), ships + 2);
    assert.equal(magentoSandbox.state.shipments.filter((s) => s.order_id === placed.entity_id).length, 2);
  });

  test('offline: Odoo invoices, the posted invoice is pushed to Magento once, settled when paid in Odoo', async () => {
    const { placed, ref: r } = await importedAndConfirmed({ paymentMethod: 'checkmo', customerEmail: 'customer6@example.com', lines: [{ sku: 'GEAR-0002', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    const invoices = magentoCalls('POST /V1/order/:orderId/invoice');
    const first = await acts.syncInvoices(r);
    assert.equal(first.settled, false, 'not paid yet');
    assert.ok(first.actions.some((a) => a.startsWith('created Odoo invoice')), first.actions.join(' | '));
    assert.ok(first.actions.some((a) => a.includes('to Magento as invoice')), first.actions.join(' | '));
    assert.equal(magentoCalls('POST /V1/order/:orderId/invoice'), invoices + 1);
    const magentoInvoices = magentoSandbox.state.invoices.filter((i) => i.order_id === placed.entity_id);
    assert.equal(magentoInvoices.length, 1);
    assert.ok(Math.abs((magentoInvoices[0]?.grand_total ?? 0) - placed.grand_total) <= 0.01);

    const again = await acts.syncInvoices(r);
    assert.deepEqual(again, { actions: [], settled: false });
    assert.equal(magentoCalls('POST /V1/order/:orderId/invoice'), invoices + 1);

    const order = await odoo.readSaleOrder(r.odooOrderId);
    await odoo.registerPayment(order!.invoice_ids[0]!, { journalId: 6, memo: 'cheque received' });
    assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: true });
    assert.equal(await bindingCount('invoice'), 1);
  });

  test('online: the Magento invoice is imported into Odoo, posted and paid in the mapped journal, once', async () => {
    const { placed, ref: r } = await importedAndConfirmed({ paymentMethod: 'braintree', customerEmail: 'customer7@example.com', lines: [{ sku: 'GEAR-0004', qty: 1 }, { sku: 'TEE-002-BLUE-L', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    const payments = odooCalls('account.payment.register.action_create_payments');
    const result = await acts.syncInvoices(r);
    assert.equal(result.settled, true, result.actions.join(' | '));
    assert.equal(odooCalls('account.payment.register.action_create_payments'), payments + 1);
    const order = await odoo.readSaleOrder(r.odooOrderId);
    const [move] = await odoo.readMoves(order!.invoice_ids);
    assert.equal(move?.state, 'posted');
    assert.equal(move?.payment_state, 'paid');
    const [journal] = await odoo.searchRead('account.journal', [['name', '=', 'Magento Credit Card (Braintree)']], { fields: ['id'] });
    const paymentId = Number(/registered payment (\d+)/.exec(result.actions.join(' '))?.[1]);
    const [payment] = await odoo.read('account.payment', [paymentId], ['journal_id', 'amount']);
    assert.equal((payment?.journal_id as [number, string])[0], journal?.id);
    assert.equal(payment?.amount, placed.grand_total);
    const magentoInvoice = magentoSandbox.state.invoices.find((i) => i.order_id === placed.entity_id)!;
    assert.equal((await bindings.find(CHANNEL, 'invoice', String(magentoInvoice.entity_id)))?.odooId, move?.id);

    assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: true });
    assert.equal(odooCalls('account.payment.register.action_create_payments'), payments + 1);
  });

  test('online, invoiced on delivery: an Odoo invoice bound as "the rest" of the Magento invoice counts as its counterpart (the order settles)', async () => {
    // What a round left behind when the delivery was validated while it ran: its first look found
    // nothing invoiceable, its second invoiced the goods and bound them under "<invoice>:<move>".
    const { placed, ref: r } = await importedAndConfirmed({ paymentMethod: 'braintree', customerEmail: 'customer8@example.com', lines: [{ sku: 'GEAR-0006', qty: 1 }], shippingMethod: 'flatrate_flatrate' });
    assert.equal((await acts.syncInvoices(r)).settled, false, 'nothing delivered, nothing invoiceable');
    await deliver(r.odooOrderId);
    const [moveId] = await odoo.invoiceSaleOrder(r.odooOrderId);
    await odoo.postMove(moveId!);
    const magentoInvoice = magentoSandbox.state.invoices.find((i) => i.order_id === placed.entity_id)!;
    await bindings.bind({ channel: CHANNEL, kind: 'invoice', magentoKey: `${magentoInvoice.entity_id}:${moveId}`, odooId: moveId! });
    const payments = odooCalls('account.payment.register.action_create_payments');
    const result = await acts.syncInvoices(r);
    assert.equal(result.settled, true, `settled; actions: ${result.actions.join(' | ')}`);
    assert.equal(odooCalls('account.payment.register.action_create_payments'), payments + 1, 'paid once');
    assert.equal((await odoo.readSaleOrder(r.odooOrderId))!.invoice_ids.length, 1, 'no second invoice');
    assert.deepEqual(await acts.syncInvoices(r), { actions: [], settled: true });
  });

  test('cancel before shipment cancels both sides; a second cancel gives the same verdict and writes nothing', async () => {
    const { placed, imported, ref: r } = await importedAndConfirmed({ paymentMethod: 'checkmo', customerEmail: 'customer8@example.com', lines: [{ sku: 'GEAR-0008' }], shippingMethod: 'flatrate_flatrate' });
    const input = { ...ref(placed.increment_id), magentoOrderId: r.magentoOrderId, odooOrderId: r.odooOrderId, reason: 'customer request' };
    const verdict = await acts.cancelOrder(input);
    assert.deepEqual(verdict, { accepted: true, outcome: 'canceled', detail: `Magento order ${placed.increment_id} canceled; Odoo order ${imported.odooOrderName} cancelled` });
    assert.equal(magentoOrder(placed.entity_id).state, 'canceled');
    assert.equal((await odoo.readSaleOrder(r.odooOrderId))?.state, 'cancel');
    assert.deepEqual((await odoo.listPickings(r.odooOrderId)).map((p) => p.state), ['cancel']);

    const writes = [magentoCalls('POST /V1/orders/:id/cancel'), odooCalls('sale.order.action_cancel'), odooCalls('sale.order.cancel.action_cancel')];
    assert.deepEqual(await acts.cancelOrder(input), verdict);
    assert.deepEqual([magentoCalls('POST /V1/orders/:id/cancel'), odooCalls('sale.order.action_cancel'), odooCalls('sale.order.cancel.action_cancel')], writes);
  });

  test('cancel after a delivery is refused, naming the delivery, and changes nothing', async () => {
    const { placed, ref: r } = await importedAndConfirmed({ paymentMethod: 'checkmo', customerEmail: 'customer9@example.com', lines: [{ sku: 'GEAR-0009' }], shippingMethod: 'flatrate_flatrate' });
    const picking = await deliver(r.odooOrderId);
    const input = { ...ref(placed.increment_id), magentoOrderId: r.magentoOrderId, odooOrderId: r.odooOrderId, reason: 'too late' };
    const verdict = await acts.cancelOrder(input);
    assert.deepEqual(verdict, { accepted: false, outcome: 'refused', detail: `order ${placed.increment_id} cannot be cancelled: Odoo delivery ${picking.name} has shipped` });
    assert.equal((await odoo.readSaleOrder(r.odooOrderId))?.state, 'sale');
    assert.notEqual(magentoOrder(placed.entity_id).state, 'canceled');
    assert.deepEqual(await acts.cancelOrder(input), verdict);
  });

  test('cancel after invoicing gives a Magento credit memo and a posted Odoo credit note; twice gives the same verdict and no extra writes', async () => {
    const { placed, imported, ref: r } = await importedAndConfirmed({ paymentMethod: 'checkmo', customerEmail: 'customer10@example.com', lines: [{ sku: 'GEAR-0011', qty: 2 }], shippingMethod: 'flatrate_flatrate' });
    await acts.syncInvoices(r);
    const input = { ...ref(placed.increment_id), magentoOrderId: r.magentoOrderId, odooOrderId: r.odooOrderId, reason: 'customer request' };
    const verdict = await acts.cancelOrder(input);
    assert.equal(verdict.accepted, true);
    assert.equal(verdict.outcome, 'credit_memo');
    assert.match(verdict.detail, /Magento credit memo \d+/);
    assert.match(verdict.detail, /Odoo credit note RINV\//);
    assert.match(verdict.detail, new RegExp(`Odoo order ${imported.odooOrderName} cancelled`));
    const memos = magentoSandbox.state.creditmemos.filter((c) => c.order_id === placed.entity_id);
    assert.equal(memos.length, 1);
    assert.ok(Math.abs((memos[0]?.grand_total ?? 0) - placed.grand_total) <= 0.01);
    const refunds = await odoo.searchRead('account.move', [['move_type', '=', 'out_refund'], ['invoice_origin', '=', imported.odooOrderName]], { fields: ['state'] });
    assert.deepEqual(refunds.map((m) => m.state), ['posted']);
    assert.equal((await odoo.readSaleOrder(r.odooOrderId))?.state, 'cancel');
    assert.equal(magentoOrder(placed.entity_id).state, 'closed');

    const writes = () => [
      magentoCalls('POST /V1/invoice/:invoiceId/refund'), magentoCalls('POST /V1/order/:orderId/refund'), magentoCalls('POST /V1/orders/:id/cancel'),
      odooCalls('account.move.reversal.create'), odooCalls('account.move.action_post'), odooCalls('sale.order.action_cancel'),
    ];
    const before = writes();
    assert.deepEqual(await acts.cancelOrder(input), verdict);
    assert.deepEqual(writes(), before);
  });
});

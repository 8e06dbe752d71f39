import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MagentoClient } from '../../integrations/magento/client';
import { IntegrationError } from '../../integrations/errors';
import { collectAll } from '../../integrations/magento/pager';
import { SearchCriteria } from '../../integrations/magento/search-criteria';
import { customAttributeOf, shippingAddressOf } from '../../integrations/magento/schemas';
import type { MagentoSandbox } from '../../sandbox/magento/server';
import { rejection, startHarness } from './magento-harness';

let sandbox: MagentoSandbox;
let client: MagentoClient;

before(async () => {
  ({ sandbox, client } = await startHarness({ orders: 12, seed: 42 }));
});
after(() => sandbox.close());

describe('stores, customers, tax', () => {
  test('listStoreViews works as a connection test and includes the admin scope', async () => {
    const views = await client.listStoreViews();
    assert.deepEqual(views.map((v) => v.code), ['admin', 'default']);
    assert.equal(sandbox.counters.get('GET /V1/store/storeViews'), 1);
  });

  test('websites and store groups are plain arrays', async () => {
    assert.deepEqual((await client.stores.websites()).map((w) => w.code), ['admin', 'base']);
    assert.equal((await client.stores.groups()).find((g) => g.id === 1)?.root_category_id, 2);
  });

  test('customers with all their addresses; one by id; unknown id is not_found with the substituted sentence', async () => {
    const page = await client.customers.search(SearchCriteria.empty().where('email', 'eq', 'customer2@example.com'));
    assert.equal(page.total_count, 1);
    const customer = page.items[0]!;
    assert.equal(customer.addresses?.length, 3);
    assert.equal((await client.customers.get(customer.id)).email, 'customer2@example.com');
    const err = await rejection<IntegrationError>(client.customers.get(9999));
    assert.equal(err.kind, 'not_found');
    assert.equal(err.retryable, false);
    assert.match(err.message, /No such entity with customerId = 9999/);
    assert.equal(err.details.operation, 'GET /V1/customers/9999');
  });

  test('customer groups and tax rates', async () => {
    const groups = await client.customers.searchGroups();
    assert.deepEqual(groups.items.map((g) => g.code), ['NOT LOGGED IN', 'General', 'Wholesale', 'Retailer']);
    assert.equal((await client.customers.getGroup(2)).code, 'Wholesale');
    const rates = await client.tax.searchRates(SearchCriteria.empty().where('tax_country_id', 'eq', 'US'));
    assert.deepEqual(rates.items.map((r) => [r.code, r.rate]), [['US-TX-*-Rate 1', 8.25], ['US-OR-*-Rate 1', 0]]);
    assert.equal(rates.items[0]!.tax_region_id, 57);
  });
});

describe('orders', () => {
  test('search pages past the last page come back empty with the same total, the pager stops on total_count', async () => {
    const past = await client.orders.search(SearchCriteria.empty().withPageSize(5).withPage(4));
    assert.deepEqual(past.items, []);
    assert.equal(past.total_count, 12);
    sandbox.counters.reset();
    const pages = [];
    for await (const page of client.orders.pages(SearchCriteria.empty().orderBy('entity_id', 'ASC'), 5)) pages.push(page.items.map((o) => o.entity_id));
    assert.deepEqual(pages.map((p) => p.length), [5, 5, 2]);
    assert.deepEqual(pages.flat(), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.equal(sandbox.counters.get('GET /V1/orders'), 3);
  });

  test('filters: OR inside a group, AND across groups', async () => {
    const all = await client.orders.search();
    const expected = all.items.filter((o) => (o.status === 'pending' || o.status === 'processing') && o.entity_id > 3).map((o) => o.entity_id);
    const found = await collectAll((c) => client.orders.search(c),
      SearchCriteria.empty().whereAny([['status', 'eq', 'pending'], ['status', 'eq', 'processing']]).where('entity_id', 'gt', 3), 4);
    assert.deepEqual(found.map((o) => o.entity_id), expected);
  });

  test('get: both payment kinds, configurable lines, the shipping address in shipping_assignments', async () => {
    const online = sandbox.createOrder({ paymentMethod: 'braintree', lines: [{ sku: 'TEE-002-BLUE-L', qty: 2 }] });
    const offline = sandbox.createOrder({ paymentMethod: 'cashondelivery', lines: [{ sku: 'GEAR-0003', qty: 1 }] });
    const a = await client.orders.get(online.entity_id as number);
    assert.equal(a.state, 'processing');
    assert.equal(a.payment?.method, 'braintree');
    assert.equal(a.total_paid, a.grand_total);
    const [parent, child] = a.items;
    assert.equal(parent!.product_type, 'configurable');
    assert.equal(parent!.sku, 'TEE-002-BLUE-L');
    assert.equal(child!.parent_item_id, parent!.item_id);
    assert.ok(shippingAddressOf(a)?.street?.length);
    const b = await client.orders.get(offline.entity_id as number);
    assert.deepEqual([b.state, b.status, b.total_paid], ['new', 'pending', undefined]);
    assert.equal((await client.invoices.forOrder(a.entity_id)).length, 1);
    assert.equal((await client.invoices.forOrder(b.entity_id)).length, 0);
  });

  test('comments: added, listed, and the status cannot be changed through them', async () => {
    const order = sandbox.createOrder({ paymentKind: 'offline' });
    const id = order.entity_id as number;
    assert.equal(await client.orders.addComment(id, { comment: 'Imported into Odoo as S00042', status: 'pending' }), true);
    const list = await client.orders.comments(id);
    assert.equal(list.total_count, 1);
    assert.equal(list.items[0]!.comment, 'Imported into Odoo as S00042');
    const err = await rejection<IntegrationError>(client.orders.addComment(id, { comment: 'x', status: 'complete' }));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /Unable to add comment: The status "complete" is not part of the order status history\./);
    assert.equal((await client.orders.get(id)).status_histories?.length, 1);
  });

  test('hold and unhold', async () => {
    const id = sandbox.createOrder({ paymentKind: 'offline' }).entity_id as number;
    assert.equal(await client.orders.hold(id), true);
    assert.deepEqual([(await client.orders.get(id)).state, (await client.orders.get(id)).hold_before_state], ['holded', 'new']);
    assert.equal(await client.orders.unhold(id), true);
    assert.equal((await client.orders.get(id)).status, 'pending');
  });

  test('ship with a track, add a second track, read both back on the shipment', async () => {
    const order = sandbox.createOrder({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0001', qty: 2 }] });
    const orderId = order.entity_id as number;
    const itemId = (order.items as Array<{ item_id: number }>)[0]!.item_id;
    const shipmentId = await client.orders.ship(orderId, {
      items: [{ orderItemId: itemId, qty: 1 }],
      tracks: [{ trackNumber: '1Z999', title: 'UPS', carrierCode: 'ups' }],
      comment: { comment: 'Shipped from WH' },
      sourceCode: 'default',
    });
    assert.equal(typeof shipmentId, 'number');
    const track = await client.shipments.addTrack({ orderId, shipmentId, trackNumber: '1Z1000', title: 'UPS', carrierCode: 'ups' });
    assert.equal(track.parent_id, shipmentId);
    const shipment = await client.shipments.get(shipmentId);
    assert.deepEqual(shipment.tracks.map((t) => t.track_number), ['1Z999', '1Z1000']);
    assert.equal(shipment.items[0]!.qty, 1);
    assert.equal(shipment.extension_attributes?.source_code, 'default');
    assert.deepEqual((await client.shipments.forOrder(orderId)).map((s) => s.entity_id), [shipmentId]);
    const searched = await client.shipments.search(SearchCriteria.empty().where('order_id', 'eq', orderId));
    assert.equal(searched.total_count, 1);
    let seen = 0;
    for await (const page of client.shipments.pages(SearchCriteria.empty(), 50)) seen += page.items.length;
    assert.equal(seen, sandbox.state.shipments.length);
  });

  test('invoice, refund the order, refund an invoice; documents searchable', async () => {
    const order = sandbox.createOrder({ paymentKind: 'offline', lines: [{ sku: 'GEAR-0002', qty: 2 }, { sku: 'GEAR-0004', qty: 1 }] });
    const orderId = order.entity_id as number;
    const [first, second] = order.items as Array<{ item_id: number }>;
    const invoiceId = await client.orders.invoice(orderId, { items: [{ orderItemId: first!.item_id, qty: 2 }] });
    const invoiceId2 = await client.orders.invoice(orderId);
    const invoice = await client.invoices.get(invoiceId);
    assert.equal(invoice.order_id, orderId);
    assert.deepEqual(invoice.items.map((i) => [i.order_item_id, i.qty]), [[first!.item_id, 2]]);
    assert.equal((await client.invoices.search(SearchCriteria.empty().where('order_id', 'eq', orderId))).total_count, 2);

    const memoId = await client.orders.refund(orderId, { items: [{ orderItemId: first!.item_id, qty: 1 }], shippingAmount: 0, returnToStockItems: [first!.item_id] });
    const memo = await client.creditmemos.get(memoId);
    assert.deepEqual(memo.items.map((i) => [i.order_item_id, i.qty]), [[first!.item_id, 1]]);
    const memoId2 = await client.invoices.refund(invoiceId2, { items: [{ orderItemId: second!.item_id, qty: 1 }] });
    assert.equal((await client.creditmemos.get(memoId2)).invoice_id, invoiceId2);
    assert.deepEqual((await client.creditmemos.forOrder(orderId)).map((c) => c.entity_id), [memoId, memoId2]);
    assert.equal((await client.creditmemos.search(SearchCriteria.empty().where('order_id', 'eq', orderId))).total_count, 2);
  });

  test('cancel an offline order', async () => {
    const id = sandbox.createOrder({ paymentKind: 'offline' }).entity_id as number;
    assert.equal(await client.orders.cancel(id), true);
    assert.equal((await client.orders.get(id)).state, 'canceled');
  });
});

describe('catalog and stock', () => {
  test('products: get, search, paging, custom attributes', async () => {
    const product = await client.catalog.getProduct('GEAR-0001');
    assert.equal(product.type_id, 'simple');
    assert.ok(String(customAttributeOf(product, 'description')).includes('Demo gear item 1.'));
    assert.deepEqual(product.extension_attributes?.website_ids, [1]);
    const tees = await client.catalog.searchProducts(SearchCriteria.empty().where('sku', 'like', 'TEE-%').where('type_id', 'eq', 'configurable'));
    assert.equal(tees.total_count, 5);
    let total = 0;
    for await (const page of client.catalog.productPages(SearchCriteria.empty(), 25)) total += page.items.length;
    assert.equal(total, sandbox.state.products.length);
    const missing = await rejection<IntegrationError>(client.catalog.getProduct('NOPE'));
    assert.equal(missing.kind, 'not_found');
    assert.match(missing.message, /The product that was requested doesn't exist/);
  });

  test('a SKU with "/" and other reserved characters round-trips through every SKU route', async () => {
    sandbox.counters.reset();
    const slash = await client.catalog.getProduct('GEAR/0010');
    assert.equal(slash.sku, 'GEAR/0010');
    const sku = 'ODD/SKU 1?#%&+';
    const created = await client.catalog.saveProduct({ sku, name: 'Odd', price: 9.5, type_id: 'simple', attribute_set_id: 4 });
    assert.equal(created.sku, sku);
    assert.equal((await client.catalog.getProduct(sku)).name, 'Odd');
    const updated = await client.catalog.updateProduct(sku, { name: 'Odd renamed', custom_attributes: [{ attribute_code: 'description', value: 'x' }] });
    assert.equal(updated.name, 'Odd renamed');
    assert.equal(updated.sku, sku);
    const stockItem = await client.stock.getStockItem(sku);
    assert.equal(await client.stock.updateStockItem(sku, stockItem.item_id!, { qty: 12, is_in_stock: true }), stockItem.item_id);
    assert.equal((await client.stock.getStockItem(sku)).qty, 12);
    // The encoded SKUs reached the SKU route, not a 404 "no route".
    assert.equal(sandbox.counters.get('GET /V1/products/:sku'), 2);
    assert.equal(sandbox.counters.get('GET (no route)'), 0);
  });

  test('saving a product field that is really a custom attribute is Magento\'s 400', async () => {
    const err = await rejection<IntegrationError>(client.catalog.saveProduct({ sku: 'GEAR-0001', description: 'nope' } as never));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /"Description" is not supported\. Correct the field name and try again\./);
  });

  test('configurable: options, children, adding an option and a child', async () => {
    const options = await client.catalog.configurableOptions('TEE-001');
    assert.deepEqual(options.map((o) => o.label), ['Color', 'Size']);
    const children = await client.catalog.configurableChildren('TEE-001');
    assert.ok(children.length >= 8);
    assert.ok(children.every((c) => c.type_id === 'simple' && c.visibility === 1));
    const color = await client.catalog.getAttribute('color');
    await client.catalog.saveProduct({ sku: 'TEE-NEW', name: 'New Tee', price: 20, type_id: 'configurable', attribute_set_id: 4 });
    const noOptions = await rejection<IntegrationError>(client.catalog.addConfigurableChild('TEE-NEW', children[0]!.sku));
    assert.match(noOptions.message, /doesn't have configurable product options/);
    const optionId = await client.catalog.addConfigurableOption('TEE-NEW', { attributeId: color.attribute_id!, label: 'Color', valueIndexes: [Number(color.options![1]!.value)] });
    assert.equal(typeof optionId, 'number');
    assert.equal(await client.catalog.addConfigurableChild('TEE-NEW', children[0]!.sku), true);
    assert.deepEqual((await client.catalog.configurableChildren('TEE-NEW')).map((c) => c.sku), [children[0]!.sku]);
    const again = await rejection<IntegrationError>(client.catalog.addConfigurableChild('TEE-NEW', children[0]!.sku));
    assert.match(again.message, /already attached/);
  });

  test('categories: tree, list, get, create, update', async () => {
    const tree = await client.catalog.categoryTree();
    assert.equal(tree.name, 'Default Category');
    assert.deepEqual(tree.children_data?.map((c) => c.name), ['Apparel', 'Gear']);
    const shallow = await client.catalog.categoryTree({ rootCategoryId: 2, depth: 0 });
    assert.deepEqual(shallow.children_data, []);
    const list = await client.catalog.searchCategories(SearchCriteria.empty().where('name', 'eq', 'Bags'));
    assert.equal(list.total_count, 1);
    const bags = await client.catalog.getCategory(list.items[0]!.id!);
    const created = await client.catalog.createCategory({ name: 'Socks', parent_id: bags.parent_id!, is_active: true });
    assert.equal(created.level, bags.level);
    const updated = await client.catalog.updateCategory(created.id!, { name: 'Socks & Tights' });
    assert.equal(updated.name, 'Socks & Tights');
  });

  test('attributes, options, attribute sets and groups', async () => {
    const attrs = await client.catalog.searchAttributes(SearchCriteria.empty().where('frontend_input', 'eq', 'select'));
    assert.deepEqual(attrs.items.map((a) => a.attribute_code), ['color', 'size']);
    const options = await client.catalog.attributeOptions('size');
    assert.equal(options[0]!.value, '');
    assert.deepEqual(options.slice(1).map((o) => o.label), ['S', 'M', 'L', 'XL']);
    const newId = await client.catalog.addAttributeOption('size', { label: 'XXL', storeLabels: [{ storeId: 1, label: 'XXL' }] });
    assert.match(newId, /^\d+$/);
    assert.equal((await client.catalog.attributeOptions('size')).at(-1)?.value, newId);
    const dup = await rejection<IntegrationError>(client.catalog.addAttributeOption('size', { label: 'XXL' }));
    assert.match(dup.message, /Admin store attribute option label "XXL" is already exists\./);
    const sets = await client.catalog.searchAttributeSets();
    assert.equal(sets.items[0]!.attribute_set_name, 'Default');
    const groups = await client.catalog.searchAttributeGroups(SearchCriteria.empty().where('attribute_set_id', 'eq', 4));
    assert.ok(groups.items.some((g) => g.extension_attributes?.attribute_group_code === 'product-details'));
  });

  test('MSI source items: search, upsert, and the legacy stock item follows', async () => {
    const found = await client.stock.searchSourceItems(SearchCriteria.empty().where('sku', 'eq', 'GEAR-0002'));
    assert.equal(found.items[0]!.source_code, 'default');
    await client.stock.saveSourceItems([{ sku: 'GEAR-0002', sourceCode: 'default', quantity: 41 }, { sku: 'GEAR-0003', sourceCode: 'default', quantity: 0 }]);
    const after = await client.stock.searchSourceItems(SearchCriteria.empty().where('sku', 'in', ['GEAR-0002', 'GEAR-0003']));
    assert.deepEqual(after.items.map((i) => [i.sku, i.quantity, i.status]), [['GEAR-0002', 41, 1], ['GEAR-0003', 0, 0]]);
    const legacy = await client.stock.getStockItem('GEAR-0002');
    assert.deepEqual([legacy.qty, legacy.is_in_stock], [41, true]);
    const bad = await rejection<IntegrationError>(client.stock.saveSourceItems([{ sku: 'GEAR-0002', sourceCode: 'nowhere', quantity: 1 }]));
    assert.equal(bad.kind, 'validation');
    assert.match(bad.message, /Source with code "nowhere" does not exist\./);
    let pages = 0;
    for await (const page of client.stock.sourceItemPages(SearchCriteria.empty(), 40)) pages += page.items.length > 0 ? 1 : 0;
    assert.equal(pages, Math.ceil(sandbox.state.sourceItems.length / 40));
  });
});

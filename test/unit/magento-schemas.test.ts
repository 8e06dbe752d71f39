import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OrderSchema, ProductSchema, shippingAddressOf, shippingMethodOf, StockItemSchema, CategoryTreeSchema } from '../../integrations/magento/schemas';
import { createSeededState } from '../../sandbox/magento/seed';
import { createOrder } from '../../sandbox/magento/order-factory';
import { renderOrder, renderProduct, renderCategoryTree } from '../../sandbox/magento/render';

const CONTRACTS = process.env.CONTRACTS_DIR ?? resolve(__dirname, '../contracts');
const EXAMPLES = join(CONTRACTS, 'magento', 'order-examples');
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;

describe('order schema against real GET /V1/orders/:id bodies', () => {
  test('there are real examples to check', () => {
    assert.ok(exampleFiles.length >= 3, `expected the recorded order bodies in ${EXAMPLES}`);
  });

  for (const file of exampleFiles) {
    test(`${file} parses as it is`, () => {
      const result = OrderSchema.safeParse(load(file));
      assert.ok(result.success, result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3)));
      const order = result.data;
      assert.ok(order.items.length > 0);
      // The shipping address lives in shipping_assignments, never at the top level.
      assert.equal((order as Record<string, unknown>).shipping_address, undefined);
      assert.equal(shippingAddressOf(order)?.address_type, 'shipping');
      assert.ok(shippingMethodOf(order));
    });
  }

  test('configurable parent and child lines are both read, the child pointing at its parent', () => {
    const order = OrderSchema.parse(load('oca-connector-magento_GET_V1_orders_9.json'));
    const parent = order.items.find((i) => i.product_type === 'configurable')!;
    const child = order.items.find((i) => i.parent_item_id === parent.item_id)!;
    assert.equal(child.product_type, 'simple');
    assert.equal(child.parent_item?.item_id, parent.item_id);
    assert.equal(child.row_total, 0);
    assert.deepEqual(
      parent.product_option?.extension_attributes?.configurable_item_options?.map((o) => o.option_id),
      ['152', '93'],
    );
    assert.equal(order.payment?.method, 'checkmo');
    assert.equal(order.payment?.cc_last4, null);
    assert.equal(order.extension_attributes?.payment_additional_info?.[0]?.key, 'method_title');
  });

  test('a missing required field fails and names its path', () => {
    const body = load('oca-connector-magento_GET_V1_orders_9.json');
    delete ((body.items as Array<Record<string, unknown>>)[1]!).sku;
    const result = OrderSchema.safeParse(body);
    assert.equal(result.success, false);
    assert.ok(!result.success && result.error.issues.some((i) => i.path.join('.') === 'items.1.sku'));
  });

  test('a wrong type on a nested field fails with the nested path', () => {
    const body = load('oca-connector-magento_GET_V1_orders_16_guest.json');
    (body.billing_address as Record<string, unknown>).street = 'not a list';
    const result = OrderSchema.safeParse(body);
    assert.ok(!result.success && result.error.issues.some((i) => i.path.join('.') === 'billing_address.street'));
  });

  test('unknown extra fields are kept, numeric strings are read as numbers', () => {
    const body = load('oca-connector-magento_GET_V1_orders_16_guest.json');
    body.some_vendor_field = { x: 1 };
    body.grand_total = '54.0000';
    const order = OrderSchema.parse(body);
    assert.deepEqual((order as Record<string, unknown>).some_vendor_field, { x: 1 });
    assert.equal(order.grand_total, 54);
  });
});

describe('sandbox bodies satisfy the same schemas', () => {
  const { state, world } = createSeededState({ seed: 7 });
  test('generated orders of every payment method, with configurable lines', () => {
    for (const method of world.paymentMethods) {
      const order = createOrder(state, world, { paymentMethod: method.code, lines: [{ sku: 'TEE-001-BLACK-M', qty: 2 }, { sku: 'GEAR-0001' }] });
      const parsed = OrderSchema.parse(renderOrder(order));
      assert.equal(parsed.items.length, 3);
      const child = parsed.items.find((i) => i.parent_item_id !== undefined)!;
      assert.equal(child.parent_item?.product_type, 'configurable');
      assert.equal(parsed.state, method.kind === 'online' ? 'processing' : 'new');
      assert.ok(shippingAddressOf(parsed)?.city);
    }
  });

  test('products, stock items and the category tree', () => {
    for (const p of state.products) ProductSchema.parse(renderProduct(state, p));
    const configurable = state.products.find((p) => p.type_id === 'configurable')!;
    const parsed = ProductSchema.parse(renderProduct(state, configurable));
    assert.ok((parsed.extension_attributes?.configurable_product_links?.length ?? 0) > 0);
    assert.equal(typeof parsed.extension_attributes?.configurable_product_options?.[0]?.attribute_id, 'string');
    const stock = StockItemSchema.parse((renderProduct(state, state.products[0]!).extension_attributes as Record<string, unknown>).stock_item);
    assert.equal(stock.qty, state.sourceItems[0]!.quantity);
    const tree = CategoryTreeSchema.parse(renderCategoryTree(state, state.categories[1]!, undefined));
    assert.equal(tree.name, 'Default Category');
    assert.ok((tree.children_data?.[0]?.children_data?.length ?? 0) > 0);
  });
});

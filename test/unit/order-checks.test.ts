import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkOrder, orderProblems } from '../../activities/orders/order-checks';
import { OrderSchema, type Order } from '../../integrations/magento';
import { createOrder } from '../../sandbox/magento/order-factory';
import { renderOrder } from '../../sandbox/magento/render';
import { createSeededState } from '../../sandbox/magento/seed';
import type { Json } from '../../sandbox/magento/state';

const seeded = createSeededState({ seed: 9, simpleProducts: 2, configurableProducts: 0, customers: 1 });
const PLACED = renderOrder(createOrder(seeded.state, seeded.world, { guest: true, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001', qty: 2 }] }));
const bad = (change: (o: Json) => void): Order => {
  const o = JSON.parse(JSON.stringify({ ...PLACED, increment_id: '000000888' })) as Json;
  change(o);
  return OrderSchema.parse(o);
};
const items = (o: Json) => o.items as Json[];

describe('bad orders are refused by name (pure)', () => {
  test('a checkout-shaped order passes', () => {
    assert.deepEqual(orderProblems(OrderSchema.parse(PLACED)), []);
  });

  for (const [what, change, expected] of [
    ['quantity 0', (o: Json) => { items(o)[0]!.qty_ordered = 0; }, /items\[0\]\.qty_ordered is 0 \("GEAR-0001"\): must be above 0/],
    ['negative quantity', (o: Json) => { items(o)[0]!.qty_ordered = -1; }, /items\[0\]\.qty_ordered is -1/],
    ['no items', (o: Json) => { o.items = []; }, /items: the order has no items/],
    ['negative shipping', (o: Json) => { o.shipping_amount = -5; }, /shipping_amount is -5: must not be negative/],
    ['a 200 KB first name', (o: Json) => { (o.billing_address as Json).firstname = 'x'.repeat(200_000); }, /billing_address\.firstname is 200000 characters long \(at most 255\)/],
    ['an invalid e-mail', (o: Json) => { o.customer_email = 'not-an-email'; }, /customer_email "not-an-email" is not an e-mail address/],
  ] as const) {
    test(`${what}: parks naming the order, the record and the field`, () => {
      assert.throws(() => checkOrder(bad(change)), (err: Error & { problem?: string }) => {
        assert.equal(err.problem, 'InvalidOrder');
        assert.match(err.message, /^order 000000888: /);
        assert.match(err.message, expected);
        assert.ok(err.message.length < 2000, 'the message stays short even for a 200 KB field');
        return true;
      });
    });
  }
});

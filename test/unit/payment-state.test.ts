import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paymentStateOf } from '../../activities/orders/payment-state';
import { OrderSchema, type Order } from '../../integrations/magento';
import { createOrder } from '../../sandbox/magento/order-factory';
import { renderOrder } from '../../sandbox/magento/render';
import { createSeededState } from '../../sandbox/magento/seed';
import type { Json } from '../../sandbox/magento/state';

const seeded = createSeededState({ seed: 5, simpleProducts: 2, configurableProducts: 0, customers: 1 });
const PLACED = renderOrder(createOrder(seeded.state, seeded.world, { guest: true, paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001', qty: 2 }] }));
const GRAND = Number(PLACED.grand_total);

function order(payment: Json, totals: Json = {}): Order {
  return OrderSchema.parse({ ...PLACED, increment_id: '000000777', ...totals, payment: { ...(PLACED.payment as Json), ...payment } });
}

describe('paid or not, online or offline, from Magento\'s money (pure)', () => {
  test('an offline method Magento shows as paid is offline and paid; unpaid is unpaid', () => {
    const paid = paymentStateOf(order({ method: 'cashondelivery', amount_paid: GRAND }, { total_paid: GRAND, total_invoiced: GRAND }));
    assert.deepEqual([paid.kind, paid.paid, paid.paidAmount], ['offline', true, GRAND]);
    const unpaid = paymentStateOf(order({ method: 'checkmo' }, { total_paid: 0 }));
    assert.deepEqual([unpaid.kind, unpaid.paid], ['offline', false]);
    const part = paymentStateOf(order({ method: 'banktransfer', amount_paid: GRAND - 0.01 }, { total_paid: GRAND - 0.01 }));
    assert.equal(part.paid, false, 'one cent short is not paid');
  });

  test('a gateway capture on a core offline code is online (the money decides)', () => {
    const s = paymentStateOf(order({ method: 'checkmo', base_amount_paid_online: GRAND, amount_paid: GRAND, last_trans_id: 'tx-1' }, { total_paid: GRAND }));
    assert.deepEqual([s.kind, s.decidedBy, s.transactionId], ['online', 'money', 'tx-1']);
  });

  test('an unknown method parks naming the order, the field and the method, and says what Magento shows', () => {
    assert.throws(() => paymentStateOf(order({ method: 'bitcoin', amount_authorized: GRAND })), (err: Error) => {
      assert.match(err.message, /^order 000000777: payment.method "bitcoin" is not a Magento core method and the channel does not map it \(Magento shows it captured\/authorised online/);
      assert.match(err.message, /set orders\.paymentMethods\.bitcoin to/);
      return true;
    });
  });

  test('a mapped custom method follows the mapping, paid from the money', () => {
    const s = paymentStateOf(order({ method: 'bitcoin', amount_paid: GRAND }, { total_paid: GRAND }), { bitcoin: { kind: 'offline', journal: 7 } });
    assert.deepEqual([s.kind, s.paid, s.decidedBy], ['offline', true, 'mapping']);
    const online = paymentStateOf(order({ method: 'my_gateway' }), { my_gateway: { kind: 'online' } });
    assert.deepEqual([online.kind, online.paid], ['online', false]);
  });
});

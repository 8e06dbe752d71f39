import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { magentoLines } from '../../activities/orders/magento-lines';
import { odooLineCents, orderCurrency, orderValues, solveLine, solveSummed, totalCorrections, type OrderValues } from '../../activities/orders/order-values';
import type { LineAmounts } from '../../integrations/odoo/sale-lines';
import { OrderSchema, type Order } from '../../integrations/magento';
import { createOrder } from '../../sandbox/magento/order-factory';
import { renderOrder } from '../../sandbox/magento/render';
import { createSeededState } from '../../sandbox/magento/seed';
import { withMoney, type MoneySpec } from '../support/magento-money';

const CONTRACTS = join(process.env.CONTRACTS_DIR ?? join(__dirname, '..', 'contracts'), 'magento', 'order-examples');
// A checkout-shaped body (addresses, payment, customer) from the sandbox's own order factory.
const seeded = createSeededState({ seed: 3, simpleProducts: 3, configurableProducts: 0, customers: 1 });
const PLACED = renderOrder(createOrder(seeded.state, seeded.world, { guest: true, paymentMethod: 'checkmo' }));
const order = (spec: Omit<MoneySpec, 'incrementId'>): Order => OrderSchema.parse(withMoney(PLACED, { incrementId: '000000101', ...spec }));

/** What Odoo computes from the values (its own arithmetic, independently of the mapper's records). */
function odooTotal(o: Order): { cents: number; values: ReturnType<typeof orderValues> } {
  const values = orderValues(o, magentoLines(o), 0);
  let total = Math.round(values.shippingPrice * 100);
  for (const l of values.lines) {
    const { subtotal, tax } = odooLineCents(Math.round(l.priceUnit * 100), l.discount, l.quantity, l.taxPercent);
    total += subtotal + tax;
  }
  return { cents: total, values };
}

describe('Magento order → Odoo sale-order money (pure)', () => {
  test('tax-inclusive 10% coupon in EUR: the Odoo discount is 10%, not 11.9%, and the total is the grand total', () => {
    const o = order({ currency: 'EUR', baseCurrency: 'USD', rate: 0.92, taxPercent: 19, pricesIncludeTax: true, couponPercent: 10, shipping: 4.9, lines: [{ sku: 'A', qty: 1, price: 119 }, { sku: 'B', qty: 3, price: 9.99 }, { sku: 'C', qty: 2, price: 24.95 }] });
    const { cents, values } = odooTotal(o);
    assert.equal(values.currency, 'EUR');
    assert.equal(values.lines[0]?.priceUnit, 100);
    assert.equal(values.lines[0]?.discount, 10);
    assert.equal(cents, Math.round((o.grand_total ?? 0) * 100), `Odoo ${cents / 100} vs Magento ${o.grand_total}`);
    assert.equal(values.roundingDifference, 0);
    for (const l of values.lines) assert.equal(Math.round(l.discount * 100) / 100, l.discount, 'a discount Odoo can store (2 decimals)');
  });

  test('odd discounts that a percentage rounded to 2 decimals would move by cents still land exactly', () => {
    const o = order({ taxPercent: 8.25, shipping: 5, lines: [{ sku: 'A', qty: 7, price: 13.37, discountAmount: 7.77 }, { sku: 'B', qty: 3, price: 26.009999999999998, discountAmount: 2.35 }, { sku: 'C', qty: 12, price: 199.99, discountAmount: 123.45 }] });
    const naive = (o.items[2]!.discount_amount! / (199.99 * 12)) * 100;
    const naiveCents = odooLineCents(19999, Math.round(naive * 100) / 100, 12, 0).subtotal;
    assert.notEqual(naiveCents, Math.round((199.99 * 12 - 123.45) * 100), 'the naive 2-decimal percentage misses (this is the bug)');
    const { cents, values } = odooTotal(o);
    assert.equal(cents, Math.round((o.grand_total ?? 0) * 100));
    assert.equal(values.roundingDifference, 0);
  });

  test('300 generated orders (both tax modes, coupons, odd amounts): every Odoo total equals the grand total', (t) => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let exact = 0;
    let roundingLines = 0;
    const misses: string[] = [];
    for (let k = 0; k < 300; k++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => ({ sku: `S${i}`, qty: 1 + Math.floor(rand() * 9), price: Math.round(rand() * 50_000) / 100 + 0.01, ...(rand() < 0.3 ? { discountPercent: Math.round(rand() * 3000) / 100 } : {}) }));
      const o = order({ taxPercent: [0, 7, 8.25, 19, 21][Math.floor(rand() * 5)]!, pricesIncludeTax: rand() < 0.5, couponPercent: rand() < 0.5 ? [5, 10, 15, 33][Math.floor(rand() * 4)] : undefined, shipping: Math.round(rand() * 2000) / 100, lines });
      const { cents, values } = odooTotal(o);
      if (values.roundingDifference !== 0) roundingLines++;
      else if (cents === Math.round((o.grand_total ?? 0) * 100)) exact++;
      else misses.push(`${cents} vs ${o.grand_total}`);
    }
    assert.deepEqual(misses, []);
    assert.equal(exact + roundingLines, 300);
    assert.ok(roundingLines <= 3, `${roundingLines} orders needed a rounding line`);
    t.diagnostic(`300 orders: ${exact} exact through price/discount, ${roundingLines} with a rounding line`);
  });

  test('solveLine: a discount Odoo stores (2 decimals) for a row whose exact percentage has more', () => {
    const c = solveLine(1337, 7, 0, { net: 9359 - 777 });
    assert.ok(c);
    assert.equal(odooLineCents(c.priceUnit, c.discount, 7, 0).subtotal, 9359 - 777);
  });

  test('Odoo 19 in a foreign currency sums before rounding: a price/discount is found for that arithmetic too', () => {
    // seen on real Odoo 19 (EUR order, USD company): 39.98 + 7.35 at 8.25% plus 5.00 shipping is
    // 56.24 in Magento (tax per row 3.30 + 0.61) but 56.23 summed (tax 3.904725 → 3.90)
    const lines = [
      { index: 0, sku: 'A', quantity: 2, priceUnit: 19.99, discount: 0, taxPercent: 8.25, subtotal: 39.98, tax: 3.3 },
      { index: 1, sku: 'B', quantity: 1, priceUnit: 7.35, discount: 0, taxPercent: 8.25, subtotal: 7.35, tax: 0.61 },
    ];
    const solved = solveSummed(lines, 5, 5624);
    assert.ok(solved);
    const base = solved.reduce((s, l) => s + l.priceUnit * (1 - l.discount / 100) * l.quantity, 0);
    assert.equal(Math.round((base + 5) * 100) + Math.round(base * 0.0825 * 100), 5624);
  });

  test('bundles (the real 2.4.7 example body): components become lines, amounts counted once, total exact', () => {
    const real = OrderSchema.parse(JSON.parse(readFileSync(join(CONTRACTS, 'adobedocs_order-create-order_GET_V1_orders_3.json'), 'utf8')));
    const lines = magentoLines(real);
    assert.deepEqual(lines.map((l) => l.sku), ['WS12-M-Orange', '240-LV08', '24-WG082-blue', '24-WG084', '24-WG086', '24-WG088', 'MH01-S-Gray']);
    const { cents, values } = odooTotal(real);
    assert.equal(cents, 16500, 'Magento grand_total 165, not 233 (parent and children both counted)');
    assert.equal(values.roundingDifference, 0);
  });

  test('a fixed-price bundle: the parent\'s price and tax are spread over its components, to the cent', () => {
    const real = JSON.parse(readFileSync(join(CONTRACTS, 'adobedocs_order-create-order_GET_V1_orders_3.json'), 'utf8')) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
    const parent = real.items.find((i) => i.product_type === 'bundle')!;
    // fixed price 69.99 with 8.25% tax on the parent; children at 0
    Object.assign(parent, { price: 69.99, row_total: 69.99, tax_percent: 8.25, tax_amount: 5.77, row_total_incl_tax: 75.76 });
    for (const child of real.items.filter((i) => i.parent_item_id === parent.item_id)) Object.assign(child, { price: 0, row_total: 0, tax_amount: 0, row_total_incl_tax: 0 });
    real.grand_total = Number(real.grand_total) - 68 + 75.76;
    const o = OrderSchema.parse(real);
    const { cents, values } = odooTotal(o);
    assert.equal(cents, Math.round(Number(real.grand_total) * 100));
    const components = values.lines.filter((l) => l.sku.startsWith('24-WG'));
    assert.equal(components.length, 4);
    assert.equal(Math.round(components.reduce((s, l) => s + l.subtotal, 0) * 100), 6999, 'the components add up to the bundle price');
  });

  test('an empty or malformed currency is refused naming the order and the field', () => {
    assert.throws(() => orderCurrency(OrderSchema.parse({ ...withMoney(PLACED, { incrementId: '000000102', lines: [{ sku: 'A', qty: 1, price: 1 }] }), order_currency_code: '' })), /order 000000102: order_currency_code is empty/);
    assert.throws(() => orderCurrency(OrderSchema.parse({ ...withMoney(PLACED, { incrementId: '000000103', lines: [{ sku: 'A', qty: 1, price: 1 }] }), order_currency_code: 'Euro' })), /order 000000103: order_currency_code "Euro" is not a currency code/);
  });
});

describe('after the create: correcting the Odoo order to Magento\'s total (pure)', () => {
  const values = (lines: Array<{ sku: string; priceUnit: number }>): OrderValues => ({
    currency: 'USD',
    lines: lines.map((l, index) => ({ index, sku: l.sku, quantity: 1, priceUnit: l.priceUnit, discount: 0, taxPercent: 0, subtotal: l.priceUnit, tax: 0 })),
    shippingPrice: 5,
    grandTotal: 0,
    roundingDifference: 0,
  });
  const amounts = (id: number, over: Partial<LineAmounts>): LineAmounts => ({ id, isDelivery: false, isDisplay: false, priceUnit: 0, discount: 0, quantity: 1, subtotal: 0, tax: 0, total: 0, ...over });
  const odooLines = [
    amounts(1, { priceUnit: 30, subtotal: 30, total: 30 }),
    amounts(2, { isDisplay: true }),
    amounts(3, { priceUnit: 10, subtotal: 10, total: 10 }),
    amounts(4, { isDelivery: true, priceUnit: 5, subtotal: 5, total: 5 }),
  ];

  test('a cent of difference moves into the largest product line\'s stored price (section and delivery lines are not product lines)', () => {
    assert.deepEqual(totalCorrections(values([{ sku: 'A', priceUnit: 30 }, { sku: 'B', priceUnit: 10 }]), odooLines, 45, 45.01), [{ lineId: 1, priceUnit: 30.01, discount: 0 }]);
  });

  test('null when no stored value can take it (more than rounding) or Odoo has fewer product lines than the order', () => {
    assert.equal(totalCorrections(values([{ sku: 'A', priceUnit: 30 }, { sku: 'B', priceUnit: 10 }]), odooLines, 45, 50), null);
    assert.equal(totalCorrections(values([{ sku: 'A', priceUnit: 30 }, { sku: 'B', priceUnit: 10 }, { sku: 'C', priceUnit: 1 }]), odooLines, 45, 45.01), null);
  });
});

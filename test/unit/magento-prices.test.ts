import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kilogramsPer, weightInKg } from '../../activities/sync/magento-catalog-values';
import { ALL_GROUPS, priceRules } from '../../activities/sync/magento-prices';
import type { Product } from '../../integrations/magento';

const WHOLESALE = 2;
const RETAILER = 3;
const groups = new Map([
  [WHOLESALE, 11],
  [RETAILER, 12],
]);
const product = (extra: Partial<Product>): Product => ({ id: 5, sku: 'LAMP', price: 40, ...extra }) as Product;

test('tier prices become one fixed-price item per quantity break in the group’s pricelist; ALL GROUPS goes to every mapped one', () => {
  const { rules, notes } = priceRules(
    product({
      tier_prices: [
        { customer_group_id: WHOLESALE, qty: 10, value: 35 },
        { customer_group_id: WHOLESALE, qty: 5, value: 38 },
        { customer_group_id: ALL_GROUPS, qty: 20, value: 36 },
      ],
    }),
    groups,
  );
  assert.deepEqual(notes, []);
  assert.deepEqual(rules, [
    { pricelistId: 11, minQuantity: 5, fixedPrice: 38 },
    { pricelistId: 11, minQuantity: 10, fixedPrice: 35 },
    // 20 for all groups at 36 is not lower than wholesale's 35 from 10: no break for it there
    { pricelistId: 12, minQuantity: 20, fixedPrice: 36 },
  ]);
});

test('a percentage tier is the price less that percentage, to the cent; an unmapped group is reported, not guessed', () => {
  const { rules, notes } = priceRules(
    product({
      price: 19.99,
      tier_prices: [
        { customer_group_id: RETAILER, qty: 3, value: 0, extension_attributes: { percentage_value: 15 } },
        { customer_group_id: 1, qty: 2, value: 18 },
      ] as Product['tier_prices'],
    }),
    groups,
  );
  assert.deepEqual(rules, [{ pricelistId: 12, minQuantity: 3, fixedPrice: 16.99 }], '19.99 × 0.85 = 16.9915 → 16.99');
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /customer group 1 \(qty 2\): the group is not mapped to an Odoo pricelist \(mappings set customer_group 1 <pricelist id>\)/);
});

test('a special price: an item at quantity 0 in every mapped pricelist, dated like Magento (last day whole); undated it caps the tier breaks', () => {
  const dated = priceRules(
    product({
      custom_attributes: [
        { attribute_code: 'special_price', value: '33.5000' },
        { attribute_code: 'special_from_date', value: '2026-12-01 00:00:00' },
        { attribute_code: 'special_to_date', value: '2026-12-24 00:00:00' },
      ],
      tier_prices: [{ customer_group_id: WHOLESALE, qty: 10, value: 35 }],
    }),
    groups,
  );
  assert.deepEqual(dated.rules, [
    { pricelistId: 11, minQuantity: 10, fixedPrice: 35 },
    { pricelistId: 11, minQuantity: 0, fixedPrice: 33.5, dateStart: '2026-12-01 00:00:00', dateEnd: '2026-12-24 23:59:59' },
    { pricelistId: 12, minQuantity: 0, fixedPrice: 33.5, dateStart: '2026-12-01 00:00:00', dateEnd: '2026-12-24 23:59:59' },
  ]);

  const undated = priceRules(
    product({
      custom_attributes: [{ attribute_code: 'special_price', value: '36' }],
      tier_prices: [
        { customer_group_id: WHOLESALE, qty: 5, value: 37 },
        { customer_group_id: WHOLESALE, qty: 10, value: 34 },
      ],
    }),
    groups,
  );
  assert.deepEqual(
    undated.rules,
    [
      { pricelistId: 11, minQuantity: 10, fixedPrice: 34 },
      { pricelistId: 11, minQuantity: 0, fixedPrice: 36 },
      { pricelistId: 12, minQuantity: 0, fixedPrice: 36 },
    ],
    'the 5-piece tier at 37 is above the special 36: Magento charges 36, so no break for it',
  );

  const above = priceRules(product({ custom_attributes: [{ attribute_code: 'special_price', value: '45' }] }), groups);
  assert.deepEqual(above.rules, [], 'a special price above the price changes nothing in Magento');
});

test('weights: lbs and kgs to kg, to the gram; any other unit is unknown', () => {
  assert.equal(kilogramsPer('kgs'), 1);
  assert.equal(weightInKg('2.5', kilogramsPer('lbs')!), 1.134);
  assert.equal(weightInKg(1.75, kilogramsPer('kgs')!), 1.75);
  assert.equal(kilogramsPer('stone'), null);
});

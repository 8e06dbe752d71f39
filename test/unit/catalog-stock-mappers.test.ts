import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { takeOverItems } from '../../activities/sync/pricelist-items';
import { publishedQuantity } from '../../activities/sync/stock';
import { attributeLineCreates } from '../../integrations/odoo/product-attributes';
import { tagCommands } from '../../integrations/odoo/product-tags';

describe('catalog and stock mappers (no I/O)', () => {
  test('published quantity: free minus nothing of our own, capped by on hand minus demand, never below 0, NaN on bad figures', () => {
    assert.equal(publishedQuantity({ freeQty: 7, qtyAvailable: 10, outgoingQty: 2 }), 7);
    assert.equal(publishedQuantity({ freeQty: 10, qtyAvailable: 10, outgoingQty: 4 }), 6, 'demand Odoo could not reserve yet lowers it');
    assert.equal(
      publishedQuantity({ freeQty: 5, qtyAvailable: 10, outgoingQty: 5 }, { reserved: 3, demand: 5 }),
      8,
      "the channel's own deliveries are added back",
    );
    assert.equal(publishedQuantity({ freeQty: -3, qtyAvailable: 2, outgoingQty: 5 }), 0, 'forced reservations: never below 0');
    assert.equal(publishedQuantity({ freeQty: 1.123456, qtyAvailable: 5, outgoingQty: 0 }), 1.1235, 'to 4 decimals');
    assert.ok(Number.isNaN(publishedQuantity({ freeQty: NaN, qtyAvailable: 5, outgoingQty: 0 })));
  });

  test('pricelist items: an item that is exactly a wanted rule is kept (prices to the cent, dates, each item once); the rest are created', () => {
    const item = (
      id: number,
      over: Partial<{ pricelistId: number; minQuantity: number; fixedPrice: number; dateStart: string | null; dateEnd: string | null }> = {},
    ) => ({
      id,
      pricelistId: 1,
      minQuantity: 5,
      fixedPrice: 9.99,
      dateStart: null,
      dateEnd: null,
      ...over,
    });
    const rules = [
      { pricelistId: 1, minQuantity: 5, fixedPrice: 9.99 },
      { pricelistId: 1, minQuantity: 5, fixedPrice: 9.99 },
      { pricelistId: 1, minQuantity: 0, fixedPrice: 8, dateStart: '2026-01-01 00:00:00', dateEnd: '2026-01-31 23:59:59' },
    ];
    const present = [
      item(10, { fixedPrice: 9.990000001 }),
      item(11, { pricelistId: 2 }),
      item(12, { minQuantity: 0, fixedPrice: 8, dateStart: '2026-01-01 00:00:00', dateEnd: null }),
    ];
    const { itemIds, toCreate } = takeOverItems(rules, present);
    assert.deepEqual(itemIds, [10], 'item 10 for the first rule only; 11 is another pricelist; 12 ends at another date');
    assert.deepEqual(toCreate, [rules[1], rules[2]]);
    assert.deepEqual(
      takeOverItems(rules.slice(2), [item(13, { minQuantity: 0, fixedPrice: 8, dateStart: '2026-01-01 00:00:00', dateEnd: '2026-01-31 23:59:59' })]),
      { itemIds: [13], toCreate: [] },
    );
  });

  test('product tags as x2many commands: links first, then unlinks', () => {
    assert.deepEqual(tagCommands({ link: [12], unlink: [11, 13] }), [
      [4, 12],
      [3, 11],
      [3, 13],
    ]);
    assert.deepEqual(tagCommands({ link: [], unlink: [] }), []);
  });

  test('attribute lines as x2many create commands with their values set', () => {
    assert.deepEqual(attributeLineCreates([{ attributeId: 3, valueIds: [7, 9] }]), [[0, 0, { attribute_id: 3, value_ids: [[6, 0, [7, 9]]] }]]);
  });
});

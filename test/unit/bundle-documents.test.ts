import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { billsByBundleRow, documentItems, shipsByBundleRow } from '../../activities/orders/bundle-documents';
import { magentoLines } from '../../activities/orders/magento-lines';
import type { Order } from '../../integrations/magento';

// Two bundles of a kit (2 × part A and 1 × part B each) beside a plain line: how quantities Odoo
// delivered or invoiced per component become the rows a Magento document names.
const order = {
  increment_id: '1', entity_id: 1, items: [
    { item_id: 1, sku: 'PLAIN', product_type: 'simple', qty_ordered: 3, price: 10 },
    { item_id: 2, sku: 'KIT', product_type: 'bundle', qty_ordered: 2, price: 50, product_id: 77 },
    { item_id: 3, sku: 'A', product_type: 'simple', parent_item_id: 2, qty_ordered: 4, price: 0 },
    { item_id: 4, sku: 'B', product_type: 'simple', parent_item_id: 2, qty_ordered: 2, price: 0 },
  ],
} as unknown as Order;

describe('bundle documents', () => {
  const lines = magentoLines(order);

  test('components per bundle come from the quantities ordered', () => {
    assert.deepEqual(lines.filter((l) => l.bundle).map((l) => [l.sku, l.bundle!.parentItemId, l.bundle!.perBundle]), [['A', 2, 2], ['B', 2, 1]]);
  });

  test('shipped together / fixed price: the bundle row gets the whole bundles the components make up; the rest stays', () => {
    const together = shipsByBundleRow(new Map([[2, 'together']]));
    // 3 of A and 2 of B delivered: one whole kit (A limits), the plain line as it is
    assert.deepEqual(documentItems(lines, [{ orderItemId: 1, qty: 2 }, { orderItemId: 3, qty: 3 }, { orderItemId: 4, qty: 2 }], together), [{ orderItemId: 1, qty: 2 }, { orderItemId: 2, qty: 1 }]);
    // a component not delivered at all: no kit yet
    assert.deepEqual(documentItems(lines, [{ orderItemId: 3, qty: 4 }], together), []);
    assert.deepEqual(documentItems(lines, [{ orderItemId: 3, qty: 4 }, { orderItemId: 4, qty: 2 }], billsByBundleRow), [{ orderItemId: 2, qty: 2 }], 'fixed price (children at 0): invoiced by the bundle row');
  });

  test('shipped separately: the component rows as allocated', () => {
    const items = [{ orderItemId: 3, qty: 3 }, { orderItemId: 4, qty: 1 }];
    assert.deepEqual(documentItems(lines, items, shipsByBundleRow(new Map([[2, 'separately']]))), items);
  });
});

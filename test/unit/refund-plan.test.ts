import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderDataError } from '../../activities/orders/failures';
import type { MagentoLine } from '../../activities/orders/magento-lines';
import { creditNoteLinesFor, magentoRefundFor, quantityReleases } from '../../activities/orders/refund-plan';
import type { Creditmemo } from '../../integrations/magento';
import type { DeliveredLine, InvoicingLine } from '../../integrations/odoo/sale-lines';

// Refunds line by line, both directions, without I/O: what a Magento credit memo becomes in
// Odoo, what Odoo credit notes become in Magento, and what a refund before shipment takes off.

function magentoLine(over: Partial<MagentoLine> & Pick<MagentoLine, 'itemId' | 'sku'>): MagentoLine {
  return {
    index: 0,
    productType: 'simple',
    qtyOrdered: 1,
    qtyShipped: 0,
    qtyInvoiced: 0,
    qtyCanceled: 0,
    qtyRefunded: 0,
    price: 10,
    discountAmount: 0,
    taxPercent: 0,
    isVirtual: false,
    ...over,
  };
}

function saleLine(over: Partial<InvoicingLine> & Pick<InvoicingLine, 'id'>): InvoicingLine {
  return {
    productId: null,
    name: '',
    priceUnit: 0,
    discount: 0,
    taxIds: [],
    isDelivery: false,
    isDisplay: false,
    quantity: 1,
    qtyInvoiced: 1,
    subtotal: 0,
    total: 0,
    ...over,
  };
}

function memo(over: Partial<Creditmemo>): Creditmemo {
  return { entity_id: 7, order_id: 1, increment_id: '100000007', items: [], grand_total: 0, ...over } as Creditmemo;
}

const ORDER = { incrementId: '000000042', odooName: 'S00042' };
const SKUS = new Map([
  [11, 'Shirt-Blue'],
  [12, 'MUG'],
  [13, 'PEN'],
  [90, 'SHIP'],
]);

describe('Magento credit memo → Odoo credit note lines', () => {
  const odoo = [
    saleLine({ id: 1, productId: 11, name: 'Shirt blue', priceUnit: 20, discount: 10, taxIds: [5], quantity: 2 }),
    saleLine({ id: 2, isDisplay: true, name: 'Section' }),
    saleLine({ id: 3, productId: 90, name: 'Standard delivery', priceUnit: 5, taxIds: [6], isDelivery: true }),
  ];

  test('a refunded row is its sale line at the refunded quantity; shipping and adjustments are lines of their own', () => {
    const rows = [magentoLine({ itemId: 100, sku: 'shirt-blue', qtyOrdered: 2, qtyInvoiced: 2 })];
    const lines = creditNoteLinesFor(
      memo({ items: [{ order_item_id: 100, qty: 1 }] as Creditmemo['items'], shipping_amount: 4.5, adjustment_positive: 2, adjustment_negative: 1.25 }),
      rows,
      odoo,
      SKUS,
      ORDER,
    );
    assert.deepEqual(lines, [
      { productId: 11, name: 'Shirt blue', quantity: 1, priceUnit: 20, discount: 10, taxIds: [5], saleLineId: 1 },
      { productId: 90, name: 'Shipping refund: Standard delivery', quantity: 1, priceUnit: 4.5, taxIds: [6] },
      { name: 'Adjustment refund (Magento credit memo 100000007)', quantity: 1, priceUnit: 2, taxIds: [] },
      { name: 'Adjustment fee (Magento credit memo 100000007)', quantity: 1, priceUnit: -1.25, taxIds: [] },
    ]);
  });

  test('a fixed-price bundle row is refunded as its components (units per bundle × bundles); its component rows are not counted again', () => {
    const bundle = { parentIndex: 0, parentSku: 'KIT', dynamic: false, share: 0.5, last: false, parentItemId: 200 };
    const rows = [
      magentoLine({ itemId: 201, sku: 'MUG', qtyOrdered: 2, bundle: { ...bundle, perBundle: 1 } }),
      magentoLine({ itemId: 202, sku: 'PEN', qtyOrdered: 6, bundle: { ...bundle, last: true, perBundle: 3 } }),
    ];
    const lines = creditNoteLinesFor(
      memo({
        items: [
          { order_item_id: 200, qty: 2 },
          { order_item_id: 201, qty: 2 },
          { order_item_id: 202, qty: 6 },
        ] as Creditmemo['items'],
      }),
      rows,
      [saleLine({ id: 4, productId: 12, name: 'Mug', priceUnit: 3 }), saleLine({ id: 5, productId: 13, name: 'Pen', priceUnit: 1 })],
      SKUS,
      ORDER,
    );
    assert.deepEqual(
      lines.map((l) => [l.saleLineId, l.quantity]),
      [
        [4, 2],
        [5, 6],
      ],
    );
  });

  test('a row refunded at quantity 0 (a configurable child) makes no line; no line for the SKU, or shipping without a delivery line, is named', () => {
    const rows = [magentoLine({ itemId: 100, sku: 'SHIRT-BLUE' }), magentoLine({ itemId: 101, sku: 'GONE' })];
    assert.deepEqual(creditNoteLinesFor(memo({ items: [{ order_item_id: 101, qty: 0 }] as Creditmemo['items'] }), rows, odoo, SKUS, ORDER), []);
    assert.throws(
      () => creditNoteLinesFor(memo({ items: [{ order_item_id: 101, qty: 1 }] as Creditmemo['items'] }), rows, odoo, SKUS, ORDER),
      (err: unknown) =>
        err instanceof OrderDataError &&
        err.problem === 'UnknownSku' &&
        /order 000000042: Magento credit memo 100000007 refunds "GONE", which Odoo sale order S00042/.test(err.message),
    );
    assert.throws(
      () =>
        creditNoteLinesFor(
          memo({ shipping_amount: 5 }),
          rows,
          odoo.filter((l) => !l.isDelivery),
          SKUS,
          ORDER,
        ),
      (err: unknown) =>
        err instanceof OrderDataError &&
        err.problem === 'UnmappedCarrier' &&
        /refunds shipping 5\.00 but Odoo sale order S00042 has no delivery line/.test(err.message),
    );
  });
});

describe('Odoo credit notes → Magento refund', () => {
  test('the quantity Odoo no longer counts as invoiced goes back on the Magento item; the shipping credited in Odoo is refunded without its tax', () => {
    const rows = [magentoLine({ itemId: 100, sku: 'SHIRT-BLUE', qtyOrdered: 2, qtyInvoiced: 2 }), magentoLine({ itemId: 101, sku: 'MUG', qtyInvoiced: 1 })];
    const odoo = [
      // one of two shirts credited: 23.00 a unit with tax
      saleLine({ id: 1, productId: 11, quantity: 2, qtyInvoiced: 1, subtotal: 40, total: 46 }),
      saleLine({ id: 2, productId: 12, quantity: 1, qtyInvoiced: 1, subtotal: 5, total: 5 }),
      // the delivery credited too: 5.00 + 15% tax
      saleLine({ id: 3, productId: 90, isDelivery: true, quantity: 1, qtyInvoiced: 0, subtotal: 5, total: 5.75 }),
    ];
    const plan = magentoRefundFor({ shipping_invoiced: 5, shipping_refunded: 0 }, rows, odoo, SKUS, [23, 5.75]);
    assert.deepEqual(plan, { items: [{ orderItemId: 100, qty: 1 }], shipping: 5, adjustmentPositive: 0, adjustmentNegative: 0, total: 28.75 });
  });

  test('what the quantities and shipping do not explain is an adjustment; shipping already refunded in Magento is not refunded again', () => {
    const rows = [magentoLine({ itemId: 100, sku: 'MUG', qtyOrdered: 2, qtyInvoiced: 2 })];
    const odoo = [
      saleLine({ id: 2, productId: 12, quantity: 2, qtyInvoiced: 1, subtotal: 10, total: 10 }),
      saleLine({ id: 3, productId: 90, isDelivery: true, quantity: 1, qtyInvoiced: 0, subtotal: 5, total: 5 }),
    ];
    const plan = magentoRefundFor({ shipping_invoiced: 5, shipping_refunded: 5 }, rows, odoo, SKUS, [7.5]);
    assert.deepEqual(plan, { items: [{ orderItemId: 100, qty: 1 }], shipping: 0, adjustmentPositive: 2.5, adjustmentNegative: 0, total: 7.5 });
    const fee = magentoRefundFor({ shipping_invoiced: 5, shipping_refunded: 5 }, rows, odoo, SKUS, [3]);
    assert.equal(fee.adjustmentNegative, 2);
    assert.equal(fee.adjustmentPositive, 0);
  });
});

describe('refunded before shipment → Odoo line quantities', () => {
  const delivered = (id: number, productId: number, quantity: number, done: number): DeliveredLine => ({ id, productId, quantity, delivered: done });

  test('the last line of the SKU gives first, never below what it delivered; SKUs match case-insensitively', () => {
    // 5 ordered, 1 shipped, 3 refunded: 2 refunded beyond what shipped, so 3 stay sold
    const rows = [magentoLine({ itemId: 100, sku: 'mug', qtyOrdered: 5, qtyShipped: 1, qtyInvoiced: 5, qtyRefunded: 3 })];
    const releases = quantityReleases(rows, [delivered(1, 12, 3, 0), delivered(2, 12, 2, 1)], SKUS);
    assert.deepEqual(releases, [
      { lineId: 2, sku: 'MUG', from: 2, to: 1 },
      { lineId: 1, sku: 'MUG', from: 3, to: 2 },
    ]);
  });

  test('nothing to lower when Odoo already plans no more than is sold', () => {
    const rows = [magentoLine({ itemId: 100, sku: 'MUG', qtyOrdered: 2, qtyShipped: 0, qtyRefunded: 1 })];
    assert.deepEqual(quantityReleases(rows, [delivered(1, 12, 1, 0)], SKUS), []);
  });
});

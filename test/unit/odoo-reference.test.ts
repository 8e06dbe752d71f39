// The worker's Odoo reference cache (integrations/odoo/reference.ts) and the order import's rule
// for it (freshOnDataError): found answers are kept for the TTL, misses and failures never, and a
// mapping error made on kept answers is looked up again on fresh ones before the order parks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshOnDataError, OrderDataError } from '../../activities/orders/failures';
import type { OdooClient, OdooRecord } from '../../integrations/odoo';
import { OdooReference } from '../../integrations/odoo/reference';

/** an OdooClient that answers search_read from a table per model and counts the calls */
function fakeOdoo(tables: Record<string, OdooRecord[]>) {
  const calls: string[] = [];
  let failNext = false;
  const odoo = {
    async searchRead(model: string) {
      calls.push(model);
      if (failNext) {
        failNext = false;
        throw new Error('Odoo is down');
      }
      return structuredClone(tables[model] ?? []);
    },
    async findVariantsBySku(skus: string[]) {
      calls.push('product.product');
      return (tables['product.product'] ?? []).filter((p) => skus.includes(String(p.default_code)));
    },
  };
  return { odoo: odoo as unknown as OdooClient, calls, failOnce: () => (failNext = true) };
}

describe('Odoo reference cache', () => {
  test('found answers are kept until the TTL runs out; a miss is asked again', async () => {
    let now = 0;
    const tables: Record<string, OdooRecord[]> = { 'account.tax': [{ id: 1, name: 'Tax 8.25%', amount: 8.25, price_include: false }], 'res.currency': [] };
    const { odoo, calls } = fakeOdoo(tables);
    const ref = new OdooReference(odoo, 60_000, () => now);
    assert.deepEqual(await ref.saleTaxes(), [{ id: 1, name: 'Tax 8.25%', amount: 8.25, priceInclude: false, companyId: null }]);
    await ref.saleTaxes();
    assert.deepEqual(calls, ['account.tax'], 'one read for two questions');
    assert.equal(await ref.currency('EUR'), null);
    tables['res.currency'] = [{ id: 3, name: 'EUR', active: true }];
    assert.deepEqual(await ref.currency('EUR'), { id: 3, active: true }, 'a miss is not remembered');
    now = 60_001;
    await ref.saleTaxes();
    assert.deepEqual(calls, ['account.tax', 'res.currency', 'res.currency', 'account.tax'], 'read again after the TTL');
  });

  test('products by SKU: kept one by one, only the missing ones asked', async () => {
    const { odoo, calls } = fakeOdoo({
      'product.product': [
        { id: 11, default_code: 'A' },
        { id: 12, default_code: 'B' },
      ],
    });
    const ref = new OdooReference(odoo);
    assert.deepEqual([...(await ref.variantIds(['A']))], [['A', 11]]);
    assert.deepEqual([...(await ref.variantIds(['A', 'B', 'C']))].sort(), [
      ['A', 11],
      ['B', 12],
    ]);
    assert.deepEqual([...(await ref.variantIds(['A', 'B']))].sort(), [
      ['A', 11],
      ['B', 12],
    ]);
    assert.equal(calls.length, 2, 'A once, then B and C; the third question is answered from memory');
  });

  test('a failed read is not an answer', async () => {
    const { odoo, calls, failOnce } = fakeOdoo({ 'delivery.carrier': [{ id: 4, name: 'UPS', product_id: [9, 'UPS'] }] });
    const ref = new OdooReference(odoo);
    failOnce();
    await assert.rejects(ref.carrier(4), /Odoo is down/);
    assert.deepEqual(await ref.carrier(4), { id: 4, name: 'UPS', productId: 9 });
    assert.equal(calls.length, 2);
  });

  test('freshOnDataError: a mapping error on kept answers is looked up again on fresh ones; a second one parks', async () => {
    const tables: Record<string, OdooRecord[]> = { 'account.tax': [] };
    const { odoo } = fakeOdoo(tables);
    const ref = new OdooReference(odoo);
    const client = { reference: ref };
    const lookup = async () => {
      const taxes = await ref.saleTaxes();
      if (!taxes.some((t) => t.amount === 7)) throw new OrderDataError('UnmappedTax', 'order 42: unmapped tax 7% on items[0]');
      return taxes[0]!.id;
    };
    await assert.rejects(freshOnDataError(client, lookup), /unmapped tax 7%/);
    // ops create the tax in Odoo; the kept (empty) list would park the retry again
    tables['account.tax'] = [{ id: 5, name: 'Tax 7%', amount: 7, price_include: false }];
    assert.equal(await freshOnDataError(client, lookup), 5);
    // other failures are not mapping errors: no second look
    let runs = 0;
    await assert.rejects(
      freshOnDataError(client, async () => {
        runs++;
        throw new Error('socket hang up');
      }),
      /socket hang up/,
    );
    assert.equal(runs, 1);
  });
});

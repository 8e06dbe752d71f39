// Taxes of the order's company (activities/orders/odoo-mappings.ts resolveTaxes): Odoo keeps a
// tax per company and real Odoo refuses another company's tax on an order (the real tier shows
// it: test/real-odoo/multi-company.test.ts). Here the choice itself, on a stubbed reference cache.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTaxes } from '../../activities/orders/odoo-mappings';
import { OrderDataError } from '../../activities/orders/failures';
import type { OdooClient } from '../../integrations/odoo';
import type { SaleTax } from '../../integrations/odoo/reference';

function odooWith(taxes: SaleTax[], userCompany = 1) {
  let asked = 0;
  const odoo = {
    reference: {
      saleTaxes: async () => taxes,
      userCompany: async () => (asked++, userCompany),
    },
  };
  return { odoo: odoo as unknown as OdooClient, asked: () => asked };
}
const tax = (id: number, amount: number, companyId: number | null): SaleTax => ({
  id,
  name: `Tax ${amount}% (${companyId})`,
  amount,
  priceInclude: false,
  companyId,
});
const LINE = [{ index: 0, percent: 8.25 }];

describe('order taxes by company', () => {
  test('a company named for the order: only its taxes (or shared ones) count, whatever the mappings prefer', async () => {
    const { odoo } = odooWith([tax(1, 8.25, 1), tax(7, 8.25, 2)]);
    const taxes = await resolveTaxes(odoo, '000000042', LINE, new Set([1]), { id: 2, name: 'EU Shop' });
    assert.equal(taxes.get(8.25), 7);
    const shared = odooWith([tax(1, 8.25, 1), tax(9, 8.25, null)]);
    assert.equal((await resolveTaxes(shared.odoo, '000000042', LINE, new Set(), { id: 2, name: 'EU Shop' })).get(8.25), 9);
  });

  test('a company without a tax of that rate: the order parks naming order, rate, line and company', async () => {
    const { odoo } = odooWith([tax(1, 8.25, 1)]);
    await assert.rejects(resolveTaxes(odoo, '000000042', LINE, new Set([1]), { id: 2, name: 'EU Shop' }), (err: Error) => {
      assert.ok(err instanceof OrderDataError);
      assert.equal(err.message, 'order 000000042: unmapped tax 8.25% on items[0]: no Odoo sale tax of company "EU Shop" has that rate');
      return true;
    });
  });

  test('no company named: one rate in several companies means the API user’s company; a single company is not asked about', async () => {
    const several = odooWith([tax(7, 8.25, 2), tax(1, 8.25, 1)], 1);
    assert.equal((await resolveTaxes(several.odoo, '000000042', LINE)).get(8.25), 1);
    assert.equal(several.asked(), 1);
    const single = odooWith([tax(1, 8.25, 1), tax(3, 15, 1)]);
    assert.equal((await resolveTaxes(single.odoo, '000000042', LINE)).get(8.25), 1);
    assert.equal(single.asked(), 0, 'one company: no extra call');
  });
});

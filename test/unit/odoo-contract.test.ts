import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTRACT_ADDITIONS, listOdooOperations } from '../../integrations/odoo/operations';
import { sandboxFields, sandboxOperations } from '../../sandbox/odoo/server';
import { fieldsDump, methodsTsv, ORM_METHODS, refusedByOdoo } from './odoo-contract-files';

/**
 * The Odoo contract: a (model, method) is allowed when the recorded servers called it
 * (methods.tsv) and did not answer that it does not exist or is private, when it is a plain ORM method on a model whose fields were
 * recorded, or when it is listed with its source file in CONTRACT_ADDITIONS.
 */
function allowed(): (model: string, method: string) => string | null {
  const rows = methodsTsv();
  const refused = refusedByOdoo();
  // A business refusal (UserError on a done picking) still proves the method exists.
  const succeeded = new Set(rows.map((r) => `${r.model}.${r.method}`).filter((key) => !refused.has(key)));
  const recordedModels = new Set([...Object.keys(fieldsDump(18)), ...Object.keys(fieldsDump(19))]);
  const additions = new Set(CONTRACT_ADDITIONS.map((a) => `${a.model}.${a.method}`));
  return (model, method) => {
    const key = `${model}.${method}`;
    if (succeeded.has(key) || additions.has(key)) return null;
    if (ORM_METHODS.has(method) && recordedModels.has(model)) return null;
    return key;
  };
}

describe('Odoo contract', () => {
  test('every call the client can make is in the Odoo contract', () => {
    const check = allowed();
    const outside = listOdooOperations().map(({ model, method }) => check(model, method)).filter(Boolean);
    assert.deepEqual(outside, []);
  });

  test('every method the sandbox serves (18.0 and 19.0) is in the Odoo contract', () => {
    const check = allowed();
    for (const version of [18, 19] as const) {
      const outside = sandboxOperations(version).map(({ model, method }) => check(model, method)).filter(Boolean);
      assert.deepEqual(outside, [], `sandbox ${version}.0`);
    }
  });

  test('the sandbox answers every call the client can make', () => {
    for (const version of [18, 19] as const) {
      const served = new Set(sandboxOperations(version).map(({ model, method }) => `${model}.${method}`));
      const missing = listOdooOperations()
        .map(({ model, method }) => `${model}.${method}`)
        // 19.0 has no cancel wizard; the client only opens it when 18.0 answers with its action.
        .filter((key) => !served.has(key) && !(version === 19 && key.startsWith('sale.order.cancel.')));
      assert.deepEqual(missing, [], `sandbox ${version}.0`);
    }
  });

  test('sandbox field names exist in the recorded fields_get of the same version', () => {
    for (const version of [18, 19] as const) {
      const dump = fieldsDump(version);
      const unknown: string[] = [];
      for (const [model, fields] of Object.entries(sandboxFields(version))) {
        const recorded = dump[model];
        if (!recorded) continue; // reference models the dump does not cover (res.company, uom.uom, …)
        for (const field of fields) if (!recorded[field]) unknown.push(`${model}.${field}`);
      }
      assert.deepEqual(unknown, [], `fields unknown to Odoo ${version}.0`);
    }
  });

  test('additions name the Odoo source file that defines them', () => {
    for (const addition of CONTRACT_ADDITIONS) assert.match(addition.source, /^addons\/.+\.py$/);
  });

  test('the contract check rejects calls that are not in the contract', () => {
    const check = allowed();
    assert.equal(check('sale.order', '_create_invoices'), 'sale.order._create_invoices');
    assert.equal(check('magento.nothing', 'search'), 'magento.nothing.search');
    assert.equal(check('sale.order', 'no_such_method'), 'sale.order.no_such_method');
    assert.equal(check('sale.order.cancel', 'fields_get'), null, 'an ORM method on a model recorded for 18.0');
    assert.equal(check('sale.order', 'action_confirm'), null);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromHttpStatus, fromOdooFault, fromTransportFailure, type ErrorScope } from '../../integrations/odoo/errors';
import { toExecuteKw } from '../../integrations/odoo/jsonrpc-transport';

const scope: ErrorScope = { flavour: 'jsonrpc', operation: 'sale.order.action_confirm', database: 'shop' };

describe('Odoo error mapping', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['odoo.exceptions.UserError', 'Some orders are not in a state requiring confirmation.', 'validation', false],
    ['odoo.exceptions.ValidationError', 'You cannot create recursive Partner hierarchies.', 'validation', false],
    ['odoo.exceptions.MissingError', 'Record does not exist or has been deleted.', 'not_found', false],
    ['odoo.exceptions.AccessError', "Private methods (such as 'sale.order._create_invoices') cannot be called remotely.", 'forbidden', false],
    ['odoo.exceptions.AccessDenied', 'Access Denied', 'auth', false],
    ['werkzeug.exceptions.Unauthorized', 'Invalid apikey', 'auth', false],
    ['builtins.ValueError', "Invalid field 'tax_id' on model 'sale.order.line'", 'validation', false],
    ['builtins.AttributeError', "The method 'sale.order.no_such_method' does not exist", 'protocol', false],
    ['werkzeug.exceptions.UnprocessableEntity', "missing a required argument: 'domain'", 'protocol', false],
    ['odoo.exceptions.LockError', 'Cannot lock the record', 'conflict', true],
    ['psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 'conflict', true],
    ['odoo.exceptions.ConcurrencyError', 'could not serialize access due to concurrent update', 'conflict', true],
    ['psycopg2.OperationalError', 'server closed the connection unexpectedly', 'server', true],
  ];
  for (const [name, message, kind, retryable] of cases) {
    test(`${name} → ${kind}`, () => {
      const err = fromOdooFault({ name, message, status: 200 }, scope);
      assert.equal(err.kind, kind);
      assert.equal(err.retryable, retryable);
      assert.equal(err.system, 'odoo');
      assert.equal(err.details.remoteType, name);
      assert.equal(err.details.operation, 'sale.order.action_confirm');
    });
  }

  test('Odoo’s own message is kept for business errors', () => {
    const err = fromOdooFault({ name: 'odoo.exceptions.UserError', message: 'You cannot cancel a locked order. Please unlock it first.' }, scope);
    assert.match(err.message, /You cannot cancel a locked order\. Please unlock it first\./);
  });

  test('an unknown database over JSON-RPC (psycopg2.OperationalError) is a config error, not a retry', () => {
    const err = fromOdooFault({ name: 'psycopg2.OperationalError', message: 'connection to server at "127.0.0.1", port 55432 failed: FATAL:  database "nope" does not exist\n' }, scope);
    assert.equal(err.kind, 'auth');
    assert.equal(err.retryable, false);
    assert.match(err.message, /no database "nope"/);
  });

  test('HTTP statuses without an Odoo body', () => {
    assert.equal(fromHttpStatus(503, scope).kind, 'server');
    const limited = fromHttpStatus(429, scope, '7');
    assert.equal(limited.kind, 'rate_limited');
    assert.equal(limited.details.retryAfterMs, 7000);
    assert.equal(fromHttpStatus(418, scope).retryable, false);
  });

  test('transport failures', () => {
    assert.equal(fromTransportFailure({ code: 'ETIMEDOUT' }, scope).kind, 'timeout');
    const reset = fromTransportFailure({ code: 'ECONNRESET', config: { data: 'secret-key' } }, scope);
    assert.equal(reset.kind, 'network');
    assert.equal(reset.retryable, true);
    assert.ok(!JSON.stringify(reset).includes('secret-key'));
  });
});

describe('JSON-2 named arguments → execute_kw', () => {
  test('record method: ids first, then the positional parameters, context in kwargs', () => {
    assert.deepEqual(toExecuteKw({ model: 'res.partner', method: 'write', ids: [7], kwargs: { vals: { name: 'x' } }, context: { lang: 'en_US' } }), {
      args: [[7], { name: 'x' }],
      kwargs: { context: { lang: 'en_US' } },
    });
  });
  test('search_read: domain positional, the rest named, as the recorded 18.0 calls', () => {
    assert.deepEqual(toExecuteKw({ model: 'sale.order', method: 'search_read', kwargs: { domain: [['state', '=', 'sale']], fields: ['name'], limit: 2 } }), {
      args: [[['state', '=', 'sale']]],
      kwargs: { fields: ['name'], limit: 2 },
    });
  });
  test('create with a list, business methods with only ids', () => {
    assert.deepEqual(toExecuteKw({ model: 'product.category', method: 'create', kwargs: { vals_list: [{ name: 'A' }] } }).args, [[{ name: 'A' }]]);
    assert.deepEqual(toExecuteKw({ model: 'sale.order', method: 'action_confirm', ids: [1] }), { args: [[1]], kwargs: {} });
  });
  test('positional parameters stop at the first one not given', () => {
    assert.deepEqual(toExecuteKw({ model: 'ir.model.data', method: 'check_object_reference', kwargs: { xml_id: 'x' } }), { args: [], kwargs: { xml_id: 'x' } });
  });
});

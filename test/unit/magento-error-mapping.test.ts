import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMagentoError, errorFromResponse, errorFromTransport, kindForStatus, parseRetryAfter, renderMagentoMessage } from '../../integrations/magento/error-mapping';

describe('Magento message rendering', () => {
  test('positional %1 %2 from a list', () => {
    assert.equal(
      renderMagentoMessage('The sort order has to be specified as %1 for ascending order or %2 for descending order.', ['ASC', 'DESC']),
      'The sort order has to be specified as ASC for ascending order or DESC for descending order.',
    );
  });

  test('named %placeholders from an object, longest name first', () => {
    assert.equal(
      renderMagentoMessage('No such entity with %fieldName = %fieldValue', { fieldName: 'customerId', fieldValue: 5 }),
      'No such entity with customerId = 5',
    );
    assert.equal(renderMagentoMessage('%field and %fieldValue', { field: 'A', fieldValue: 'B' }), 'A and B');
    assert.equal(
      renderMagentoMessage("The consumer isn't authorized to access %resources.", { resources: 'Magento_Sales::actions_view' }),
      "The consumer isn't authorized to access Magento_Sales::actions_view.",
    );
  });

  test('unmatched placeholders and missing parameters leave the text alone', () => {
    assert.equal(renderMagentoMessage('Value %1 and %2', ['x']), 'Value x and %2');
    assert.equal(renderMagentoMessage('Plain text'), 'Plain text');
  });

  test('aggregate errors are listed after the main sentence', () => {
    const text = describeMagentoError({
      message: 'One or more input exceptions have occurred.',
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'sku' } },
        { message: 'Invalid value of "%value" provided for the %fieldName field.', parameters: { value: 'x', fieldName: 'price' } },
      ],
    });
    assert.equal(text, 'One or more input exceptions have occurred. "sku" is required. Enter and try again.; Invalid value of "x" provided for the price field.');
  });
});

describe('HTTP status → IntegrationError', () => {
  test('kinds and retryability', () => {
    const cases: Array<[number, string, boolean]> = [
      [400, 'validation', false], [401, 'auth', false], [403, 'forbidden', false], [404, 'not_found', false],
      [422, 'validation', false], [429, 'rate_limited', true], [500, 'server', true], [502, 'server', true], [503, 'server', true],
    ];
    for (const [status, kind, retryable] of cases) {
      assert.equal(kindForStatus(status), kind);
      const err = errorFromResponse('GET /V1/orders/42', status, '{"message":"x"}');
      assert.equal(err.kind, kind);
      assert.equal(err.retryable, retryable, `HTTP ${status}`);
      assert.equal(err.details.operation, 'GET /V1/orders/42');
      assert.equal(err.details.status, status);
      assert.equal(err.system, 'magento');
    }
  });

  test('the readable sentence and the operation are in the message', () => {
    const err = errorFromResponse('GET /V1/customers/999', 404, JSON.stringify({ message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'customerId', fieldValue: 999 } }));
    assert.equal(err.message, 'Magento GET /V1/customers/999 failed with HTTP 404: No such entity with customerId = 999');
  });

  test('a body that is not Magento JSON (a proxy\'s HTML 503) still gives a useful error', () => {
    const err = errorFromResponse('POST /V1/order/1/ship', 503, '<h1>503 Service Unavailable</h1>');
    assert.equal(err.kind, 'server');
    assert.match(err.message, /HTTP 503: no Magento error message/);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(errorFromResponse('GET /V1/orders', 429, '{"message":"Too Many Requests"}', '7').details.retryAfterMs, 7000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('garbage'), undefined);
    assert.equal(errorFromResponse('GET /V1/orders', 400, '{}', '7').details.retryAfterMs, undefined);
  });
});

describe('transport failures', () => {
  test('timeouts and connection problems are retryable, with their own kinds', () => {
    assert.equal(errorFromTransport('GET /V1/orders', 'ECONNABORTED', 3000).kind, 'timeout');
    assert.equal(errorFromTransport('GET /V1/orders', 'ETIMEDOUT').kind, 'timeout');
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', undefined]) {
      const err = errorFromTransport('GET /V1/orders', code);
      assert.equal(err.kind, 'network');
      assert.equal(err.retryable, true);
    }
    assert.match(errorFromTransport('GET /V1/orders', 'ECONNABORTED', 3000).message, /timed out after 3000 ms/);
  });
});

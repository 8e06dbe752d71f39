import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createMagentoClient, type MagentoClient } from '../../integrations/magento/client';
import { IntegrationError } from '../../integrations/errors';
import { MagentoHttp } from '../../integrations/magento/http';
import { ROUTES } from '../../integrations/magento/routes';
import { OrderSchema } from '../../integrations/magento/schemas';
import type { MagentoSandbox } from '../../sandbox/magento/server';
import { configFor, rejection, startHarness } from './magento-harness';

let sandbox: MagentoSandbox;
let client: MagentoClient;

before(async () => {
  ({ sandbox, client } = await startHarness({ orders: 3 }, 'oauth1', 400));
});
after(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

describe('transient faults are retryable', () => {
  test('500 → server', async () => {
    sandbox.faults.set([{ route: 'GET /V1/orders/:id', fault: 'error500', times: 1 }]);
    const err = await rejection<IntegrationError>(client.orders.get(1));
    assert.deepEqual([err.kind, err.retryable, err.details.status, err.details.operation], ['server', true, 500, 'GET /V1/orders/1']);
    assert.match(err.message, /Internal Error\. Details are available in Magento log file/);
    // the rule fired once; the retry Temporal would make succeeds
    assert.equal((await client.orders.get(1)).entity_id, 1);
  });

  test('503 with an HTML body → server', async () => {
    sandbox.faults.set([{ route: 'POST /V1/order/:orderId/ship', fault: 'error503', times: 1 }]);
    const err = await rejection<IntegrationError>(client.orders.ship(1));
    assert.deepEqual([err.kind, err.retryable], ['server', true]);
  });

  test('429 → rate_limited with Retry-After in ms', async () => {
    sandbox.faults.set([{ route: 'GET /V1/products', fault: 'rate_limit', retryAfterSeconds: 7, times: 1 }]);
    const err = await rejection<IntegrationError>(client.catalog.searchProducts());
    assert.deepEqual([err.kind, err.retryable, err.details.retryAfterMs], ['rate_limited', true, 7000]);
  });

  test('no answer → timeout (the client\'s own timeout fires)', async () => {
    sandbox.faults.set([{ route: 'GET /V1/store/storeViews', fault: 'timeout', times: 1 }]);
    const err = await rejection<IntegrationError>(client.listStoreViews());
    assert.deepEqual([err.kind, err.retryable], ['timeout', true]);
  });

  test('dropped connection → network', async () => {
    sandbox.faults.set([{ route: 'GET /V1/customers/search', fault: 'drop', times: 1 }]);
    const err = await rejection<IntegrationError>(client.customers.search());
    assert.deepEqual([err.kind, err.retryable], ['network', true]);
  });

  test('nothing listening → network', async () => {
    const closed = await startHarness();
    const url = closed.sandbox.url;
    await closed.sandbox.close();
    const dead = createMagentoClient(configFor(sandbox, 'oauth1', 2000, { baseUrl: url }));
    const err = await rejection<IntegrationError>(dead.listStoreViews());
    assert.deepEqual([err.kind, err.retryable], ['network', true]);
  });

  test('an HTML 200 page, a cut-off JSON body and an empty 200 body → server (retryable), not protocol', async () => {
    for (const [fault, what] of [['html200', /an HTML page/], ['truncated', /not complete JSON/], ['empty200', /an empty body/]] as const) {
      sandbox.faults.set([{ route: 'GET /V1/orders/:id', fault, times: 1 }]);
      const err = await rejection<IntegrationError>(client.orders.get(1));
      assert.deepEqual([fault, err.kind, err.retryable, err.details.status], [fault, 'server', true, 200]);
      assert.match(err.message, what);
      assert.match(err.message, /^Magento GET \/V1\/orders\/1 answered HTTP 200/);
      assert.equal((await client.orders.get(1)).entity_id, 1, 'the next attempt gets the order');
    }
  });

  test('faults can be set through the admin endpoint, and every request is counted', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify([{ route: 'GET /V1/invoices', fault: 'error500', times: 2 }]) });
    assert.equal(res.status, 200);
    await fetch(`${sandbox.url}/__sandbox/counters/reset`, { method: 'POST' });
    assert.equal((await rejection<IntegrationError>(client.invoices.search())).kind, 'server');
    assert.equal((await rejection<IntegrationError>(client.invoices.search())).kind, 'server');
    assert.ok(Array.isArray((await client.invoices.search()).items));
    const counters = (await (await fetch(`${sandbox.url}/__sandbox/counters`)).json()) as Record<string, number>;
    assert.equal(counters['GET /V1/invoices'], 3);
  });
});

describe('refusals are not retryable', () => {
  test('404 entity → not_found with Magento\'s sentence', async () => {
    const err = await rejection<IntegrationError>(client.orders.get(424242));
    assert.deepEqual([err.kind, err.retryable, err.details.status], ['not_found', false, 404]);
    assert.match(err.message, /^Magento GET \/V1\/orders\/424242 failed with HTTP 404: The entity that was requested doesn't exist\./);
  });

  test('400 with positional parameters → validation, substituted', async () => {
    const err = await rejection<IntegrationError>(client.orders.search(refusedSortDirection()));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /The sort order has to be specified as ASC for ascending order or DESC for descending order\./);
  });

  test('a wrong HTTP method is a 404 "Request does not match any route."', async () => {
    const res = await fetch(`${sandbox.url}/rest/default/V1/orders/1`, { method: 'DELETE' });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Request does not match any route.' });
  });

  test('GET /V1/orders without searchCriteria → 400 "%fieldName" is required', async () => {
    const http = new MagentoHttp(configFor(sandbox, 'oauth1'));
    const err = await rejection<IntegrationError>(http.call(ROUTES.orders.search, {}, z.unknown()));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /"searchCriteria" is required\. Enter and try again\./);
  });

  test('an answer that does not match the contract → protocol error naming the field path', async () => {
    const http = new MagentoHttp(configFor(sandbox, 'oauth1'));
    const err = await rejection<IntegrationError>(http.call(ROUTES.stores.views, {}, z.array(OrderSchema)));
    assert.deepEqual([err.kind, err.retryable], ['protocol', false]);
    assert.match(err.message, /\[0\]\.entity_id/);
  });
});

/** a sort direction Magento refuses, built around the client's own validation */
function refusedSortDirection() {
  return { toQueryPairs: () => [['searchCriteria[sortOrders][0][field]', 'entity_id'], ['searchCriteria[sortOrders][0][direction]', 'UP']] } as never;
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createMagentoClient } from '../../integrations/magento/client';
import { IntegrationError } from '../../integrations/errors';
import { signRequest } from '../../integrations/magento/oauth1';
import type { MagentoSandbox } from '../../sandbox/magento/server';
import { configFor, rejection, startHarness } from './magento-harness';

const UNAUTHORIZED = { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } };

describe('OAuth 1.0a against the sandbox', () => {
  let sandbox: MagentoSandbox;
  before(async () => {
    ({ sandbox } = await startHarness({ orders: 1 }));
  });
  after(() => sandbox.close());

  const signedFetch = (url: string, secret = sandbox.credentials.consumerSecret, nonce?: string) => {
    const c = sandbox.credentials;
    const { authorization } = signRequest({
      method: 'GET', url, nonce,
      credentials: { consumerKey: c.consumerKey, consumerSecret: secret, token: c.accessToken, tokenSecret: c.accessTokenSecret },
    });
    return fetch(url, { headers: { Authorization: authorization } });
  };

  test('a correctly signed request with query parameters is accepted', async () => {
    const res = await signedFetch(`${sandbox.url}/rest/default/V1/orders?searchCriteria%5BpageSize%5D=1`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { total_count: number }).total_count, 1);
  });

  test('a wrong consumer secret gets Magento\'s 401 body', async () => {
    const res = await signedFetch(`${sandbox.url}/rest/default/V1/orders/1`, 'wrong-secret');
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), UNAUTHORIZED);
  });

  test('a query parameter changed after signing breaks the signature', async () => {
    const c = sandbox.credentials;
    const { authorization } = signRequest({
      method: 'GET', url: `${sandbox.url}/rest/default/V1/orders?searchCriteria%5BpageSize%5D=1`,
      credentials: { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret },
    });
    const res = await fetch(`${sandbox.url}/rest/default/V1/orders?searchCriteria%5BpageSize%5D=100`, { headers: { Authorization: authorization } });
    assert.equal(res.status, 401);
  });

  test('a replayed nonce is refused', async () => {
    const url = `${sandbox.url}/rest/default/V1/store/websites`;
    assert.equal((await signedFetch(url, undefined, 'same-nonce')).status, 200);
    assert.equal((await signedFetch(url, undefined, 'same-nonce')).status, 401);
  });

  test('no credentials at all: 401 naming the route\'s ACL resource', async () => {
    const res = await fetch(`${sandbox.url}/rest/default/V1/inventory/source-items?searchCriteria=`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_InventoryApi::source' } });
  });

  test('through the client: a wrong secret is a non-retryable auth error that leaks no secret', async () => {
    const client = createMagentoClient(configFor(sandbox, 'oauth1', 5000, { consumerSecret: 'wrong-secret-value' }));
    const err = await rejection<IntegrationError>(client.orders.get(1));
    assert.ok(err instanceof IntegrationError);
    assert.equal(err.kind, 'auth');
    assert.equal(err.retryable, false);
    assert.equal(err.details.status, 401);
    assert.match(err.message, /The consumer isn't authorized to access Magento_Sales::actions_view\./);
    const everything = `${err.message} ${JSON.stringify(err)} ${inspect(err, { depth: 5 })} ${err.stack}`;
    for (const secret of ['wrong-secret-value', sandbox.credentials.accessToken, sandbox.credentials.accessTokenSecret]) {
      assert.equal(everything.includes(secret), false, 'a secret appears in the error');
    }
  });

  test('an unknown access token is refused the same way', async () => {
    const client = createMagentoClient(configFor(sandbox, 'oauth1', 5000, { accessToken: 'revoked-token' }));
    assert.equal((await rejection<IntegrationError>(client.listStoreViews())).kind, 'auth');
  });

  test('bearer mode is refused while the store has not enabled it', async () => {
    const client = createMagentoClient(configFor(sandbox, 'bearer'));
    const err = await rejection<IntegrationError>(client.listStoreViews());
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /Magento_Backend::store/);
  });
});

describe('Bearer mode (enable_integration_as_bearer on)', () => {
  let sandbox: MagentoSandbox;
  before(async () => {
    ({ sandbox } = await startHarness({ allowBearer: true }));
  });
  after(() => sandbox.close());

  test('the access token works as a Bearer token; a wrong one does not', async () => {
    const client = createMagentoClient(configFor(sandbox, 'bearer'));
    assert.equal((await client.listStoreViews()).length, 2);
    assert.equal((await client.orders.search()).total_count, 0);
    const wrong = createMagentoClient(configFor(sandbox, 'bearer', 5000, { accessToken: 'not-the-token' }));
    assert.equal((await rejection<IntegrationError>(wrong.listStoreViews())).kind, 'auth');
  });

  test('OAuth signatures keep working next to it', async () => {
    const client = createMagentoClient(configFor(sandbox, 'oauth1'));
    assert.equal((await client.stores.websites()).length, 2);
  });
});

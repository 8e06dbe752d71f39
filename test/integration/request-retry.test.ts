import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IntegrationError } from '../../integrations/errors';
import { createMagentoClient } from '../../integrations/magento/client';
import { OdooClient } from '../../integrations/odoo';
import { withRequestRetry } from '../../integrations/request-retry';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';

// Requests retried inside the clients (issue 12, item 3), against both sandboxes over HTTP: the
// sandboxes' counters show how often each request was really sent.

describe('client-side retries of one request', () => {
  let stack: DemoStack;
  before(async () => {
    stack = await startDemoStack({ code: 'retry', flavour: 'json2' });
  });
  after(async () => stack?.stop());

  const magento = () => createMagentoClient({ ...stack.channel.magento, retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50, maxRetryAfterMs: 1_500 } });
  const odoo = () => new OdooClient({ ...stack.channel.odoo, retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50, maxRetryAfterMs: 1_500 } });
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof IntegrationError);
      return err;
    }
    assert.fail('expected a failure');
  };

  test('a read that meets 5xx, an HTML 200 page and a dropped connection is sent again until it passes', async () => {
    const key = 'GET /V1/orders/:id';
    const order = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }] }) as { entity_id: number };
    stack.magento.faults.set([{ route: key, fault: 'error503', times: 1 }, { route: key, fault: 'html200', times: 1 }]);
    const before = stack.magento.counters.get(key);
    assert.equal((await magento().orders.get(order.entity_id)).entity_id, order.entity_id);
    assert.equal(stack.magento.counters.get(key), before + 3);

    stack.magento.faults.set([{ route: key, fault: 'error500', times: 5 }]);
    const bounded = await failure(magento().orders.get(order.entity_id));
    assert.equal(bounded.kind, 'server');
    assert.equal(stack.magento.counters.get(key), before + 6, 'three tries, then the activity takes over');
    stack.magento.faults.clear();
  });

  test('a write is sent again only when it surely did not land (429), never after a 5xx', async () => {
    const key = 'POST /V1/orders/:id/comments';
    const order = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0002' }] }) as { entity_id: number };
    stack.magento.faults.set([{ route: key, fault: 'error503', times: 1 }]);
    const before = stack.magento.counters.get(key);
    assert.equal((await failure(magento().orders.addComment(order.entity_id, { comment: 'x' }))).kind, 'server');
    assert.equal(stack.magento.counters.get(key), before + 1, 'a 503 on a write is left to the activity');
    stack.magento.faults.set([{ route: key, fault: 'rate_limit', retryAfterSeconds: 0, times: 1 }]);
    assert.equal(await magento().orders.addComment(order.entity_id, { comment: 'y' }), true);
    assert.equal(stack.magento.counters.get(key), before + 3);
    stack.magento.faults.clear();
  });

  test('a short Retry-After is waited out; a long one fails at once, for the activity to wait', async () => {
    const key = 'GET /V1/store/storeViews';
    stack.magento.faults.set([{ route: key, fault: 'rate_limit', retryAfterSeconds: 1, times: 1 }]);
    let t0 = Date.now();
    await magento().listStoreViews();
    assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
    stack.magento.faults.set([{ route: key, fault: 'rate_limit', retryAfterSeconds: 30, times: 1 }]);
    t0 = Date.now();
    const limited = await failure(magento().listStoreViews());
    assert.deepEqual([limited.kind, limited.details.retryAfterMs], ['rate_limited', 30_000]);
    assert.ok(Date.now() - t0 < 1_000, 'not blocked for 30 s');
    stack.magento.faults.clear();
  });

  test('Odoo: reads are retried on 5xx and unreadable answers, a create only on 429', async () => {
    const client = odoo();
    await client.whoAmI();
    stack.odoo.faults.set([{ route: 'res.partner.search_read', fault: 'error500', times: 1 }, { route: 'res.partner.search_read', fault: 'truncated', times: 1 }]);
    const reads = stack.odoo.counters.get('res.partner.search_read');
    assert.ok(Array.isArray(await client.searchRead('res.partner', [], { fields: ['id'], limit: 1 })));
    assert.equal(stack.odoo.counters.get('res.partner.search_read'), reads + 3);

    stack.odoo.faults.set([{ route: 'res.partner.create', fault: 'error500', times: 1 }]);
    const creates = stack.odoo.counters.get('res.partner.create');
    assert.equal((await failure(client.create('res.partner', [{ name: 'Once' }]))).kind, 'server');
    assert.equal(stack.odoo.counters.get('res.partner.create'), creates + 1, 'a create that may have landed is not sent again');
    stack.odoo.faults.set([{ route: 'res.partner.create', fault: 'rate_limit', retryAfterSeconds: 0, times: 1 }]);
    await client.create('res.partner', [{ name: 'After 429' }]);
    assert.equal(stack.odoo.counters.get('res.partner.create'), creates + 3);
    stack.odoo.faults.clear();
  });

  test('the waits are jittered and capped', async () => {
    const waits: number[] = [];
    let tries = 0;
    await assert.rejects(withRequestRetry(async () => {
      tries += 1;
      throw new IntegrationError('odoo', 'server', 'boom');
    }, { idempotent: true, policy: { attempts: 5, initialDelayMs: 100, maxDelayMs: 300 }, sleep: async (ms) => void waits.push(ms), random: () => 0.999 }));
    assert.equal(tries, 5);
    assert.deepEqual(waits, [100, 200, 300, 300]);
    const random: number[] = [];
    await assert.rejects(withRequestRetry(async () => {
      throw new IntegrationError('odoo', 'timeout', 'slow');
    }, { idempotent: true, policy: { attempts: 3, initialDelayMs: 100, maxDelayMs: 300 }, sleep: async (ms) => void random.push(ms), random: () => 0.25 }));
    assert.deepEqual(random, [25, 50]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { UnknownChannelError } from '../../integrations/channel-clients';
import { classified, OrderDataError, toApplicationFailure } from '../../activities/orders/failures';
import { IntegrationError } from '../../integrations/errors';
import { BindingConflictError } from '../../store/bindings';

describe('order activity failures → Temporal ApplicationFailure', () => {
  test('a transient integration error stays retryable, typed by system and kind', () => {
    const failure = toApplicationFailure(new IntegrationError('odoo', 'server', 'Odoo sale.order.create failed with HTTP 500', { status: 500 }));
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, 'odoo.server');
    assert.equal(failure.message, 'Odoo sale.order.create failed with HTTP 500');
    assert.equal(failure.nextRetryDelay, undefined);
  });

  test('Retry-After becomes the next retry delay', () => {
    const failure = toApplicationFailure(new IntegrationError('magento', 'rate_limited', 'Magento GET /V1/orders failed with HTTP 429: Too many requests', { status: 429, retryAfterMs: 2500 }));
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, 'magento.rate_limited');
    assert.equal(failure.nextRetryDelay, 2500);
  });

  test('a non-retryable integration error (validation, auth, not found) is non-retryable with its message', () => {
    for (const kind of ['validation', 'auth', 'forbidden', 'not_found', 'protocol'] as const) {
      const failure = toApplicationFailure(new IntegrationError('magento', kind, `Magento POST /V1/order/7/ship failed: ${kind}`));
      assert.equal(failure.nonRetryable, true, kind);
      assert.equal(failure.type, `magento.${kind}`);
      assert.equal(failure.message, `Magento POST /V1/order/7/ship failed: ${kind}`);
    }
  });

  test('bad order data is non-retryable, typed by the problem, with the readable reason', () => {
    const message = 'order 000000042: items[1].sku "TEE-9-RED-S" is not a product in Odoo';
    const failure = toApplicationFailure(new OrderDataError('UnknownSku', message));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'UnknownSku');
    assert.equal(failure.message, message);
  });

  test('a binding conflict and an unknown channel need a person: non-retryable', () => {
    const existing = { channel: 'eu', kind: 'order' as const, magentoKey: '000000001', odooId: 7, contentHash: null, syncedValues: null, createdAt: new Date(), updatedAt: new Date() };
    const conflict = toApplicationFailure(new BindingConflictError({ channel: 'eu', kind: 'order', magentoKey: '000000001', odooId: 8 }, existing));
    assert.equal(conflict.nonRetryable, true);
    assert.equal(conflict.type, 'BindingConflict');
    assert.match(conflict.message, /order 000000001 ⇄ Odoo 8 on channel eu conflicts/);
    const channel = toApplicationFailure(new UnknownChannelError('us', ['eu']));
    assert.equal(channel.nonRetryable, true);
    assert.equal(channel.type, 'UnknownChannel');
  });

  test('anything else (the store down, a bug) is retried, carrying only its message', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { config: { headers: { Authorization: 'Bearer hunter2' } } });
    const failure = toApplicationFailure(err);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, 'Error');
    assert.equal(failure.message, 'connect ECONNREFUSED 127.0.0.1:5432');
    assert.ok(!JSON.stringify(failure).includes('hunter2'));
    assert.ok(!JSON.stringify(failure.details ?? []).includes('hunter2'));
  });

  test('an ApplicationFailure passes through untouched', () => {
    const original = ApplicationFailure.nonRetryable('already decided', 'Custom');
    assert.equal(toApplicationFailure(original), original);
  });

  test('classified() converts what an activity throws and leaves results alone', async () => {
    const ok = classified(async (n: number) => n * 2);
    assert.equal(await ok(21), 42);
    const failing = classified(async () => {
      throw new OrderDataError('UnmappedTax', 'order 1: unmapped tax 7% on items[0]: no Odoo sale tax has that rate');
    });
    await assert.rejects(failing(), (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && err.type === 'UnmappedTax');
  });
});

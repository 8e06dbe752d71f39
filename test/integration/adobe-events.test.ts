// Adobe's event paths through the webhook gateway on a real Temporal server: Adobe I/O Events
// (challenge handshake, CloudEvents signed with x-adobe-digital-signature-1/2) and Adobe Commerce
// webhooks (x-adobe-commerce-webhook-signature). The keys are made here; the gateway knows only
// their public halves, as PEM files the channel names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema } from '../../config/schema';
import { startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { orderWorkflowId } from '../../workflows/order-messages';
import { recordSyncWorkflowId } from '../../workflows/recordSync';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';

const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const sign = (key: KeyObject, raw: string) => createSign('RSA-SHA256').update(raw).sign(key, 'base64');

describe('Adobe I/O Events and Adobe Commerce webhooks through the gateway', () => {
  let env: TestWorkflowEnvironment;
  let gateway: Gateway;
  const dir = mkdtempSync(join(tmpdir(), 'm2o-adobe-'));
  // Adobe signs with two keys while it rotates them: the channel trusts both.
  const ioKey1 = keyPair();
  const ioKey2 = keyPair();
  const commerceKey = keyPair();
  const stranger = keyPair();
  const pem = (name: string, key: KeyObject) => {
    const file = join(dir, name);
    writeFileSync(file, key.export({ type: 'spki', format: 'pem' }));
    return file;
  };
  const channel = `ad${process.pid}`;
  const catalogChannel = `adm${process.pid}`;
  const taskQueue = uniqueTaskQueue('adobe');
  const bulkQueue = uniqueTaskQueue('adobe-bulk');
  const base = {
    magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
    odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
  };
  const webhooks = () => ({
    adobeIoEvents: { publicKeyFiles: [pem('io1.pem', ioKey1.publicKey), pem('io2.pem', ioKey2.publicKey)] },
    adobeCommerce: { publicKeyFile: pem('commerce.pem', commerceKey.publicKey) },
  });
  const config = ConfigSchema.parse({
    temporal: { taskQueues: { orders: taskQueue, bulk: bulkQueue } },
    channels: [
      { code: channel, ...base, webhooks: webhooks() },
      { code: catalogChannel, ...base, webhooks: webhooks(), catalog: { master: 'magento' } },
    ],
  });
  const started: string[] = [];

  before(async () => {
    env = await connectTestEnvironment();
    gateway = await startWebhookGateway({ config, client: env.client, log: () => undefined }, { port: 0 });
  });
  after(async () => {
    await gateway?.close();
    for (const id of started) await env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  const cloudEvent = (id: string, type: string, value: Record<string, unknown>) => ({
    specversion: '1.0', id, type, source: 'urn:uuid:test-provider', time: new Date().toISOString(), datacontenttype: 'application/json', data: { value },
  });
  async function postIo(ch: string, body: unknown, signatures: { s1?: string; s2?: string }, raw = JSON.stringify(body)) {
    const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
    if (signatures.s1) headers['x-adobe-digital-signature-1'] = signatures.s1;
    if (signatures.s2) headers['x-adobe-digital-signature-2'] = signatures.s2;
    const res = await fetch(`${gateway.url}/hooks/adobe-io/${ch}`, { method: 'POST', body: raw, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function postCommerce(body: unknown, signature: string | undefined, raw = JSON.stringify(body)) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature) headers['x-adobe-commerce-webhook-signature'] = signature;
    const res = await fetch(`${gateway.url}/hooks/adobe-commerce/${channel}`, { method: 'POST', body: raw, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const signals = async (workflowId: string) =>
    ((await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  const exists = (workflowId: string) => env.client.workflow.getHandle(workflowId).describe().then(() => true, () => false);

  test('the registration challenge is echoed; unknown channels answer 404', async () => {
    const ok = await fetch(`${gateway.url}/hooks/adobe-io/${channel}?challenge=abc-123`);
    assert.deepEqual([ok.status, await ok.json()], [200, { challenge: 'abc-123' }]);
    assert.equal((await fetch(`${gateway.url}/hooks/adobe-io/nope?challenge=abc`)).status, 404);
  });

  test('a signed I/O order event starts the order workflow; a redelivery is not acted on; forged, tampered and malformed deliveries start nothing', async () => {
    const incrementId = `3000${process.pid}`;
    const workflowId = orderWorkflowId(channel, incrementId);
    started.push(workflowId);
    const event = cloudEvent(`evt-${process.pid}-1`, 'com.adobe.commerce.observer.sales_order_save_after', { increment_id: incrementId, status: 'pending', updated_at: '2026-12-03 10:00:00' });
    const raw = JSON.stringify(event);
    // signature 1 under a key Adobe has retired, signature 2 under the current one: accepted
    const first = await postIo(channel, event, { s1: sign(stranger.privateKey, raw), s2: sign(ioKey2.privateKey, raw) });
    assert.deepEqual(first, { status: 200, body: { accepted: true } });
    assert.equal((await env.client.workflow.getHandle(workflowId).describe()).taskQueue, taskQueue);
    assert.equal(await signals(workflowId), 1);

    const again = await postIo(channel, event, { s1: sign(ioKey1.privateKey, raw) });
    assert.deepEqual(again, { status: 200, body: { accepted: false, duplicate: true } });
    assert.equal(await signals(workflowId), 1, 'a redelivered event id is not signalled again');

    const other = `3001${process.pid}`;
    const forged = cloudEvent(`evt-${process.pid}-2`, 'com.adobe.commerce.observer.sales_order_save_after', { increment_id: other });
    const forgedRaw = JSON.stringify(forged);
    assert.equal((await postIo(channel, forged, { s1: sign(stranger.privateKey, forgedRaw) })).status, 401, 'a key the channel does not trust');
    assert.equal((await postIo(channel, forged, {})).status, 401, 'no signature');
    const tampered = forgedRaw.replace(other, `${other}9`);
    assert.equal((await postIo(channel, null, { s1: sign(ioKey1.privateKey, forgedRaw) }, tampered)).status, 401, 'a body changed after signing');
    const notCloud = JSON.stringify({ hello: 'world' });
    assert.equal((await postIo(channel, null, { s1: sign(ioKey1.privateKey, notCloud) }, notCloud)).status, 400);
    const huge = JSON.stringify({ ...forged, pad: 'x'.repeat(300 * 1024) });
    assert.equal((await postIo(channel, null, { s1: sign(ioKey1.privateKey, huge) }, huge)).status, 413);
    assert.equal(await exists(orderWorkflowId(channel, other)), false);
  });

  test('a signed I/O product event starts the SKU\'s catalog sync where Magento is the catalog master, and only there', async () => {
    const sku = `LAMP-${process.pid}`;
    const event = cloudEvent(`evt-${process.pid}-p`, 'com.adobe.commerce.observer.catalog_product_save_after', { sku, name: 'Lamp' });
    const raw = JSON.stringify(event);
    assert.equal((await postIo(catalogChannel, event, { s1: sign(ioKey1.privateKey, raw) })).status, 200);
    const workflowId = recordSyncWorkflowId({ channel: catalogChannel, stream: 'catalog', key: sku });
    started.push(workflowId);
    assert.equal((await env.client.workflow.getHandle(workflowId).describe()).taskQueue, bulkQueue);
    assert.equal((await postIo(channel, { ...event, id: `${event.id}-odoo` }, { s1: sign(ioKey1.privateKey, JSON.stringify({ ...event, id: `${event.id}-odoo` })) })).status, 200);
    assert.equal(await exists(recordSyncWorkflowId({ channel, stream: 'catalog', key: sku })), false, 'an Odoo-mastered catalog ignores Magento product events');
  });

  test('a signed Commerce webhook signals the order workflow and answers op success; a replay and a bad signature do nothing', async () => {
    const incrementId = `4000${process.pid}`;
    const workflowId = orderWorkflowId(channel, incrementId);
    started.push(workflowId);
    const hook = { eventName: 'observer.sales_order_place_after', data: { order: { increment_id: incrementId, status: 'pending' } } };
    const raw = JSON.stringify(hook);
    const signature = sign(commerceKey.privateKey, raw);
    assert.deepEqual(await postCommerce(hook, signature), { status: 200, body: { op: 'success' } });
    assert.equal(await signals(workflowId), 1);
    assert.deepEqual(await postCommerce(hook, signature), { status: 200, body: { op: 'success', duplicate: true } });
    assert.equal(await signals(workflowId), 1);

    const other = { eventName: 'observer.sales_order_place_after', data: { order: { increment_id: `4001${process.pid}` } } };
    const bad = await postCommerce(other, sign(ioKey1.privateKey, JSON.stringify(other)));
    assert.equal(bad.status, 401);
    assert.equal(bad.body.op, 'exception');
    assert.equal(await exists(orderWorkflowId(channel, `4001${process.pid}`)), false);
  });
});

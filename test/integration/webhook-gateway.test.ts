import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema } from '../../config/schema';
import { signMagentoEvent, startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { orderWorkflowId } from '../../workflows/order-messages';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { createScratchDatabase } from '../support/database';
import { createPgReplayStore } from '../../store/webhook-replays';

const ODOO_TOKEN = 'odoo-token-0123456789abcdefghij';
const SIGNING = 'signing-secret-0123456789abcdefgh';

/** a channel whose Magento and Odoo are never called: the gateway only starts and signals workflows */
function gatewayConfig(channel: string, taskQueue: string, webhooks: { odooToken?: string; signingSecret: string }) {
  return ConfigSchema.parse({
    temporal: { taskQueues: { orders: taskQueue } },
    channels: [{
      code: channel,
      magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
      odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
      webhooks,
    }],
  });
}

describe('webhook gateway on a real Temporal server', () => {
  let env: TestWorkflowEnvironment;
  let gateway: Gateway;
  let clock = Date.now();
  const channel = `gw${process.pid}`;
  // No worker polls this queue: started workflows wait there, which is all these tests need.
  const taskQueue = uniqueTaskQueue('gateway');
  const config = gatewayConfig(channel, taskQueue, { odooToken: ODOO_TOKEN, signingSecret: SIGNING });
  const started: string[] = [];

  before(async () => {
    env = await connectTestEnvironment();
    gateway = await startWebhookGateway({ config, client: env.client, now: () => clock, log: () => undefined }, { port: 0 });
  });
  after(async () => {
    await gateway?.close();
    for (const id of started) await env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
    await env?.teardown();
  });

  async function postMagento(body: unknown, options: { timestamp?: number; secret?: string; signature?: string } = {}) {
    const raw = JSON.stringify(body);
    const timestamp = options.timestamp ?? Math.floor(clock / 1000);
    const signature = options.signature ?? signMagentoEvent(options.secret ?? SIGNING, timestamp, raw);
    const res = await fetch(`${gateway.url}/hooks/magento/${channel}`, {
      method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-m2o-timestamp': String(timestamp), 'x-m2o-signature': signature },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function signalCount(workflowId: string): Promise<number> {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  }

  test('a signed Magento event starts the order workflow; a repeat is merged, a replay refused', async () => {
    const incrementId = `1000${process.pid}`;
    const workflowId = orderWorkflowId(channel, incrementId);
    started.push(workflowId);
    const first = await postMagento({ event: 'order.placed', increment_id: incrementId, status: 'pending' });
    assert.deepEqual(first, { status: 202, body: { accepted: true, workflow: 'accepted' } });
    const described = await env.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.status.name, 'RUNNING');
    assert.equal(described.taskQueue, taskQueue);

    // The identical request again (same timestamp and signature) is a replay.
    const replay = await postMagento({ event: 'order.placed', increment_id: incrementId, status: 'pending' });
    assert.equal(replay.status, 409);

    // A new event for the same order is merged into the same workflow: one run, two signals.
    clock += 1000;
    const second = await postMagento({ event: 'order.saved', increment_id: incrementId, status: 'processing' });
    assert.equal(second.status, 202);
    assert.equal(await signalCount(workflowId), 2);
    const runs: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf.runId);
    assert.equal(runs.length, 1);
  });

  test('bad signatures, wrong secrets and stale timestamps are refused and start nothing', async () => {
    const incrementId = `2000${process.pid}`;
    assert.equal((await postMagento({ event: 'order.placed', increment_id: incrementId }, { secret: 'another-secret-0123456789abcdef' })).status, 401);
    assert.equal((await postMagento({ event: 'order.placed', increment_id: incrementId }, { signature: 'sha256=00' })).status, 401);
    const stale = await postMagento({ event: 'order.placed', increment_id: incrementId }, { timestamp: Math.floor(clock / 1000) - 301 });
    assert.deepEqual(stale, { status: 401, body: { error: 'stale event' } });
    const invalid = await postMagento({ event: 'order.exploded', increment_id: incrementId });
    assert.equal(invalid.status, 400);
    assert.match(String(invalid.body.error), /event/);
    await assert.rejects(env.client.workflow.getHandle(orderWorkflowId(channel, incrementId)).describe(), /not found/i);
  });

  test('Odoo notifications need the URL token, are answered at once and hurry the matching order', async () => {
    const incrementId = `3000${process.pid}`;
    const workflowId = orderWorkflowId(channel, incrementId);
    started.push(workflowId);
    assert.equal((await postMagento({ event: 'order.placed', increment_id: incrementId })).status, 202);
    // Wait until visibility lists the workflow: the gateway finds it there.
    for (let i = 0; i < 50; i++) {
      const { count } = await env.client.workflow.count(`WorkflowId = "${workflowId}" AND MagentoOrder = "${incrementId}"`);
      if (count > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const post = (token: string, body: unknown) => fetch(`${gateway.url}/hooks/odoo/${channel}/${token}`, { method: 'POST', body: JSON.stringify(body) });

    assert.equal((await post('wrong-token-0123456789abcdefghij', { _model: 'sale.order', _id: 7 })).status, 404);
    assert.equal((await post(ODOO_TOKEN, { nope: true })).status, 400);
    const before = await signalCount(workflowId);
    const res = await post(ODOO_TOKEN, { _model: 'sale.order', _id: 7, _action: 'write', client_order_ref: incrementId, name: 'S00007' });
    assert.equal(res.status, 202);
    await gateway.pending();
    assert.equal(await signalCount(workflowId), before + 1);
  });
});

describe('webhook gateway: the replay memory is in PostgreSQL', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let clock = Date.now();
  const channel = `gwpg${process.pid}`;
  const taskQueue = uniqueTaskQueue('gateway-pg');
  const config = gatewayConfig(channel, taskQueue, { signingSecret: SIGNING });
  const start = () => startWebhookGateway({ config, client: env.client, now: () => clock, log: () => undefined, replays: createPgReplayStore(db.pool) }, { port: 0 });
  const post = async (gateway: Gateway, raw: string, timestamp: number) => (await fetch(`${gateway.url}/hooks/magento/${channel}`, {
    method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-m2o-timestamp': String(timestamp), 'x-m2o-signature': signMagentoEvent(SIGNING, timestamp, raw) },
  })).status;
  const rows = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM webhook_replays WHERE channel = $1', [channel])).rows[0]?.n);

  before(async () => {
    [env, db] = await Promise.all([connectTestEnvironment(), createScratchDatabase()]);
  });
  after(async () => {
    await db?.drop();
    await env?.teardown();
  });

  test('a replay is refused after a gateway restart and by a second gateway; rows older than the window are forgotten', async () => {
    const incrementId = `7000${process.pid}`;
    const raw = JSON.stringify({ event: 'order.placed', increment_id: incrementId, status: 'pending' });
    const timestamp = Math.floor(clock / 1000);
    const first = await start();
    assert.equal(await post(first, raw, timestamp), 202);
    await first.close();

    const restarted = await start();
    const other = await start();
    try {
      const [a, b] = await Promise.all([post(restarted, raw, timestamp), post(other, raw, timestamp)]);
      assert.deepEqual([a, b], [409, 409], 'the replay is refused after the restart, by every gateway');
      // Two gateways receiving the same new event at once: exactly one accepts it.
      const fresh = JSON.stringify({ event: 'order.saved', increment_id: incrementId, status: 'processing' });
      const both = (await Promise.all([post(restarted, fresh, timestamp + 1), post(other, fresh, timestamp + 1)])).sort();
      assert.deepEqual(both, [202, 409]);
      assert.equal(await rows(), 2);

      // Past twice the window, the next accepted event clears the old rows (their replays are stale anyway).
      clock += 2 * config.gateway.maxSkewSeconds * 1000 + 5_000;
      assert.equal(await post(restarted, raw, timestamp), 401, 'stale');
      const later = JSON.stringify({ event: 'order.saved', increment_id: incrementId, status: 'complete' });
      assert.equal(await post(restarted, later, Math.floor(clock / 1000)), 202);
      assert.equal(await rows(), 1);
    } finally {
      await restarted.close();
      await other.close();
      await env.client.workflow.getHandle(orderWorkflowId(channel, incrementId)).terminate('test over').catch(() => undefined);
    }
  });
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema } from '../../config/schema';
import { applySchedules, orderPollerScheduleId, scheduledStreams, stockFullScheduleId, syncScheduleId } from '../../client/schedules';
import type { StreamName } from '../../activities/sync/stream';
import { connectTestEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await connectTestEnvironment();
});
after(async () => env?.teardown());

const configWith = (channel: string, every: string, contactsBack = false) => ConfigSchema.parse({
  channels: [{
    customers: { odooToMagento: contactsBack },
    code: channel,
    magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
    odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
    sync: { schedules: { orders: every, stock: '7m' } },
  }],
});

test('order poller and sync schedules are created once, then brought in line with the config', async () => {
  const channel = `sched${process.pid}`;
  const id = orderPollerScheduleId(channel);
  // contacts (Odoo → Magento) runs only where the channel enables it
  const syncIds = [...scheduledStreams().filter((s) => s !== 'contacts').map((stream) => syncScheduleId(stream, channel)), stockFullScheduleId(channel)];
  const all = (result: 'created' | 'updated') => Object.fromEntries([id, ...syncIds].map((s) => [s, result]));
  try {
    assert.deepEqual(await applySchedules(env.client, configWith(channel, '1m')), all('created'));
    const handle = env.client.schedule.getHandle(id);
    await handle.pause('maintenance');
    assert.deepEqual(await applySchedules(env.client, configWith(channel, '3m')), all('updated'));
    const described = await handle.describe();
    assert.equal(Number(described.spec.intervals?.[0]?.every), 3 * 60_000);
    assert.equal(described.policies.overlap, 'SKIP');
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.type === 'startWorkflow' ? described.action.workflowType : '', 'orderPoller');
    assert.equal(described.state.paused, true, 'applying the config does not unpause what ops paused');
    let count = 0;
    for await (const s of env.client.schedule.list()) if (s.scheduleId === id) count++;
    assert.equal(count, 1);
    // one schedule per stream the worker can run, on the bulk queue, at the channel's interval
    assert.ok(syncIds.includes(syncScheduleId('stock', channel)) && syncIds.includes(syncScheduleId('catalog', channel)));
    const stock = await env.client.schedule.getHandle(syncScheduleId('stock', channel)).describe();
    assert.equal(Number(stock.spec.intervals?.[0]?.every), 7 * 60_000);
    assert.equal(stock.policies.overlap, 'SKIP');
    assert.equal(stock.action.type === 'startWorkflow' ? stock.action.workflowType : '', 'bulkSync');
    const catalog = await env.client.schedule.getHandle(syncScheduleId('catalog', channel)).describe();
    assert.equal(Number(catalog.spec.intervals?.[0]?.every), 15 * 60_000);
    // and once a day every SKU is written again, whatever the hashes say (drift made in Magento)
    const full = await env.client.schedule.getHandle(stockFullScheduleId(channel)).describe();
    assert.equal(Number(full.spec.intervals?.[0]?.every), 24 * 60 * 60_000);
    assert.deepEqual(full.action.type === 'startWorkflow' ? full.action.args : [], [{ channel, stream: 'stock', full: true }]);
  } finally {
    for (const s of [id, ...syncIds]) await env.client.schedule.getHandle(s).delete().catch(() => undefined);
  }
});

test('the contacts stream gets a schedule only while the channel enables it', async () => {
  const channel = `contacts${process.pid}`;
  const contacts = syncScheduleId('contacts' satisfies StreamName, channel);
  const exists = async () => {
    for await (const s of env.client.schedule.list()) if (s.scheduleId === contacts) return true;
    return false;
  };
  try {
    const enabled = await applySchedules(env.client, configWith(channel, '1m', true));
    assert.equal(enabled[contacts], 'created');
    const described = await env.client.schedule.getHandle(contacts).describe();
    assert.equal(Number(described.spec.intervals?.[0]?.every), 15 * 60_000);
    const disabled = await applySchedules(env.client, configWith(channel, '1m', false));
    assert.equal(disabled[contacts], 'deleted');
    assert.equal(await exists(), false);
    const again = await applySchedules(env.client, configWith(channel, '1m', false));
    assert.equal(again[contacts], undefined, 'nothing to delete the second time');
  } finally {
    for (const s of [orderPollerScheduleId(channel), stockFullScheduleId(channel), ...scheduledStreams().map((stream) => syncScheduleId(stream, channel))]) {
      await env.client.schedule.getHandle(s).delete().catch(() => undefined);
    }
  }
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema } from '../../config/schema';
import { applySchedules, orderPollerScheduleId } from '../../client/schedules';
import { connectTestEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await connectTestEnvironment();
});
after(async () => env?.teardown());

const configWith = (channel: string, every: string) => ConfigSchema.parse({
  channels: [{
    code: channel,
    magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
    odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
    sync: { schedules: { orders: every } },
  }],
});

test('order poller schedules are created once, then brought in line with the config', async () => {
  const channel = `sched${process.pid}`;
  const id = orderPollerScheduleId(channel);
  try {
    assert.deepEqual(await applySchedules(env.client, configWith(channel, '1m')), { [id]: 'created' });
    const handle = env.client.schedule.getHandle(id);
    await handle.pause('maintenance');
    assert.deepEqual(await applySchedules(env.client, configWith(channel, '3m')), { [id]: 'updated' });
    const described = await handle.describe();
    assert.equal(Number(described.spec.intervals?.[0]?.every), 3 * 60_000);
    assert.equal(described.policies.overlap, 'SKIP');
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.type === 'startWorkflow' ? described.action.workflowType : '', 'orderPoller');
    assert.equal(described.state.paused, true, 'applying the config does not unpause what ops paused');
    let count = 0;
    for await (const s of env.client.schedule.list()) if (s.scheduleId === id) count++;
    assert.equal(count, 1);
  } finally {
    await env.client.schedule.getHandle(id).delete().catch(() => undefined);
  }
});

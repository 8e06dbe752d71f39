import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema } from '../../config/schema';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { platformCheck } from '../../workflows/platformCheck';
import { Channel, MagentoOrder, NeedsAttention } from '../../workflows/search-attributes';
import { applyRetention, ensureSearchAttributes } from '../../client/namespace';
import { msToTs } from '@temporalio/common/lib/time';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { createScratchDatabase } from '../support/database';
import { listMigrations } from '../../store/migrate';

describe('platform on a real Temporal server and PostgreSQL', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let workers: Workers;
  let running: Promise<unknown>;
  const config = ConfigSchema.parse({
    temporal: { taskQueues: { orders: uniqueTaskQueue('orders'), bulk: uniqueTaskQueue('bulk') } },
  });

  before(async () => {
    env = await connectTestEnvironment();
    db = await createScratchDatabase();
    workers = await createWorkers(config, db.pool, env.nativeConnection);
    running = Promise.all([workers.orders.run(), workers.bulk.run()]);
  });

  after(async () => {
    workers?.orders.shutdown();
    workers?.bulk.shutdown();
    await running;
    await db?.drop();
    await env?.teardown();
  });

  test('a workflow runs an activity that reads the store, on both task queues', async () => {
    for (const taskQueue of [config.temporal.taskQueues.orders, config.temporal.taskQueues.bulk]) {
      const result = await env.client.workflow.execute(platformCheck, { taskQueue, workflowId: `${taskQueue}-check` });
      assert.equal(result.taskQueue, taskQueue);
      // the newest migration, whichever that is: later issues add their own
      assert.equal(result.store.schemaVersion, listMigrations().at(-1)?.id);
      assert.equal(result.store.bindings, 0);
      assert.match(result.store.serverVersion, /^\d+/);
    }
  });

  test('the event history records the activity by its readable name', async () => {
    const handle = await env.client.workflow.start(platformCheck, {
      taskQueue: config.temporal.taskQueues.orders,
      workflowId: `history-${Date.now()}`,
    });
    await handle.result();
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    assert.equal(scheduled?.activityTaskScheduledEventAttributes?.activityType?.name, 'checkStore');
  });

  test('custom search attributes are registered and searchable', async () => {
    assert.deepEqual(await ensureSearchAttributes(env.connection, 'default'), [], 'all already registered: nothing added');
    const workflowId = `sa-${Date.now()}`;
    const handle = await env.client.workflow.start(platformCheck, {
      taskQueue: config.temporal.taskQueues.orders,
      workflowId,
      typedSearchAttributes: [
        { key: MagentoOrder, value: `INC-${workflowId}` },
        { key: Channel, value: 'eu' },
        { key: NeedsAttention, value: false },
      ],
    });
    await handle.result();
    // Visibility is eventually consistent, even on the dev server.
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const wf of env.client.workflow.list({ query: `MagentoOrder = "INC-${workflowId}" AND Channel = "eu"` })) found.push(wf.workflowId);
      if (!found.length) await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(found, [workflowId]);
  });

  test('history retention is applied to the namespace, once', async () => {
    const namespace = `retention-${process.pid}-${Date.now()}`;
    await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    assert.equal(await applyRetention(env.connection, namespace, 7), true);
    assert.equal(await applyRetention(env.connection, namespace, 7), false);
    const described = await env.connection.workflowService.describeNamespace({ namespace });
    assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), 7 * 86_400);
  });
});

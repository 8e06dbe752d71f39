import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../../sandbox/demo-stack';
import { connectTestEnvironment, uniqueTaskQueue } from './temporal';
import { createScratchDatabase } from './database';

export interface TestConnector {
  env: TestWorkflowEnvironment;
  db: Awaited<ReturnType<typeof createScratchDatabase>>;
  stack: DemoStack;
  config: Config;
  odoo: OdooClient;
  magento: MagentoClient;
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The connector as the end-to-end tests need it: the dev server `npm test` started, a scratch
 * database, both sandboxes with one channel, and a worker with the real activities on task
 * queues of its own. Call stop() in `after`.
 */
export async function startTestConnector(stackOptions: DemoStackOptions & { code: string }): Promise<TestConnector> {
  const env = await connectTestEnvironment();
  const [db, stack] = await Promise.all([createScratchDatabase(), startDemoStack(stackOptions)]);
  const config = ConfigSchema.parse({
    temporal: { taskQueues: { orders: uniqueTaskQueue(`${stackOptions.code}-orders`), bulk: uniqueTaskQueue(`${stackOptions.code}-bulk`) } },
  });
  config.channels.push(stack.channel);
  let workers: Workers | undefined;
  let running: Promise<unknown> | undefined;
  const connector: TestConnector = {
    env, db, stack, config,
    odoo: new OdooClient(stack.channel.odoo),
    magento: new MagentoClient(stack.channel.magento),
    async startWorkers() {
      workers = await createWorkers(config, db.pool, env.nativeConnection, env.client);
      running = Promise.all([workers.orders.run(), workers.bulk.run()]);
    },
    async stopWorkers() {
      workers?.orders.shutdown();
      workers?.bulk.shutdown();
      await running;
      workers = undefined;
    },
    async stop() {
      await connector.stopWorkers().catch(() => undefined);
      await stack.stop();
      await db.drop();
      await env.teardown();
    },
  };
  await connector.startWorkers();
  return connector;
}

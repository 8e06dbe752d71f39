import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { Config } from '../config/schema';
import { temporalConnectionOptions } from '../config/temporal';
import { createActivities } from '../activities';

const WORKFLOWS_PATH = require.resolve('../workflows');

let bundle: Promise<WorkflowBundle> | undefined;
/** webpack runs once per process, however many workers share the bundle. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => console.warn(`[bundler] ${message}`),
  error: (message: string) => console.error(`[bundler] ${message}`),
};

export interface Workers { orders: Worker; bulk: Worker; connection: NativeConnection }

/**
 * One worker per task queue: order workflows must never wait behind a 10,000-SKU stock sync, so
 * bulk syncs get their own queue (and can be scaled or throttled on their own).
 */
export async function createWorkers(config: Config, pool: Pool, connection?: NativeConnection): Promise<Workers> {
  connection ??= await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const activities = createActivities({ config, pool });
  const common = {
    connection,
    namespace: config.temporal.namespace,
    workflowBundle: await workflowBundle(),
    activities,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: config.worker.shutdownGraceTime,
  };
  const [orders, bulk] = await Promise.all([
    Worker.create({ ...common, taskQueue: config.temporal.taskQueues.orders }),
    Worker.create({ ...common, taskQueue: config.temporal.taskQueues.bulk }),
  ]);
  return { orders, bulk, connection };
}

/** Runs both until SIGINT/SIGTERM (the SDK's runtime turns those into a graceful shutdown). */
export async function runWorkers(workers: Workers): Promise<void> {
  await Promise.all([workers.orders.run(), workers.bulk.run()]);
}

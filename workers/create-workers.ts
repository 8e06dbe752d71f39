import { Client, Connection } from '@temporalio/client';
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

export interface Workers { orders: Worker; bulk: Worker; connection: NativeConnection; close(): Promise<void> }

/**
 * One worker per task queue: order workflows must never wait behind a 10,000-SKU stock sync, so
 * bulk syncs get their own queue (and can be scaled or throttled on their own).
 */
export async function createWorkers(config: Config, pool: Pool, connection?: NativeConnection, client?: Client): Promise<Workers> {
  const ownConnection = !connection;
  connection ??= await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  // Activities that signal workflows need a client; the worker's native connection cannot serve one.
  let clientConnection: Connection | undefined;
  let temporalClient = client;
  const temporal = () => {
    if (!temporalClient) {
      clientConnection = Connection.lazy(temporalConnectionOptions(config.temporal));
      temporalClient = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
    }
    return temporalClient;
  };
  const activities = createActivities({ config, pool, temporal });
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
  const nativeConnection = connection;
  return {
    orders, bulk, connection,
    async close() {
      await clientConnection?.close();
      if (ownConnection) await nativeConnection.close();
    },
  };
}

/** Runs both until SIGINT/SIGTERM (the SDK's runtime turns those into a graceful shutdown). */
export async function runWorkers(workers: Workers): Promise<void> {
  await Promise.all([workers.orders.run(), workers.bulk.run()]);
}

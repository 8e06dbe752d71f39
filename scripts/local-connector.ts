import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigSchema, type Config } from '../config/schema';
import { createWorkers } from '../workers/create-workers';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../sandbox/demo-stack';
import { createScratchDatabase } from '../test/support/database';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDev } from './temporal-dev';
import { freePort } from './free-port';

export interface LocalConnector {
  cli: string;
  temporalAddress: string;
  config: Config;
  client: Client;
  stack: DemoStack;
  /** the connector's scratch database, for calling activities directly */
  pool: Pool;
  stop(): Promise<void>;
}

/**
 * The whole connector on this machine for benchmarks and fixture recording: a Temporal dev
 * server on a free port, a scratch database on the PostgreSQL at TEST_DATABASE_ADMIN_URL, both
 * sandboxes with one demo channel, and a worker with the real activities. stop() undoes all of it.
 */
export async function startLocalConnector(stackOptions: DemoStackOptions, extraConfig: Record<string, unknown> = {}): Promise<LocalConnector> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = await findTemporalCli();
  const temporal = await startTemporalDev({ cli, port: await freePort(), uiPort: null });
  const db = await createScratchDatabase();
  const stack = await startDemoStack(stackOptions);
  const config = ConfigSchema.parse({ ...extraConfig, temporal: { address: temporal.address } });
  config.channels.push(stack.channel);
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const workers = await createWorkers(config, db.pool, native, client);
  const running = Promise.all([workers.orders.run(), workers.bulk.run()]);
  return {
    cli, temporalAddress: temporal.address, config, client, stack, pool: db.pool,
    async stop() {
      // a worker that already stopped on its own says why through `running`
      for (const worker of [workers.orders, workers.bulk]) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await workers.close();
      await native.close();
      await connection.close();
      await stack.stop();
      await db.drop();
      await temporal.stop();
    },
  };
}

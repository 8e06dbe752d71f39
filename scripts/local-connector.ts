import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigSchema, type ChannelConfig, type Config } from '../config/schema';
import { createWorkers } from '../workers/create-workers';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../sandbox/demo-stack';
import { createScratchDatabase } from '../test/support/database';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDev } from './temporal-dev';
import { freePort } from './free-port';

/** the connector without sandboxes of its own: for a channel whose systems run elsewhere */
export interface Connector {
  cli: string;
  temporalAddress: string;
  config: Config;
  client: Client;
  /** the connector's scratch database, for calling activities directly */
  pool: Pool;
  stop(): Promise<void>;
}

export interface LocalConnector extends Connector {
  stack: DemoStack;
}

/**
 * The whole connector on this machine for benchmarks and fixture recording: a Temporal dev
 * server on a free port, a scratch database on the PostgreSQL at TEST_DATABASE_ADMIN_URL, both
 * sandboxes with one demo channel, and a worker with the real activities. stop() undoes all of it.
 */
export async function startLocalConnector(stackOptions: DemoStackOptions, extraConfig: Record<string, unknown> = {}): Promise<LocalConnector> {
  const stack = await startDemoStack(stackOptions);
  const connector = await startConnectorFor(stack.channel, extraConfig).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  return {
    ...connector,
    stack,
    async stop() {
      await connector.stop();
      await stack.stop();
    },
  };
}

/** The same for one channel whose Magento and Odoo already run (another process, real servers). */
export async function startConnectorFor(channel: ChannelConfig, extraConfig: Record<string, unknown> = {}): Promise<Connector> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = await findTemporalCli();
  const temporal = await startTemporalDev({ cli, port: await freePort(), uiPort: null });
  const db = await createScratchDatabase();
  const config = ConfigSchema.parse({ ...extraConfig, temporal: { address: temporal.address } });
  config.channels.push(channel);
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const workers = await createWorkers(config, db.pool, native, client);
  const running = Promise.all([workers.orders.run(), workers.bulk.run()]);
  return {
    cli, temporalAddress: temporal.address, config, client, pool: db.pool,
    async stop() {
      // a worker that already stopped on its own says why through `running`
      for (const worker of [workers.orders, workers.bulk]) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await workers.close();
      await native.close();
      await connection.close();
      await db.drop();
      await temporal.stop();
    },
  };
}

import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/load';
import { openDatabase } from '../store/database';
import { applyServerSetup } from '../client/server-setup';
import { createWorkers, runWorkers } from './create-workers';
import { withTemporalAddress } from './temporal-unreachable';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new ConfigError(['database.url: DATABASE_URL is not set (only `npm start` runs an embedded database)']);
  const pool = await openDatabase(config.database.url);

  let workers;
  try {
    for (const line of await applyServerSetup(config)) console.log(`[worker] ${line}`);
    workers = await createWorkers(config, pool);
  } catch (err) {
    await pool.end();
    throw withTemporalAddress(err, config.temporal);
  }
  console.log(
    `[worker] polling ${config.temporal.taskQueues.orders} and ${config.temporal.taskQueues.bulk} on ${config.temporal.address} (${config.temporal.namespace})`,
  );
  // A container healthcheck cannot ask a worker whether it polls; the file's age tells it.
  const healthFile = process.env.WORKER_HEALTH_FILE;
  const beat = () => {
    if (healthFile && workers.orders.getState() === 'RUNNING' && workers.bulk.getState() === 'RUNNING') writeFileSync(healthFile, new Date().toISOString());
  };
  const beats = healthFile ? [setTimeout(beat, 1000), setInterval(beat, 10_000)] : [];
  await runWorkers(workers).finally(() => beats.forEach((t) => clearInterval(t)));
  await workers.close();
  await pool.end();
  console.log('[worker] stopped');
}

main().catch((err: Error) => {
  // A start-up failure is one readable line; a crash later keeps its stack.
  console.error(err instanceof ConfigError ? err.message : /^cannot reach Temporal at /.test(err.message) ? `[worker] ${err.message}` : `[worker] ${err.stack ?? err.message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});

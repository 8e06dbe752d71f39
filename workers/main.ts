import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../config/load';
import { temporalConnectionOptions } from '../config/temporal';
import { openDatabase } from '../store/database';
import { applyRetention, ensureSearchAttributes } from '../client/namespace';
import { createWorkers, runWorkers } from './create-workers';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new ConfigError(['database.url: DATABASE_URL is not set (only `npm start` runs an embedded database)']);
  const pool = await openDatabase(config.database.url);

  const admin = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    const added = await ensureSearchAttributes(admin, config.temporal.namespace);
    if (added.length) console.log(`[worker] registered search attributes: ${added.join(', ')}`);
    if (await applyRetention(admin, config.temporal.namespace, config.history.retentionDays)) {
      console.log(`[worker] namespace retention set to ${config.history.retentionDays} days`);
    }
  } catch (err) {
    // Temporal Cloud API keys may not be allowed to change the namespace; workers still run.
    console.warn(`[worker] could not apply namespace settings: ${(err as Error).message}`);
  } finally {
    await admin.close();
  }

  const workers = await createWorkers(config, pool);
  console.log(
    `[worker] polling ${config.temporal.taskQueues.orders} and ${config.temporal.taskQueues.bulk} on ${config.temporal.address} (${config.temporal.namespace})`,
  );
  await runWorkers(workers);
  await workers.connection.close();
  await pool.end();
  console.log('[worker] stopped');
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `[worker] ${err.stack ?? err.message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});

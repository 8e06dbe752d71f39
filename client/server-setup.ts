import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/schema';
import { temporalConnectionOptions } from '../config/temporal';
import { applyRetention, ensureSearchAttributes } from './namespace';
import { applySchedules } from './schedules';

/**
 * What every start (worker, `npm start`) makes sure of on the Temporal side: search attributes,
 * the history retention, and the schedules. Each part is idempotent. Returns readable lines.
 */
export async function applyServerSetup(config: Config): Promise<string[]> {
  const lines: string[] = [];
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    const namespace = config.temporal.namespace;
    try {
      const added = await ensureSearchAttributes(connection, namespace);
      if (added.length) lines.push(`registered search attributes: ${added.join(', ')}`);
      if (await applyRetention(connection, namespace, config.history.retentionDays)) {
        lines.push(`namespace retention set to ${config.history.retentionDays} days`);
      }
    } catch (err) {
      // Temporal Cloud API keys may not manage the namespace; the worker still runs.
      lines.push(`could not apply namespace settings: ${(err as Error).message}`);
    }
    const schedules = await applySchedules(new Client({ connection, namespace }), config);
    for (const [id, what] of Object.entries(schedules)) lines.push(`schedule ${id} ${what}`);
    return lines;
  } finally {
    await connection.close();
  }
}

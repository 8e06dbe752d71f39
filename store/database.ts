import { Pool } from 'pg';
import { Secret } from '../config/secret';
import { migrate } from './migrate';

export interface OpenOptions { max?: number; applicationName?: string; migrate?: boolean }

/** A pool on DATABASE_URL with the schema brought up to date before anyone uses it. */
export async function openDatabase(url: Secret | string, options: OpenOptions = {}): Promise<Pool> {
  const pool = new Pool({
    connectionString: typeof url === 'string' ? url : url.reveal(),
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'm2o',
  });
  // An idle client that loses its server emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', (err) => console.error(`[store] idle database connection failed: ${err.message}`));
  if (options.migrate !== false) {
    try {
      await migrate(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
  }
  return pool;
}

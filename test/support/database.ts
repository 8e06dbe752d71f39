import { Client, type Pool } from 'pg';
import { openDatabase } from '../../store/database';

let counter = 0;

/**
 * A new, empty database on the real PostgreSQL for one test file: named after the run, so
 * `npm test` drops every one of them at the end even if a test crashed.
 */
export async function createScratchDatabase(options: { migrate?: boolean } = {}): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const runId = process.env.TEST_RUN_ID ?? `adhoc${process.pid}`;
  const name = `m2o_test_${runId}_${process.pid}_${++counter}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = await openDatabase(url.toString(), { migrate: options.migrate ?? true, max: 5 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

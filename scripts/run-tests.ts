import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDev } from './temporal-dev';
import { freePort } from './free-port';

/**
 * `npm test`: typecheck, then every test file against a real Temporal dev server (started here
 * and health-checked, instead of the SDK's 5-second start limit) and the real PostgreSQL, where
 * each test file gets a database of its own that is dropped at the end.
 *   npm test                         everything
 *   npm test -- test/unit/x.test.ts  just those files
 */
const ROOT = resolve(__dirname, '..');
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

async function checkPostgres(): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL.replace(/:[^:@/]+@/, ':***@')} (${(err as Error).message}).\n` +
        'Start it (see README, "Running the tests") or set TEST_DATABASE_ADMIN_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropRunDatabases(runId: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`m2o_test_${runId}_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const selected = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const files = selected.length ? selected.map((f) => resolve(f)) : testFiles(join(ROOT, 'test')).sort();

  console.error('[test] typecheck (tsc --noEmit)…');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', ROOT], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.log('0 passed, 1 failed');
    return 1;
  }

  await checkPostgres();
  const cli = await findTemporalCli();
  const port = await freePort();
  const started = Date.now();
  const temporal = await startTemporalDev({ cli, port, uiPort: null });
  console.error(`[test] Temporal dev server at ${temporal.address} (healthy after ${Date.now() - started} ms)`);

  const runId = `${Date.now().toString(36)}${process.pid}`;
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => relative(ROOT, f))],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          TEMPORAL_TEST_ADDRESS: temporal.address,
          TEMPORAL_CLI: cli,
          TEST_DATABASE_ADMIN_URL: ADMIN_URL,
          TEST_RUN_ID: runId,
        },
      },
    );
    return await new Promise<number>((done) => child.on('close', (code) => done(code ?? 1)));
  } finally {
    await temporal.stop();
    await dropRunDatabases(runId).catch((err: Error) => console.error(`[test] cleanup: ${err.message}`));
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[test] ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { Client } from 'pg';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDev } from './temporal-dev';
import { freePort } from './free-port';
import { noSourceLine, ODOO_VERSIONS, prepareOdoo, type OdooServer, type OdooVersion } from './real-odoo';
import { configuredTestSecrets, leaksIn, scanHistories } from './secret-scan';
import { runLint } from './lint';

/**
 * `npm test`: typecheck, then every test file against a real Temporal dev server (started here
 * and health-checked, instead of the SDK's 5-second start limit) and the real PostgreSQL, where
 * each test file gets a database of its own that is dropped at the end.
 *   npm test                         everything
 *   npm test -- test/unit/x.test.ts  just those files
 */
const ROOT = resolve(__dirname, '..');
/** node's per-test bound (each test, and each hook); a file may set a shorter one */
const TEST_TIMEOUT_MS = 5 * 60_000;
/** a whole file's bound, for the process node's runner leaves behind (see killOverdueFiles) */
const FILE_BOUND_S = Number(process.env.TEST_FILE_BOUND_SECONDS ?? 15 * 60);
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
      { cause: err },
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

interface Tally { passed: number; failed: number; skipped: number }

/** node's TAP reporter ends with "# pass N", "# fail N", "# cancelled N", "# skipped N" */
function tallyOf(tapFile: string): Tally {
  const text = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') };
}

/** Everything the test processes printed, for the secret scan at the end. */
const output: string[] = [];

/** One `node --test` run over `files`: the spec report on the terminal, the counts from TAP. */
async function runFiles(files: string[], env: NodeJS.ProcessEnv, label: string): Promise<Tally & { code: number }> {
  const tapFile = join(tmpdir(), `m2o-test-${process.pid}-${label.replace(/\W+/g, '-')}.tap`);
  rmSync(tapFile, { force: true });
  const child = spawn(
    process.execPath,
    // Every test has a bound: a hang (an order that never completes, a result() nobody answers)
    // fails in minutes with the test named, instead of eating CI's time limit.
    ['--import', 'tsx', '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
      ...files.map((f) => relative(ROOT, f))],
    { cwd: ROOT, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  // Shown as it comes, and kept for the secret scan.
  child.stdout?.on('data', (chunk: Buffer) => (process.stdout.write(chunk), output.push(chunk.toString('utf8'))));
  child.stderr?.on('data', (chunk: Buffer) => (process.stderr.write(chunk), output.push(chunk.toString('utf8'))));
  const watchdog = setInterval(() => killOverdueFiles(child.pid), Math.min(30, FILE_BOUND_S) * 1000);
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
  clearInterval(watchdog);
  const tally = tallyOf(tapFile);
  rmSync(tapFile, { force: true });
  // A runner that died before reporting still counts as a failure.
  if (code !== 0 && tally.failed === 0) tally.failed = 1;
  return { ...tally, code };
}

/**
 * node's runner reports a test past its timeout as failed but leaves the file's process running
 * (a worker that never shuts down, a handle nobody closes), and then waits for it forever. A file
 * still running after FILE_BOUND_S (far above the slowest file) is killed and fails, so one hang
 * costs minutes, not CI's whole limit.
 */
function killOverdueFiles(runnerPid: number | undefined): void {
  if (runnerPid === undefined) return;
  const ps = spawnSync('ps', ['-o', 'pid=,etimes=,args=', '--ppid', String(runnerPid)], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m || Number(m[2]) < FILE_BOUND_S || !m[3]!.includes('--test-timeout')) continue;
    console.error(`[test] ${relative(ROOT, m[3]!.split(' ').pop() ?? '')} still running after ${m[2]} s (bound ${FILE_BOUND_S} s): killed`);
    try {
      process.kill(Number(m[1]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Versions whose real-Odoo tier must run (CI sets it when the vendor tarballs are there). */
function requiredVersions(): OdooVersion[] {
  return (process.env.REAL_ODOO_REQUIRED ?? '').split(/[\s,]+/).filter(Boolean).map(Number).filter((v): v is OdooVersion => v === 18 || v === 19);
}

async function main(): Promise<number> {
  const selected = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const files = selected.length ? selected.map((f) => resolve(f)) : testFiles(join(ROOT, 'test')).sort();
  const realDir = join(ROOT, 'test', 'real-odoo') + sep;
  const suiteFiles = files.filter((f) => !f.startsWith(realDir));
  const realFiles = files.filter((f) => f.startsWith(realDir));

  console.error('[test] typecheck (tsc --noEmit)…');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', ROOT], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.log('0 passed, 1 failed');
    return 1;
  }

  // ESLint and Prettier: in the whole run (what CI does), or with LINT=1; LINT=0 skips them.
  // Not for a few selected files by default: type-aware linting takes a minute or more.
  let lint: { ok: boolean; seconds: number } | undefined;
  if (process.env.LINT === '1' || (process.env.LINT !== '0' && selected.length === 0)) {
    console.error('[test] lint (ESLint, Prettier)…');
    const t0 = Date.now();
    const result = runLint();
    if (!result.ok) console.error(result.output);
    lint = { ok: result.ok, seconds: (Date.now() - t0) / 1000 };
  }

  await checkPostgres();
  const runId = `${Date.now().toString(36)}${process.pid}`;
  const required = requiredVersions();
  // The long first steps (packages, unpacking, templates) before any test runs, both versions at
  // once; a broken source fails its tier, not the rest of the run.
  const real = realFiles.length
    ? await Promise.all(ODOO_VERSIONS.map(async (version) => {
      const started = Date.now();
      try {
        return { version, prepared: await prepareOdoo(version, runId), error: null as Error | null, seconds: (Date.now() - started) / 1000 };
      } catch (err) {
        return { version, prepared: null, error: err as Error, seconds: (Date.now() - started) / 1000 };
      }
    }))
    : [];

  const cli = await findTemporalCli();
  const port = await freePort();
  const started = Date.now();
  const temporal = await startTemporalDev({ cli, port, uiPort: null });
  console.error(`[test] Temporal dev server at ${temporal.address} (healthy after ${Date.now() - started} ms)`);
  const env = { TEMPORAL_TEST_ADDRESS: temporal.address, TEMPORAL_CLI: cli, TEST_DATABASE_ADMIN_URL: ADMIN_URL, TEST_RUN_ID: runId };

  const total: Tally = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  const add = (label: string, t: Tally, seconds: number) => {
    total.passed += t.passed;
    total.failed += t.failed;
    total.skipped += t.skipped;
    lines.push(`${label}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${Math.round(seconds)} s)`);
  };
  const realApiKeys: string[] = [];
  if (lint) add('lint (ESLint, Prettier)', { passed: lint.ok ? 1 : 0, failed: lint.ok ? 0 : 1, skipped: 0 }, lint.seconds);
  try {
    if (suiteFiles.length) {
      const t0 = Date.now();
      add('sandbox suite', await runFiles(suiteFiles, env, 'suite'), (Date.now() - t0) / 1000);
    }
    for (const { version, prepared, error, seconds: prepSeconds } of real) {
      if (error) {
        console.error(`[test] real Odoo ${version}: could not be prepared: ${error.message}`);
        add(`real Odoo ${version}`, { passed: 0, failed: 1, skipped: 0 }, prepSeconds);
        continue;
      }
      if (!prepared) {
        console.error(`[test] ${noSourceLine(version)}`);
        lines.push(noSourceLine(version));
        if (required.includes(version)) add(`real Odoo ${version} (required by REAL_ODOO_REQUIRED, no source found)`, { passed: 0, failed: 1, skipped: 0 }, 0);
        continue;
      }
      const t0 = Date.now();
      let server: OdooServer | undefined;
      try {
        server = await prepared.start();
        console.error(`[test] real Odoo ${version} tier (${server.flavour}) against ${server.url}`);
        realApiKeys.push(String((server.target as { apiKey?: unknown }).apiKey ?? ''));
        const tally = await runFiles(realFiles, { ...env, REAL_ODOO: JSON.stringify(server.target) }, `odoo${version}`);
        if (tally.failed) console.error(`[test] last lines of the Odoo ${version} log:\n${server.logTail()}`);
        add(`real Odoo ${version} tier (${server.flavour}, prepared in ${Math.round(prepSeconds)} s)`, tally, (Date.now() - t0) / 1000);
      } catch (err) {
        console.error(`[test] real Odoo ${version}: ${(err as Error).message}`);
        add(`real Odoo ${version}`, { passed: 0, failed: 1, skipped: 0 }, (Date.now() - t0) / 1000);
      } finally {
        await server?.stop().catch((err: Error) => console.error(`[test] stopping Odoo ${version}: ${err.message}`));
      }
    }
    // The secret scan: no configured secret in the test output or in any recorded history.
    const secrets = configuredTestSecrets(join(ROOT, 'test'), realApiKeys);
    const histories = await scanHistories(temporal.address, secrets).catch((err: Error) => ({ workflows: 0, leaks: [`histories could not be read: ${err.message}`] }));
    const text = output.join('');
    const leaks = [...leaksIn(text, secrets).map((l) => `test output: ${l}`), ...histories.leaks];
    if (leaks.length) {
      for (const leak of leaks.slice(0, 20)) console.error(`[test] secret scan: ${leak}`);
      add(`secret scan (${secrets.length} secrets)`, { passed: 0, failed: 1, skipped: 0 }, 0);
    } else {
      lines.push(`secret scan: none of ${secrets.length} configured secrets in ${histories.workflows} workflow histories or ${(text.length / 1e6).toFixed(1)} MB of test output`);
    }
  } finally {
    await temporal.stop();
    await dropRunDatabases(runId).catch((err: Error) => console.error(`[test] cleanup: ${err.message}`));
  }
  console.log('');
  for (const line of lines) console.log(`[test] ${line}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[test] ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

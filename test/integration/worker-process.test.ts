import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../support/database';
import { uniqueTaskQueue } from '../support/temporal';
import { listMigrations } from '../../store/migrate';

const ROOT = join(__dirname, '..', '..');

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child: ChildProcess): { text: () => string; exit: Promise<number | null>; waitFor(re: RegExp, ms: number): Promise<void> } {
  let out = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    text: () => out,
    exit,
    waitFor: (re, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; output:\n${out}`)), ms);
        const check = () => {
          if (re.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        listeners.push(check);
        void exit.then(() => setTimeout(() => reject(new Error(`process exited before ${re}; output:\n${out}`)), 50));
        check();
      }),
  };
}

describe('worker and CLI as processes', () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let env: NodeJS.ProcessEnv;
  const queues = { orders: uniqueTaskQueue('proc-orders'), bulk: uniqueTaskQueue('proc-bulk') };

  before(async () => {
    db = await createScratchDatabase({ migrate: false });
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      DATABASE_URL: db.url,
      HISTORY_RETENTION_DAYS: '3',
      M2O_CONFIG: '',
    };
    // Task queue names come from the config file only; pass them through a temporary one.
    const dir = mkdtempSync(join(tmpdir(), 'm2o-proc-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ temporal: { taskQueues: queues } }));
    env.M2O_CONFIG = join(dir, 'config.json');
    env.WORKER_HEALTH_FILE = join(dir, 'alive');
  });
  after(async () => db?.drop());

  test('the worker migrates, polls both queues, shows in `status`, and stops cleanly on SIGTERM', async () => {
    const worker = run(['workers/main.ts'], env);
    const output = collect(worker);
    try {
      await output.waitFor(/\[worker\] polling/, 60_000);
      assert.match(output.text(), new RegExp(`polling ${queues.orders} and ${queues.bulk}`));
      assert.match(output.text(), /namespace retention set to 3 days/);
      // the container healthcheck's input: a file touched while both workers poll
      const alive = env.WORKER_HEALTH_FILE!;
      for (let i = 0; i < 50 && !existsSync(alive); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(existsSync(alive), 'the worker touches WORKER_HEALTH_FILE once it polls');
      assert.ok(Date.now() - statSync(alive).mtimeMs < 15_000);

      // Pollers show up once the worker's first long-poll reaches the server: ask until they do.
      let statusOut = collect(run(['client/cli.ts', 'status'], env));
      for (let i = 0; i < 10 && (await statusOut.exit) !== 0; i++) {
        await new Promise((r) => setTimeout(r, 500));
        statusOut = collect(run(['client/cli.ts', 'status'], env));
      }
      assert.equal(await statusOut.exit, 0, statusOut.text());
      assert.match(statusOut.text(), /temporal\s+ok\s+.*namespace default \(retention 3 d\)/);
      assert.match(statusOut.text(), /queue orders\s+ok\s+.*1 worker poller/);
      assert.match(statusOut.text(), new RegExp(`store\\s+ok\\s+schema ${listMigrations().at(-1)?.id}`));
    } finally {
      worker.kill('SIGTERM');
    }
    assert.equal(await output.exit, 0, output.text());
    assert.match(output.text(), /\[worker\] stopped/);
  });

  test('bad config stops the worker with the field named and exit code 2', async () => {
    const worker = run(['workers/main.ts'], { ...env, HISTORY_RETENTION_DAYS: 'forever' });
    const output = collect(worker);
    assert.equal(await output.exit, 2);
    assert.match(output.text(), /Invalid configuration:\n\s+- history\.retentionDays: /);
  });

  test('a worker that cannot reach Temporal says which address it tried', async () => {
    const worker = run(['workers/main.ts'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const output = collect(worker);
    assert.equal(await output.exit, 1);
    assert.match(output.text(), /\[worker\] cannot reach Temporal at 127\.0\.0\.1:1 \(namespace default; TEMPORAL_ADDRESS or temporal\.address\): /);
  });

  test('the CLI explains a Temporal server it cannot reach', async () => {
    const status = run(['client/cli.ts', 'status'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const output = collect(status);
    assert.equal(await output.exit, 1);
    assert.match(output.text(), /temporal\s+FAIL\s+127\.0\.0\.1:1: /);
    assert.match(output.text(), /store\s+ok/);
  });
});

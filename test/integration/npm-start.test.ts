import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/free-port';
import { createScratchDatabase } from '../support/database';

/**
 * `npm start` under a supervisor: a real `npm start` on free ports, stopped by a signal sent to
 * one PID of its tree; afterwards no process of the tree is left and no port still answers.
 */
const ROOT = join(__dirname, '..', '..');

/** every descendant of `pid`, read from /proc (children first found, then theirs) */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

interface Started {
  npm: ChildProcess;
  output: () => string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: string | null }>;
  waitFor(re: RegExp, ms: number): Promise<void>;
  ports: number[];
}

async function npmStart(databaseUrl: string, stateDir: string): Promise<Started> {
  const [temporal, ui, magento, odoo] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    TEMPORAL_UI_PORT: String(ui),
    TEMPORAL_DEV_DB: join(stateDir, 'dev.sqlite'),
    MAGENTO_SANDBOX_PORT: String(magento),
    ODOO_SANDBOX_PORT: String(odoo),
    DATABASE_URL: databaseUrl,
    // a config file in the clone (m2o.config.json) must not turn the demo into someone's shop
    M2O_CONFIG: join(stateDir, 'empty.json'),
  };
  writeFileSync(join(stateDir, 'empty.json'), '{}');
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  npm.stdout.on('data', onData);
  npm.stderr.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: string | null }>((done) => npm.on('exit', (code, signal) => done({ code, signal })));
  return {
    npm,
    output: () => out,
    stdout: () => stdout,
    exit,
    ports: [temporal, ui, magento, odoo],
    waitFor: (re, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; output:\n${out}`)), ms);
        const check = () => {
          if (!re.test(out)) return;
          clearTimeout(timer);
          resolve();
        };
        listeners.push(check);
        void exit.then(() => setTimeout(() => (clearTimeout(timer), reject(new Error(`npm start exited before ${re}; output:\n${out}`))), 100).unref());
        check();
      }),
  };
}

/**
 * `listening`: the ports the tree answered on just before the signal. Only those are checked
 * afterwards: a port it never opened may be taken by anyone's process on this shared machine.
 */
async function stopsWhole(started: Started, tree: number[], listening: number[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`npm start still running 30 s after the signal:\n${started.output()}`)), 30_000);
  });
  const { code } = await Promise.race([started.exit, tooLong]).finally(() => clearTimeout(timer));
  assert.equal(code, 0, started.output());
  // stdout alone: a line on stderr may arrive through its own pipe after it
  const lines = started.stdout().trim().split('\n');
  assert.equal(lines.at(-1), '[start] stopped', started.output());
  // the dev server is stopped with SIGTERM as the process exits; give it a moment to go
  const deadline = Date.now() + 10_000;
  while (tree.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(tree.filter(alive), [], 'processes of the npm start tree still alive');
  for (const port of listening) assert.equal(await answers(port), false, `port ${port} still answers`);
}

describe('npm start stops whole on a signal', { concurrency: false }, () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'm2o-npm-start-'));
  const drops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const drop of drops) await drop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("SIGINT to npm's PID once everything runs", { timeout: 120_000 }, async () => {
    const db = await createScratchDatabase({ migrate: false });
    drops.push(() => db.drop());
    const started = await npmStart(db.url, stateDir);
    await started.waitFor(/Ctrl-C stops everything/, 90_000);
    const tree = descendants(started.npm.pid!);
    // npm, then `node … start.ts` (exec'd by the script's shell), then the Temporal dev server
    assert.ok(tree.length >= 2, `expected start.ts and the Temporal dev server under npm, found ${tree.length}`);
    for (const port of started.ports) assert.equal(await answers(port), true, `port ${port} does not answer while running`);
    started.npm.kill('SIGINT');
    await stopsWhole(started, tree, started.ports);
  });

  test('SIGTERM to the start process while it is still starting', { timeout: 120_000 }, async () => {
    const db = await createScratchDatabase({ migrate: false });
    drops.push(() => db.drop());
    const started = await npmStart(db.url, stateDir);
    await started.waitFor(/starting the Temporal dev server/, 60_000);
    // wait until the dev server process exists: the orphan this must not leave behind
    let tree = descendants(started.npm.pid!);
    const deadline = Date.now() + 20_000;
    while (tree.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      tree = descendants(started.npm.pid!);
    }
    assert.ok(tree.length >= 2, 'the Temporal dev server did not start');
    const listening: number[] = [];
    for (const port of started.ports) if (await answers(port)) listening.push(port);
    process.kill(tree[0]!, 'SIGTERM');
    await stopsWhole(started, tree, listening);
  });
});

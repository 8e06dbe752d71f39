import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { findTemporalCli } from './temporal-cli';

export interface TemporalDevOptions {
  cli: string;
  port: number;
  /** null: no Web UI */
  uiPort: number | null;
  /** SQLite file so workflows survive a restart; in memory when unset (tests) */
  dbFile?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** how long to wait for the health check; the SDK's own 5 s is too tight on 2 cores */
  startTimeoutMs?: number;
}

export interface TemporalDev {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

const TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export function searchAttributeFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${TYPE_NAMES[key.type]}`]);
}

export function isHealthy(cli: string, address: string): boolean {
  const out = spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8', timeout: 5000 });
  return out.status === 0 && /SERVING/.test(out.stdout);
}

export async function startTemporalDev(options: TemporalDevOptions): Promise<TemporalDev> {
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', options.logLevel ?? 'warn',
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...searchAttributeFlags(),
    // updates (cancel-with-verdict) and update-with-start
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  ];
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    // WAL: the file-backed dev server is an order of magnitude slower without it.
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  // Its own process group: a Ctrl-C in the terminal (SIGINT to the whole foreground group) must
  // not stop the server before the worker has drained against it; stop() ends it, last.
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Whatever way this process ends (even while the server is still starting), the server ends too
  // instead of being left behind on its ports.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  while (!isHealthy(options.cli, address)) {
    if (exited !== null) throw new Error(`temporal server start-dev exited with ${exited}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Temporal dev server not healthy at ${address} after ${options.startTimeoutMs ?? 90_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address, uiUrl: options.uiPort === null ? null : `http://127.0.0.1:${options.uiPort}`, process: child, stop };
}

// `npm run temporal`: the dev server on its usual ports with a persistent db, on its own.
if (require.main === module) {
  (async () => {
    const cli = await findTemporalCli();
    const port = Number(process.env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
    const dev = await startTemporalDev({ cli, port, uiPort, dbFile: resolve(__dirname, '..', '.temporal', 'dev.sqlite') });
    console.log(`Temporal at ${dev.address}, Web UI at ${dev.uiUrl}. Ctrl-C stops it.`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void dev.stop().then(() => process.exit(0)));
    dev.process.once('exit', (code) => process.exit(code ?? 1));
  })().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}

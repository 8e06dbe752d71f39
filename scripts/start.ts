import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DEV_STACK_FILE, loadConfig, ConfigError } from '../config/load';
import { temporalConnectionOptions } from '../config/temporal';
import { channelStreams, orderPollerScheduleId, scheduledStreams, stockFullScheduleId, syncScheduleId } from '../client/schedules';
import { revealSecrets, Secret } from '../config/secret';
import { applyServerSetup } from '../client/server-setup';
import { openDatabase } from '../store/database';
import { startEmbeddedPostgres } from '../store/embedded-postgres';
import { createWorkers, runWorkers } from '../workers/create-workers';
import { findTemporalCli } from './temporal-cli';
import { isHealthy, startTemporalDev } from './temporal-dev';
import { freePort } from './free-port';
import { startDemoStack } from '../sandbox/demo-stack';
import { runDemoShopFloor } from '../sandbox/demo-shop-floor';

/**
 * `npm start`: the whole connector on one machine with nothing but Node and Go: a Temporal dev
 * server with its Web UI (state kept in .temporal/), PostgreSQL (DATABASE_URL, or an embedded
 * one kept in .data/), the Magento and Odoo sandboxes with a demo shop, and the worker.
 */
const ROOT = resolve(__dirname, '..');

const stoppers: Array<() => Promise<void>> = [];
/** set once the workers run: from then on a stop request drains them first (see onStopRequest) */
let runningWorkers: Awaited<ReturnType<typeof createWorkers>> | undefined;
let stopping = false;

async function main(): Promise<void> {
  // The demo's terminal is for what the connector does: not the SDK's worker state changes
  // (INFO); its warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' } } } });
  // Never the dev-stack file: that is what the previous `npm start` wrote, for the CLI.
  const config = loadConfig(process.env, process.cwd(), { devStack: false });
  const step = (text: string) => console.log(`[start] ${text}`);

  // Temporal: reuse one that already runs on the configured address (e.g. `npm run temporal`).
  const cli = await findTemporalCli();
  const [host, portText] = config.temporal.address.split(':');
  const port = Number(portText ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? port + 1000);
  let uiUrl = `http://127.0.0.1:${uiPort}`;
  if (isHealthy(cli, config.temporal.address)) {
    step(`using the Temporal server already running at ${config.temporal.address}`);
  } else {
    if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`Temporal at ${config.temporal.address} is not reachable`);
    step('starting the Temporal dev server…');
    const dbFile = process.env.TEMPORAL_DEV_DB ? resolve(process.env.TEMPORAL_DEV_DB) : join(ROOT, '.temporal', 'dev.sqlite');
    const dev = await startTemporalDev({ cli, port, uiPort, dbFile });
    uiUrl = dev.uiUrl ?? uiUrl;
    stoppers.push(dev.stop);
    // A dev server that dies (or is killed by its own PID) takes the rest down with it, instead
    // of leaving a worker that polls nothing.
    dev.process.once('exit', () => {
      if (!stopping) onStopRequest('the Temporal dev server exited');
    });
  }

  if (!config.database.url) {
    step('DATABASE_URL is not set: starting the embedded PostgreSQL (PGlite, data in .data/pglite)…');
    const embedded = await startEmbeddedPostgres(join(ROOT, '.data', 'pglite'), await freePort());
    stoppers.push(embedded.stop);
    config.database.url = new Secret(embedded.url);
  }
  const pool = await openDatabase(config.database.url!);
  stoppers.push(() => pool.end());

  let demoStarted: (() => void) | undefined;
  if (config.channels.length === 0) {
    const demo = await startDemoStack({
      // The sandboxes forget everything when they stop, while Temporal and the store remember:
      // a code per run keeps this run's orders apart from the last run's.
      code: `demo-${Math.floor(Date.now() / 1000).toString(36)}`,
      magento: { port: Number(process.env.MAGENTO_SANDBOX_PORT ?? 8088), orders: 3 },
      odoo: { port: Number(process.env.ODOO_SANDBOX_PORT ?? 8069) },
      // the demo shows contacts flowing back too: edit a customer's contact in the Odoo sandbox
      channel: { sync: { schedules: { orders: '15s' } }, customers: { odooToMagento: true } },
    });
    stoppers.push(demo.stop);
    config.channels.push(demo.channel);
    step(`Magento sandbox at ${demo.magento.url}, Odoo 18 sandbox at ${demo.odoo.url} (demo channel "${demo.channel.code}", polled every 15 s)`);
    const everyMs = Number(process.env.DEMO_TICK_SECONDS ?? 20) * 1000;
    demoStarted = () => {
      void runEachSyncOnce(config, demo.channel.code).then((line) => step(line), (err: Error) => step(`could not start the first syncs: ${err.message}`));
      const stopFloor = runDemoShopFloor(demo, everyMs, (line) => step(`[demo] ${line}`));
      stoppers.push(async () => stopFloor());
    };
  }

  // So that `npm run cli -- …` in another terminal finds this stack without any setup.
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  writeFileSync(
    join(ROOT, DEV_STACK_FILE),
    JSON.stringify(revealSecrets({ temporal: { address: config.temporal.address }, database: config.database, channels: config.channels }), null, 2),
    { mode: 0o600 },
  );

  if (demoStarted) for (const line of await retirePreviousDemos(config)) step(line);
  for (const line of await applyServerSetup(config)) step(line);

  const workers = await createWorkers(config, pool);
  if (stopping) {
    await workers.close();
    return;
  }
  runningWorkers = workers;
  demoStarted?.();
  console.log(
    [
      '',
      `  Temporal Web UI   ${uiUrl}`,
      `  Temporal server   ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      `  worker queues     ${config.temporal.taskQueues.orders}, ${config.temporal.taskQueues.bulk}`,
      `  operator CLI      npm run cli -- status`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await runWorkers(workers);
  await workers.close();
}

/**
 * The demo's first look at the bulk syncs: reference data first (orders and customers depend on
 * it), then the others, each once, instead of waiting for their schedules' first interval.
 */
async function runEachSyncOnce(config: ReturnType<typeof loadConfig>, channel: string): Promise<string> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  try {
    const streams = channelStreams(config.channels.find((c) => c.code === channel)!);
    const ordered = [...streams.filter((s) => s === 'reference'), ...streams.filter((s) => s !== 'reference')];
    for (const stream of ordered) await client.schedule.getHandle(syncScheduleId(stream, channel)).trigger();
    return `triggered the first run of each sync: ${ordered.join(', ')} (see: npm run cli -- sync status)`;
  } finally {
    await connection.close();
  }
}

/** Ends the workflows and schedules of earlier demo runs, whose sandbox data is gone. */
async function retirePreviousDemos(config: ReturnType<typeof loadConfig>): Promise<string[]> {
  const current = config.channels[0]!.code;
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const lines: string[] = [];
  try {
    let ended = 0;
    for await (const wf of client.workflow.list({ query: `Channel STARTS_WITH "demo-" AND Channel != "${current}" AND ExecutionStatus = "Running"` })) {
      await client.workflow.getHandle(wf.workflowId, wf.runId).terminate('demo sandboxes restarted: their data is gone');
      ended += 1;
    }
    if (ended) lines.push(`ended ${ended} workflow(s) of earlier demo runs`);
    for await (const schedule of client.schedule.list()) {
      const ours = [orderPollerScheduleId(current), stockFullScheduleId(current), ...scheduledStreams().map((s) => syncScheduleId(s, current))];
      if (/-demo-[a-z0-9]+$/.test(schedule.scheduleId) && !ours.includes(schedule.scheduleId)) {
        await client.schedule.getHandle(schedule.scheduleId).delete();
        lines.push(`deleted schedule ${schedule.scheduleId} of an earlier demo run`);
      }
    }
  } finally {
    await connection.close();
  }
  return lines;
}

async function shutdown(code: number): Promise<never> {
  stopping = true;
  for (const stop of stoppers.reverse()) await stop().catch((err: Error) => console.error(`[start] ${err.message}`));
  // The last line a supervisor (or a person) sees: everything this process started is gone.
  console.log('[start] stopped');
  process.exit(code);
}

/**
 * SIGINT or SIGTERM, to this PID or forwarded by npm (the npm script `exec`s this process, so
 * npm's child is this one). While starting, stop what has started so far; once the workers run,
 * the SDK's runtime shuts them down gracefully on the same signals and main() then returns into
 * shutdown(), which stops the rest.
 */
function onStopRequest(why: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`[start] ${why}: stopping…`);
  if (runningWorkers) {
    // The SDK only reacts to signals itself; a dev server that died needs an explicit shutdown.
    for (const worker of [runningWorkers.orders, runningWorkers.bulk]) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
    return;
  }
  void shutdown(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onStopRequest(signal));

main().then(
  () => shutdown(0),
  async (err: Error) => {
    console.error(err instanceof ConfigError ? err.message : `[start] ${err.stack ?? err.message}`);
    await shutdown(err instanceof ConfigError ? 2 : 1);
  },
);

import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowFailedError, WorkflowIdConflictPolicy, type WorkflowExecutionInfo } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { temporalConnectionOptions } from '../../config/temporal';
import { availableStreams, streamEnabled } from '../../activities/sync/registry';
import type { StreamName } from '../../activities/sync/stream';
import { bulkSync } from '../../workflows/bulkSync';
import { Channel, SyncStream } from '../../workflows/search-attributes';
import { progressQuery, syncWorkflowId, type SyncProgress } from '../../workflows/sync-messages';
import { formatTable } from '../table';
import { channelCodes } from '../channel-option';

export const USAGE = `usage:
  sync run <stream> [--full] [--channel C]    start (or join) the run and show its progress
  sync status [--channel C]                   the running and last runs per channel and stream
streams: ${availableStreams().join(', ')}`;

/** `[#########...........]  45%  450/1000  written 12  unchanged 430  failed 8  37.5/s  ETA 15s` */
export function formatProgress(p: SyncProgress, width = 30): string {
  const ratio = p.total ? Math.min(1, p.done / p.total) : p.state === 'completed' ? 1 : 0;
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaSeconds === null ? '' : `  ETA ${p.etaSeconds}s`;
  return `${bar} ${String(Math.round(ratio * 100)).padStart(3)}%  ${p.done}/${p.total ?? '?'}  written ${p.written}  unchanged ${p.unchanged}  failed ${p.failed.count}${skippedOf(p) ? `  skipped ${skippedOf(p)}` : ''}  ${p.ratePerSecond}/s${eta}`;
}

function skippedOf(p: SyncProgress): number {
  return p.skipped?.count ?? 0;
}

export async function syncCommand(config: Config, argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { channel: { type: 'string' }, full: { type: 'boolean' } },
  });
  const [sub, streamArg] = positionals;
  if (sub !== 'run' && sub !== 'status') {
    console.error(USAGE);
    return 64;
  }
  if (sub === 'run' && (!streamArg || !availableStreams().includes(streamArg as StreamName))) {
    console.error(`${streamArg ? `unknown stream "${streamArg}"\n` : ''}${USAGE}`);
    return 64;
  }
  const channels = channelCodes(config, values.channel);
  if (channels.length === 0) {
    console.error('no channel is configured');
    return 1;
  }
  // Only reachable for contacts: say so instead of starting a run that can only fail.
  const disabled = sub === 'run' ? channels.filter((c) => !streamEnabled(config.channels.find((ch) => ch.code === c)!, streamArg as StreamName)) : [];
  for (const channel of disabled) console.error(`${streamArg} is not enabled on channel ${channel} (customers.odooToMagento)`);
  if (disabled.length === channels.length && sub === 'run') return 1;
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  try {
    if (sub === 'status') {
      console.log(await syncStatusTable(client, values.channel));
      return 0;
    }
    let code = disabled.length > 0 ? 1 : 0;
    for (const channel of channels.filter((c) => !disabled.includes(c))) {
      code = Math.max(code, await runOne(client, config, channel, streamArg as StreamName, values.full ?? false));
    }
    return code;
  } finally {
    await connection.close();
  }
}

/** Starts the run, or joins the one already running with this id, and shows its progress. */
export async function runOne(client: Client, config: Config, channel: string, stream: StreamName, full: boolean, out: (line: string, overwrite?: boolean) => void = defaultOut): Promise<number> {
  const handle = await client.workflow.start(bulkSync, {
    taskQueue: config.temporal.taskQueues.bulk,
    workflowId: syncWorkflowId(stream, channel),
    args: [{ channel, stream, full }],
    // A second `sync run` while one runs shows that run instead of starting a rival.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: Channel, value: channel }, { key: SyncStream, value: stream }],
  });
  out(`${stream} sync of channel ${channel}: workflow ${handle.workflowId}`);
  let finished = false;
  const result = handle.result().finally(() => {
    finished = true;
  });
  result.catch(() => undefined);
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (finished) break;
    // A query right after continue-as-new can miss the new run for a moment: skip that tick.
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress) out(formatProgress(progress), true);
  }
  try {
    const final = await result;
    out(formatProgress(final), true);
    out('');
    out(`done: ${final.done} read, ${final.written} written, ${final.unchanged} unchanged, ${final.failed.count} failed, ${skippedOf(final)} skipped`);
    for (const note of final.notes ?? []) out(`note: ${note}`);
    const listed = (title: string, bucket: { count: number; last: Array<{ key: string; reason: string }> }) => {
      if (bucket.count === 0) return;
      out(title);
      out(formatTable(['KEY', 'REASON'], bucket.last.map((f) => [f.key, f.reason])));
      if (bucket.count > bucket.last.length) out(`(the last ${bucket.last.length} of ${bucket.count} shown)`);
    };
    listed('failed:', final.failed);
    // left out on purpose (no Odoo shape for them): reported, but not a failure of the run
    if (final.skipped) listed('skipped:', final.skipped);
    return final.failed.count > 0 ? 1 : 0;
  } catch (err) {
    out('');
    const cause = err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : (err as Error).message;
    out(`FAILED: ${cause}`);
    return 1;
  }
}

function defaultOut(line: string, overwrite = false): void {
  // A terminal gets one bar redrawn in place; a log file gets one line per tick.
  if (overwrite && process.stdout.isTTY) process.stdout.write(`\r${line}`);
  else process.stdout.write(`${line}\n`);
}

/** The latest run of each (channel, stream), running ones with their live progress. */
export async function syncStatusTable(client: Client, channel?: string): Promise<string> {
  const clauses = ["WorkflowType = 'bulkSync'"];
  if (channel) clauses.push(`Channel = "${channel.replace(/"/g, '')}"`);
  const latest = new Map<string, WorkflowExecutionInfo>();
  let seen = 0;
  for await (const info of client.workflow.list({ query: clauses.join(' AND ') })) {
    const key = `${info.typedSearchAttributes.get(Channel) ?? '?'}\u0000${info.typedSearchAttributes.get(SyncStream) ?? '?'}`;
    const known = latest.get(key);
    if (!known || known.startTime < info.startTime) latest.set(key, info);
    if (++seen >= 500) break;
  }
  const rows: string[][] = [];
  for (const info of [...latest.values()].sort((a, b) => a.workflowId.localeCompare(b.workflowId))) {
    let detail = typeof info.memo?.summary === 'string' ? info.memo.summary : '';
    if (info.status.name === 'RUNNING') {
      const progress = await client.workflow.getHandle(info.workflowId, info.runId).query(progressQuery).catch(() => undefined);
      if (progress) detail = formatProgress(progress, 20);
    }
    rows.push([
      info.typedSearchAttributes.get(Channel) ?? '?',
      info.typedSearchAttributes.get(SyncStream) ?? '?',
      info.status.name,
      info.startTime.toISOString().replace('T', ' ').slice(0, 19),
      info.closeTime ? info.closeTime.toISOString().replace('T', ' ').slice(0, 19) : '-',
      detail,
    ]);
  }
  return formatTable(['CHANNEL', 'STREAM', 'STATUS', 'STARTED', 'CLOSED', 'DETAIL'], rows);
}

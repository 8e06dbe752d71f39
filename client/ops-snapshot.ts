import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Config } from '../config/schema';
import { Channel, MagentoOrder, NeedsAttention, OrderState, SyncStream } from '../workflows/search-attributes';
import { channelStreams } from './schedules';

/**
 * What the ops page shows, read from Temporal's visibility (the search attributes and memos the
 * workflows publish), per channel: today's orders by business state, the parked orders with
 * their reason, each bulk-sync stream's freshness, and orders per hour. The Temporal UI lists
 * workflows; this lists the business.
 */
export interface ParkedRow {
  incrementId: string;
  workflowId: string;
  runId: string;
  reason: string;
  link: string;
}
export interface StreamRow {
  stream: string;
  /** the newest run: RUNNING, COMPLETED, FAILED, … */
  lastStatus: string | null;
  lastStartedAt: string | null;
  /** when the newest successful run ended; null: none in the runs looked at */
  lastSuccessAt: string | null;
  /** seconds since lastSuccessAt */
  lagSeconds: number | null;
  /** runs that ended failed, timed out or terminated in the last 24 h */
  failures24h: number;
  link: string | null;
}
export interface ChannelSnapshot {
  code: string;
  /** orders whose workflow ran today (UTC), by their OrderState */
  today: Record<string, number>;
  parked: ParkedRow[];
  streams: StreamRow[];
  /** the last 24 hours, oldest first: orders whose workflow first started in that hour */
  perHour: Array<{ hour: string; orders: number }>;
}
export interface OpsSnapshot {
  generatedAt: string;
  namespace: string;
  temporalUiUrl: string;
  channels: ChannelSnapshot[];
}

const HOUR = 3_600_000;
/** an upper bound on the visibility rows one snapshot reads per query: the page must stay cheap */
const MAX_ROWS = 2000;
const STOPPED = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED']);

const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

export function temporalUiLink(config: Config, workflowId: string, runId?: string): string {
  const base = config.ops.temporalUiUrl.replace(/\/+$/, '');
  const ns = encodeURIComponent(config.temporal.namespace);
  return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}/history`;
}

async function collect(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const rows: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query })) {
    rows.push(info);
    if (rows.length >= MAX_ROWS) break;
  }
  return rows;
}

export async function opsSnapshot(client: Client, config: Config, now = new Date()): Promise<OpsSnapshot> {
  const channels = await Promise.all(config.channels.map((channel) => channelSnapshot(client, config, channel, now)));
  return { generatedAt: now.toISOString(), namespace: config.temporal.namespace, temporalUiUrl: config.ops.temporalUiUrl, channels };
}

async function channelSnapshot(client: Client, config: Config, channel: Config['channels'][number], now: Date): Promise<ChannelSnapshot> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const since = new Date(Math.min(dayStart.getTime(), now.getTime() - 24 * HOUR));
  const ordersQuery = `WorkflowType = 'orderWorkflow' AND Channel = ${quote(channel.code)}`;
  const [runs, parkedRuns, streams] = await Promise.all([
    collect(client, `${ordersQuery} AND StartTime >= ${quote(since.toISOString())}`),
    collect(client, `${ordersQuery} AND ExecutionStatus = "Running" AND NeedsAttention = true`),
    Promise.all(channelStreams(channel).map((stream) => streamRow(client, config, channel.code, stream, now))),
  ]);

  // One order has one workflow id but may have several runs (continue-as-new): the newest run
  // has its current state, the oldest in the window tells when it started.
  const newest = new Map<string, WorkflowExecutionInfo>();
  const firstStart = new Map<string, number>();
  for (const run of runs) {
    const known = newest.get(run.workflowId);
    if (!known || known.startTime < run.startTime) newest.set(run.workflowId, run);
    firstStart.set(run.workflowId, Math.min(firstStart.get(run.workflowId) ?? Infinity, run.startTime.getTime()));
  }
  const today: Record<string, number> = {};
  for (const run of newest.values()) {
    if (run.startTime < dayStart) continue;
    const state = run.typedSearchAttributes.get(OrderState) ?? (run.status.name === 'RUNNING' ? 'importing' : run.status.name.toLowerCase());
    today[state] = (today[state] ?? 0) + 1;
  }
  const firstHour = Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR;
  const perHour = Array.from({ length: 24 }, (_, i) => ({ hour: new Date(firstHour + i * HOUR).toISOString(), orders: 0 }));
  for (const started of firstStart.values()) {
    const index = Math.floor((started - firstHour) / HOUR);
    if (index >= 0 && index < 24) perHour[index]!.orders += 1;
  }

  const parked = parkedRuns
    .filter((run) => run.typedSearchAttributes.get(NeedsAttention) === true)
    .map((run) => ({
      incrementId: run.typedSearchAttributes.get(MagentoOrder) ?? run.workflowId,
      workflowId: run.workflowId,
      runId: run.runId,
      reason: typeof run.memo?.summary === 'string' ? run.memo.summary : 'needs attention',
      link: temporalUiLink(config, run.workflowId, run.runId),
    }))
    .sort((a, b) => a.incrementId.localeCompare(b.incrementId));
  return { code: channel.code, today, parked, streams, perHour };
}

async function streamRow(client: Client, config: Config, channel: string, stream: string, now: Date): Promise<StreamRow> {
  const runs = await collect(
    client,
    `WorkflowType = 'bulkSync' AND Channel = ${quote(channel)} AND SyncStream = ${quote(stream)} AND StartTime >= ${quote(new Date(now.getTime() - 7 * 24 * HOUR).toISOString())}`,
  );
  runs.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
  const last = runs[0];
  const success = runs.filter((r) => r.status.name === 'COMPLETED' && r.closeTime).sort((a, b) => b.closeTime!.getTime() - a.closeTime!.getTime())[0];
  const failures24h = runs.filter((r) => STOPPED.has(r.status.name) && r.closeTime && now.getTime() - r.closeTime.getTime() <= 24 * HOUR).length;
  // the row's channel and stream come from the query; the attribute is checked for a wrong match
  const matching = last && last.typedSearchAttributes.get(SyncStream) === stream && last.typedSearchAttributes.get(Channel) === channel;
  return {
    stream,
    lastStatus: matching ? last.status.name : null,
    lastStartedAt: matching ? last.startTime.toISOString() : null,
    lastSuccessAt: success?.closeTime?.toISOString() ?? null,
    lagSeconds: success?.closeTime ? Math.max(0, Math.round((now.getTime() - success.closeTime.getTime()) / 1000)) : null,
    failures24h,
    link: matching ? temporalUiLink(config, last.workflowId, last.runId) : null,
  };
}

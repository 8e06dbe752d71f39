import { defineQuery } from '@temporalio/workflow';
import type { RecordFailure, StreamName } from '../activities/sync/stream';

/** The one id per (stream, channel): a second `sync run` joins the running one. */
export function syncWorkflowId(stream: StreamName, channel: string): string {
  return `sync-${stream}-${channel}`;
}

export interface SyncProgress {
  stream: StreamName;
  channel: string;
  state: 'running' | 'completed' | 'failed';
  full: boolean;
  /** records read from the source so far in this run */
  done: number;
  /** records in the run when the source says (null: unknown) */
  total: number | null;
  written: number;
  unchanged: number;
  failed: { count: number; last: RecordFailure[] };
  /** records left out on purpose (no Odoo shape for them); absent in runs begun before it existed */
  skipped?: { count: number; last: RecordFailure[] };
  pages: number;
  /** where the next page starts (null before the first page and after the last) */
  cursor: string | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** why the run failed, readable */
  error: string | null;
  /** what the run could not do for the channel, not failures (runs from before it have none) */
  notes?: string[];
}

export const progressQuery = defineQuery<SyncProgress>('progress');

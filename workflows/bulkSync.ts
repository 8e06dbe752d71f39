import {
  ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StreamName } from '../activities/sync/stream';
import { Channel, SyncStream } from './search-attributes';
import { progressQuery, type SyncProgress } from './sync-messages';

export interface BulkSyncInput {
  channel: string;
  stream: StreamName;
  /** full resync: forget the watermark and ignore content hashes */
  full?: boolean;
  /** continue-as-new after this many pages, to keep each run's history small */
  pagesPerRun?: number;
  /** overrides the channel's sync.batchSize (tests, benchmarks) */
  pageSize?: number;
  /** set by continue-as-new only: where the previous run of this workflow stopped */
  resume?: { since: string | null; pageSize: number; progress: SyncProgress };
}

export type BulkSyncResult = SyncProgress;

const { beginSyncRun } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
// A page reads and writes up to batchSize records; it heartbeats every 5 s, so a dead worker is
// noticed within a minute and the page is retried elsewhere. Transient faults back off up to a
// minute; after ~10 attempts the run fails readably and the next scheduled run starts over
// from the watermark.
const { syncPage } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const LAST_FAILURES_KEPT = 20;
const DEFAULT_PAGES_PER_RUN = 100;

/**
 * One bulk sync of one stream for one channel. The cursor lives here, in workflow state, and
 * each page is an activity: a worker killed mid-run resumes at the page it was on, and finished
 * pages are never redone. Schedules start it (`sync-<stream>-<channel>`), as does `sync run`.
 */
export async function bulkSync(input: BulkSyncInput): Promise<BulkSyncResult> {
  const full = input.full ?? false;
  const now = () => new Date(Date.now()).toISOString();
  const begun = input.resume ?? { ...(await beginSyncRun({ channel: input.channel, stream: input.stream, full })), progress: undefined };
  const pageSize = input.pageSize ?? begun.pageSize;
  const progress: SyncProgress = begun.progress ?? {
    stream: input.stream, channel: input.channel, state: 'running', full,
    done: 0, total: null, written: 0, unchanged: 0, failed: { count: 0, last: [] }, skipped: { count: 0, last: [] }, pages: 0, cursor: null,
    ratePerSecond: 0, etaSeconds: null, startedAt: now(), finishedAt: null, error: null,
  };
  setHandler(progressQuery, () => progress);

  const publish = () => {
    upsertSearchAttributes([
      { key: Channel, value: input.channel },
      { key: SyncStream, value: input.stream },
    ]);
    const of = progress.total !== null ? `/${progress.total}` : '';
    const outcome = progress.state === 'failed' ? `failed: ${progress.error ?? ''}` : progress.state;
    upsertMemo({
      summary: (`${input.stream} ${input.channel}${full ? ' (full)' : ''}: ${outcome}, ${progress.done}${of} read, ${progress.written} written, ` +
        `${progress.unchanged} unchanged, ${progress.failed.count} failed${skippedNote(progress)}`).slice(0, 300),
    });
  };
  publish();

  const pagesThisRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  let pagesHere = 0;
  for (;;) {
    // History stays small: after N pages (or when the server suggests it) the run continues as
    // a new one carrying the cursor and the progress; no page is repeated.
    if (pagesHere >= pagesThisRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof bulkSync>({ ...input, resume: { since: begun.since, pageSize, progress } });
    }
    let page;
    try {
      page = await syncPage({ channel: input.channel, stream: input.stream, cursor: progress.cursor, since: begun.since, full, pageSize });
    } catch (err) {
      progress.state = 'failed';
      progress.finishedAt = now();
      progress.error = `page ${progress.pages + 1} (cursor ${progress.cursor ?? 'start'}): ${messageOf(err)}`;
      publish();
      throw ApplicationFailure.nonRetryable(`${input.stream} sync of channel ${input.channel} failed at ${progress.error}`, 'SyncPageFailed');
    }
    pagesHere++;
    progress.pages++;
    progress.done += page.processed;
    progress.written += page.written;
    progress.unchanged += page.unchanged;
    progress.failed.count += page.failedCount;
    progress.failed.last = [...progress.failed.last, ...page.failed].slice(-LAST_FAILURES_KEPT);
    // pages of workers older than the skipped bucket carry no skippedCount
    if ((page.skippedCount ?? 0) > 0) {
      progress.skipped ??= { count: 0, last: [] };
      progress.skipped.count += page.skippedCount;
      progress.skipped.last = [...progress.skipped.last, ...page.skipped].slice(-LAST_FAILURES_KEPT);
    }
    if (page.total !== undefined) progress.total = page.total;
    for (const note of page.notes ?? []) if (!(progress.notes ??= []).includes(note)) progress.notes.push(note);
    progress.cursor = page.nextCursor;
    const elapsed = (Date.now() - Date.parse(progress.startedAt)) / 1000;
    progress.ratePerSecond = elapsed > 0 ? Math.round((progress.done / elapsed) * 10) / 10 : 0;
    progress.etaSeconds = progress.total !== null && progress.ratePerSecond > 0
      ? Math.max(0, Math.round((progress.total - progress.done) / progress.ratePerSecond))
      : null;
    if (page.nextCursor === null) break;
    if (progress.pages % 10 === 0) publish();
  }
  progress.state = 'completed';
  progress.finishedAt = now();
  progress.etaSeconds = 0;
  publish();
  return progress;
}

/** only when there are any, so the memo of a run without skips reads as it always did */
function skippedNote(progress: SyncProgress): string {
  return progress.skipped && progress.skipped.count > 0 ? `, ${progress.skipped.count} skipped` : '';
}

function messageOf(err: unknown): string {
  // The activity's own message, not "Activity task failed".
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

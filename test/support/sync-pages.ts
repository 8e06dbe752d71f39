import assert from 'node:assert/strict';
import type { SyncPageResult, SyncStream } from '../../activities/sync/stream';

/**
 * Every page of one run of a stream, called the way the bulk-sync page activity calls them; the
 * merged result and the last watermark. For tests that drive a stream without the workflow.
 */
export async function runAllPages(
  stream: SyncStream,
  options: { channel: string; since?: string | null; full?: boolean; pageSize?: number },
): Promise<SyncPageResult> {
  const total: SyncPageResult = { processed: 0, written: 0, unchanged: 0, failed: [], skipped: [], nextCursor: null, watermark: null };
  let cursor: string | null = null;
  for (let page = 0; page < 500; page++) {
    const r = await stream.syncPage({
      channel: options.channel, stream: stream.name, cursor, since: options.since ?? null, full: options.full ?? false, pageSize: options.pageSize ?? 10,
    });
    total.processed += r.processed;
    total.written += r.written;
    total.unchanged += r.unchanged;
    total.failed.push(...r.failed);
    total.skipped!.push(...(r.skipped ?? []));
    if (r.notes?.length) total.notes = [...(total.notes ?? []), ...r.notes];
    if (r.watermark) total.watermark = r.watermark;
    cursor = r.nextCursor;
    if (cursor === null) return total;
  }
  assert.fail(`the ${stream.name} run never reached its last page`);
}

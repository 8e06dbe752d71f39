import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Config } from '../../config/schema';
import { createBindingStore } from '../../store/bindings';
import type { WatermarkStore } from '../../store/watermarks';
import type { ClientsFor } from '../../integrations/channel-clients';
import { classified } from '../orders/failures';
import { availableStreams, createStreamRegistry } from './registry';
import type { RecordFailure, StreamName, SyncPageInput, SyncPageResult } from './stream';

export interface BeginSyncInput { channel: string; stream: StreamName; full: boolean }
export interface BeginSyncResult { since: string | null; pageSize: number }

/** A page's result as it travels through history: failures and skips capped, their counts kept. */
export type SyncPageOutcome = Omit<SyncPageResult, 'failed' | 'skipped'> & {
  failed: RecordFailure[];
  failedCount: number;
  skipped: RecordFailure[];
  skippedCount: number;
};

/** a page of 1,000 bad records must not put 1,000 reasons into the workflow history */
const FAILURES_PER_PAGE = 25;
const HEARTBEAT_EVERY_MS = 5_000;

export interface SyncActivityDeps { config: Config; pool: Pool; clientsFor: ClientsFor; watermarks: WatermarkStore }

export function createSyncActivities(deps: SyncActivityDeps) {
  const bindings = createBindingStore(deps.pool);
  const streams = createStreamRegistry({ config: deps.config, pool: deps.pool, clientsFor: deps.clientsFor, bindings });

  const streamOf = (name: StreamName) => {
    const stream = streams.get(name);
    if (!stream) {
      throw ApplicationFailure.nonRetryable(
        `sync stream "${name}" is not available in this worker (available: ${availableStreams().join(', ') || 'none'})`,
        'StreamNotAvailable',
      );
    }
    return stream;
  };

  return {
    /**
     * The start of a run: where it starts (the stored watermark, or nothing for a full resync,
     * which also forgets the stored one) and the channel's page size for the stream.
     */
    beginSyncRun: classified(async (input: BeginSyncInput): Promise<BeginSyncResult> => {
      streamOf(input.stream);
      const { channel } = deps.clientsFor(input.channel);
      if (input.full) await deps.watermarks.reset(input.channel, input.stream);
      const since = input.full ? null : await deps.watermarks.get(input.channel, input.stream);
      return { since, pageSize: input.stream === 'stock' ? channel.sync.stockBatchSize : channel.sync.batchSize };
    }),

    /**
     * One page: the stream reads it and applies it; then, and only then, the watermark moves to
     * what the page fully applied. Heartbeats carry the cursor so the Web UI shows where a long
     * page is; a worker that dies mid-page lets the heartbeat time out and the page is retried
     * (idempotent: bindings and content hashes make the second attempt write nothing twice).
     */
    syncPage: classified(async (input: SyncPageInput): Promise<SyncPageOutcome> => {
      const stream = streamOf(input.stream);
      deps.clientsFor(input.channel);
      const context = Context.current();
      context.heartbeat({ cursor: input.cursor });
      const timer = setInterval(() => context.heartbeat({ cursor: input.cursor }), HEARTBEAT_EVERY_MS);
      let result: SyncPageResult;
      try {
        result = await stream.syncPage(input);
      } finally {
        clearInterval(timer);
      }
      // A page of chosen keys (the real-time path) says nothing about the records it skipped.
      if (result.watermark && !input.keys) await deps.watermarks.advance(input.channel, input.stream, result.watermark);
      const skipped = result.skipped ?? [];
      return {
        ...result,
        failed: result.failed.slice(0, FAILURES_PER_PAGE), failedCount: result.failed.length,
        skipped: skipped.slice(0, FAILURES_PER_PAGE), skippedCount: skipped.length,
      };
    }),
  };
}

export type SyncActivities = ReturnType<typeof createSyncActivities>;

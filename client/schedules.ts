import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config/schema';
import { availableStreams, streamEnabled } from '../activities/sync/registry';
import type { StreamName } from '../activities/sync/stream';
import { bulkSync } from '../workflows/bulkSync';
import { orderPoller } from '../workflows/orderPoller';
import { syncWorkflowId } from '../workflows/sync-messages';
import { Channel, SyncStream } from '../workflows/search-attributes';

export function orderPollerScheduleId(channel: string): string {
  return `order-poller-${channel}`;
}

function orderPollerSchedule(config: Config, channel: Config['channels'][number]): ScheduleOptions {
  return {
    scheduleId: orderPollerScheduleId(channel.code),
    spec: { intervals: [{ every: channel.sync.schedules.orders }] },
    action: {
      type: 'startWorkflow',
      workflowType: orderPoller,
      args: [{ channel: channel.code }],
      taskQueue: config.temporal.taskQueues.orders,
      workflowId: `order-poller-${channel.code}`,
      // findable by channel (the UI, and `npm start` retiring earlier demo channels)
      typedSearchAttributes: [{ key: Channel, value: channel.code }],
    },
    // A slow poll must not pile up behind itself; the next one picks up where it stopped.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '5 minutes' },
  };
}

export function syncScheduleId(stream: StreamName, channel: string): string {
  return syncWorkflowId(stream, channel);
}

/** One schedule per channel and stream, at the channel's interval for that stream. */
function syncSchedule(config: Config, channel: Config['channels'][number], stream: StreamName): ScheduleOptions {
  return {
    scheduleId: syncScheduleId(stream, channel.code),
    spec: { intervals: [{ every: channel.sync.schedules[stream] }] },
    action: {
      type: 'startWorkflow',
      workflowType: bulkSync,
      args: [{ channel: channel.code, stream }],
      taskQueue: config.temporal.taskQueues.bulk,
      // Temporal appends the scheduled time to this id, so each run has its own.
      workflowId: syncWorkflowId(stream, channel.code),
      typedSearchAttributes: [
        { key: Channel, value: channel.code },
        { key: SyncStream, value: stream },
      ],
    },
    // A catalog run that outlasts its interval must not be joined by a second one writing the
    // same records; the next tick starts from the watermark the running one leaves behind.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '5 minutes' },
  };
}

/** The streams that get schedules: those the worker can run (see activities/sync/registry.ts). */
export function scheduledStreams(): StreamName[] {
  return availableStreams();
}

/** The daily full stock push of a channel (see sync.schedules.stockFull). */
export function stockFullScheduleId(channel: string): string {
  return `sync-stock-full-${channel}`;
}

function stockFullSchedule(config: Config, channel: Config['channels'][number]): ScheduleOptions {
  const options = syncSchedule(config, channel, 'stock');
  return {
    ...options,
    scheduleId: stockFullScheduleId(channel.code),
    spec: { intervals: [{ every: channel.sync.schedules.stockFull }] },
    action: { ...options.action, args: [{ channel: channel.code, stream: 'stock', full: true }], workflowId: stockFullScheduleId(channel.code) } as ScheduleOptions['action'],
  };
}

/** The streams one channel runs on a schedule. */
export function channelStreams(channel: Config['channels'][number]): StreamName[] {
  return scheduledStreams().filter((stream) => streamEnabled(channel, stream));
}

/**
 * Creates each channel's schedules, or brings an existing one in line with the config: safe to
 * run at every start. Returns what it did per schedule id.
 */
export async function applySchedules(client: Client, config: Config): Promise<Record<string, 'created' | 'updated' | 'deleted'>> {
  const done: Record<string, 'created' | 'updated' | 'deleted'> = {};
  const all = config.channels.flatMap((channel) => [
    orderPollerSchedule(config, channel),
    ...channelStreams(channel).map((stream) => syncSchedule(config, channel, stream)),
    stockFullSchedule(config, channel),
  ]);
  // A stream the channel no longer enables (contacts) loses its schedule.
  for (const channel of config.channels) {
    for (const stream of scheduledStreams().filter((s) => !streamEnabled(channel, s))) {
      try {
        await client.schedule.getHandle(syncScheduleId(stream, channel.code)).delete();
        done[syncScheduleId(stream, channel.code)] = 'deleted';
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  }
  for (const options of all) {
    try {
      await client.schedule.create(options);
      done[options.scheduleId] = 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action as typeof previous.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      done[options.scheduleId] = 'updated';
    }
  }
  return done;
}

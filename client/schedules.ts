import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config/schema';
import { orderPoller } from '../workflows/orderPoller';

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
    },
    // A slow poll must not pile up behind itself; the next one picks up where it stopped.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '5 minutes' },
  };
}

/**
 * Creates each channel's schedules, or brings an existing one in line with the config: safe to
 * run at every start. Returns what it did per schedule id.
 */
export async function applySchedules(client: Client, config: Config): Promise<Record<string, 'created' | 'updated'>> {
  const done: Record<string, 'created' | 'updated'> = {};
  for (const channel of config.channels) {
    const options = orderPollerSchedule(config, channel);
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

import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PollResult } from '../activities/triggers/pollMagentoOrders';

const { pollMagentoOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // The poll heartbeats every 5 s (keepAlive): a worker killed mid-poll is noticed in 20 s. With
  // 2 minutes, the schedule (overlap: skip) started no poll for that long, and no order came in.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5s', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/** One poll of one channel; a Temporal Schedule starts it every minute (by default). */
export async function orderPoller(input: { channel: string }): Promise<PollResult> {
  return pollMagentoOrders(input);
}

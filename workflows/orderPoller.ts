import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PollResult } from '../activities/triggers/pollMagentoOrders';

const { pollMagentoOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/** One poll of one channel; a Temporal Schedule starts it every minute (by default). */
export async function orderPoller(input: { channel: string }): Promise<PollResult> {
  return pollMagentoOrders(input);
}

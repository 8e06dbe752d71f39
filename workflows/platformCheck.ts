import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StoreCheck } from '../activities/platform';

const { checkStore } = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

export interface PlatformCheckResult { taskQueue: string; store: StoreCheck }

/** Round trip through server, worker and store: "is the whole thing alive on this queue?" */
export async function platformCheck(): Promise<PlatformCheckResult> {
  const store = await checkStore();
  return { taskQueue: workflowInfo().taskQueue, store };
}

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ChannelConfig } from '../config/schema';
import { MagentoClient, magentoTimestamp, SearchCriteria } from '../integrations/magento';
import { orderWorkflowId } from '../workflows/order-messages';
import { triggerOrder } from './order-trigger';
import { importDecision } from '../activities/orders/import-status';

/**
 * Orders reconciliation: every Magento order of a period against its order workflow. The poller
 * and the webhooks should leave nothing behind; this is how ops check that they did (after an
 * outage, a paused schedule, a bad deploy) and put right what they missed, instead of trusting a
 * sync log.
 *
 *   missing  Magento status the channel imports, but no workflow at all
 *   stopped  the workflow ended without finishing the order (failed, terminated, timed out)
 *   parked   the workflow waits for ops (NeedsAttention): the reason is shown
 * Orders whose workflow runs or completed, and orders the channel does not import (yet), are
 * fine. `startMissing` starts missing and stopped ones again (a stopped order's workflow id is
 * reusable after a failure; the import finds what an earlier run already made in Odoo).
 */

export type Finding = 'missing' | 'stopped' | 'parked';

export interface ReconcileRow { incrementId: string; magentoStatus: string; createdAt: string; finding: Finding; detail: string }

export interface ReconcileResult {
  checked: number;
  fine: number;
  notImported: number;
  problems: ReconcileRow[];
  started: string[];
}

const STOPPED = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

export async function reconcileOrders(
  client: Client,
  options: { channel: ChannelConfig; taskQueue: string; since: Date; startMissing?: boolean; onProgress?: (checked: number) => void },
): Promise<ReconcileResult> {
  const { channel } = options;
  const magento = new MagentoClient(channel.magento);
  const result: ReconcileResult = { checked: 0, fine: 0, notImported: 0, problems: [], started: [] };
  const criteria = SearchCriteria.empty().where('created_at', 'gteq', magentoTimestamp(options.since)).orderBy('created_at', 'ASC').orderBy('entity_id', 'ASC');
  for await (const page of magento.orders.pages(criteria, 100)) {
    for (const order of page.items) {
      result.checked += 1;
      const row = { incrementId: order.increment_id, magentoStatus: order.status, createdAt: order.created_at ?? '' };
      const finding = await inspect(client, channel, order.increment_id, order.status);
      if (finding === 'fine') result.fine += 1;
      else if (finding === 'not_imported') result.notImported += 1;
      else result.problems.push({ ...row, ...finding });
    }
    options.onProgress?.(result.checked);
  }
  if (options.startMissing) {
    for (const problem of result.problems.filter((p) => p.finding !== 'parked')) {
      if ((await triggerOrder(client, options.taskQueue, { channel: channel.code, incrementId: problem.incrementId })) === 'accepted') result.started.push(problem.incrementId);
    }
  }
  return result;
}

async function inspect(client: Client, channel: ChannelConfig, incrementId: string, status: string): Promise<'fine' | 'not_imported' | { finding: Finding; detail: string }> {
  try {
    const described = await client.workflow.getHandle(orderWorkflowId(channel.code, incrementId)).describe();
    const state = described.status.name;
    if (STOPPED.has(state)) return { finding: 'stopped', detail: `workflow ${state.toLowerCase()} at ${described.closeTime?.toISOString().slice(0, 19) ?? '?'}` };
    const attention = described.typedSearchAttributes.getAll().find((p) => p.key.name === 'NeedsAttention')?.value === true;
    if (state === 'RUNNING' && attention) return { finding: 'parked', detail: String((described.memo as { summary?: string } | undefined)?.summary ?? 'needs attention') };
    return 'fine';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (importDecision({ status }, channel.orders.importStatuses) !== 'import') return 'not_imported';
    return { finding: 'missing', detail: `Magento status "${status}" is imported on this channel, but no workflow exists` };
  }
}

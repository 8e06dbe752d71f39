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
 * fine. An order with no workflow yet that is younger than `graceMs` (the CLI passes the
 * channel's poll interval) is counted as `recent`, not missing: the next poll has not been due. `startMissing` starts missing and stopped ones again (a stopped order's workflow id is
 * reusable after a failure; the import finds what an earlier run already made in Odoo).
 */

export type Finding = 'missing' | 'stopped' | 'parked';

export interface ReconcileRow { incrementId: string; magentoStatus: string; createdAt: string; finding: Finding; detail: string }

export interface ReconcileResult {
  checked: number;
  fine: number;
  notImported: number;
  /** no workflow yet, but younger than the grace period: the poller has not been due */
  recent: number;
  problems: ReconcileRow[];
  started: string[];
}

const STOPPED = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

export async function reconcileOrders(
  client: Client,
  options: { channel: ChannelConfig; taskQueue: string; since: Date; startMissing?: boolean; graceMs?: number; now?: Date; onProgress?: (checked: number) => void },
): Promise<ReconcileResult> {
  const { channel } = options;
  const magento = new MagentoClient(channel.magento);
  const result: ReconcileResult = { checked: 0, fine: 0, notImported: 0, recent: 0, problems: [], started: [] };
  const graceFrom = (options.now ?? new Date()).getTime() - (options.graceMs ?? 0);
  const criteria = SearchCriteria.empty().where('created_at', 'gteq', magentoTimestamp(options.since)).orderBy('created_at', 'ASC').orderBy('entity_id', 'ASC');
  // Order by order: one malformed order is reported (its workflow parks it), not a failed run.
  for await (const page of magento.orders.pagesEach(criteria, 100)) {
    for (const entry of page.items) {
      const order = entry.summary;
      if (!order) continue;
      result.checked += 1;
      const status = order.status ?? '';
      const row = { incrementId: order.increment_id, magentoStatus: status, createdAt: order.created_at ?? '' };
      const finding = await inspect(client, channel, order.increment_id, status);
      if (finding === 'fine') result.fine += 1;
      else if (finding === 'not_imported') result.notImported += 1;
      else if (finding.finding === 'missing' && createdMs(order.created_at) > graceFrom) result.recent += 1;
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

/** Magento's created_at is UTC without a zone ("2026-03-01 12:00:00"); unknown reads as old. */
function createdMs(createdAt: string | null | undefined): number {
  if (!createdAt) return 0;
  const ms = Date.parse(`${createdAt.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? 0 : ms;
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

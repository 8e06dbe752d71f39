import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { magentoTimestamp, SearchCriteria } from '../../integrations/magento';
import type { OrderEntry } from '../../integrations/magento/orders';
import type { WatermarkStore } from '../../store/watermarks';
import { classified } from '../orders/failures';
import { keepAlive } from '../keep-alive';
import { triggerOrder } from './order-trigger';
import type { ClientsFor } from '../../integrations/channel-clients';

export interface PollResult {
  seen: number;
  accepted: number;
  closed: number;
  watermark: string | null;
  /** increment ids of orders that break the order contract: their workflows park them */
  malformed: string[];
  /** orders without a readable increment id (what was wrong, per order) */
  unreadable: string[];
}

// Magento Open Source has no outbound webhooks, so this poll is the primary trigger.
const STREAM = 'orders';
// Without a watermark, the first poll looks back this far rather than importing all history.
const FIRST_LOOKBACK_MS = 24 * 3600_000;


export function createPollActivities(deps: { config: Config; clientsFor: ClientsFor; watermarks: WatermarkStore; temporal: () => Client }) {
  return {
    /**
     * Lists orders updated since the watermark and signal-with-starts each one's workflow. `gteq`
     * re-sends the orders at the boundary second on the next poll: harmless, since a repeated
     * signal changes nothing, while `gt` could miss an order updated within the same second.
     * The watermark advances only after a whole page has been signalled, so a retried attempt
     * resumes from the last finished page by starting from the watermark again.
     */
    // Classified like the order steps: a channel missing from the config or refused credentials
    // fail the poll at once (the schedule tries again next tick) instead of retrying for minutes.
    pollMagentoOrders: classified(keepAlive(async (input: { channel: string }): Promise<PollResult> => {
      const { magento, channel } = deps.clientsFor(input.channel);
      const since = (await deps.watermarks.get(input.channel, STREAM)) ?? magentoTimestamp(new Date(Date.now() - FIRST_LOOKBACK_MS));
      const result: PollResult = { seen: 0, accepted: 0, closed: 0, watermark: since, malformed: [], unreadable: [] };
      const pageSize = channel.sync.batchSize;
      // Keyset on (updated_at, entity_id), not page numbers: an order updated during the walk
      // (shipped, invoiced) moves to the end and shifts the rest, so with page numbers the order
      // at the page boundary was skipped, and the watermark passed it.
      const sorted = (c: SearchCriteria, size: number) => c.orderBy('updated_at', 'ASC').orderBy('entity_id', 'ASC').withPageSize(size).withPage(1);
      let cursor: { at: string; id: number } | null = null;
      let pageNo = 0;
      for (;;) {
        pageNo += 1;
        let items: OrderEntry[];
        if (!cursor) {
          items = (await magento.orders.searchEach(sorted(SearchCriteria.empty().where('updated_at', 'gteq', since), pageSize))).items;
        } else {
          // Magento's filter groups cannot say "(updated_at = t AND id > n) OR updated_at > t":
          // the rest of the cursor's second, then what follows it.
          items = (await magento.orders.searchEach(sorted(SearchCriteria.empty().where('updated_at', 'eq', cursor.at).where('entity_id', 'gt', cursor.id), pageSize))).items;
          if (items.length < pageSize) {
            items.push(...(await magento.orders.searchEach(sorted(SearchCriteria.empty().where('updated_at', 'gt', cursor.at), pageSize - items.length))).items);
          }
        }
        const page = { items };
        // Each order is checked on its own: a malformed one still gets its workflow, which parks it
        // naming the order and the field, and the watermark moves past it.
        for (const entry of page.items) {
          const order = entry.summary;
          if (!order) {
            // Not even an increment id: nothing to start a workflow for. Reported, not retried.
            result.unreadable.push(entry.ok ? '' : entry.error.message);
            continue;
          }
          const outcome = await triggerOrder(deps.temporal(), deps.config.temporal.taskQueues.orders, { channel: input.channel, incrementId: order.increment_id }, {
            status: order.status ?? undefined,
            updatedAt: order.updated_at ?? undefined,
          });
          if (!entry.ok) result.malformed.push(order.increment_id);
          result.seen += 1;
          if (outcome === 'accepted') result.accepted += 1;
          else result.closed += 1;
          if (order.updated_at && order.updated_at > (result.watermark ?? '')) result.watermark = order.updated_at;
        }
        if (result.watermark) await deps.watermarks.advance(input.channel, STREAM, result.watermark);
        heartbeat({ page: pageNo, watermark: result.watermark });
        const last = items.at(-1)?.summary;
        if (items.length < pageSize || !last?.updated_at) break;
        cursor = { at: last.updated_at, id: last.entity_id ?? 0 };
      }
      return result;
    })),
  };
}

import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { syncPage } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Odoo changed the record again: restart the quiet period. */
export const recordChangedSignal = defineSignal<[{ action?: string }]>('recordChanged');

export interface RecordSyncInput {
  channel: string;
  stream: 'catalog' | 'stock' | 'contacts';
  /**
   * The record's source key: the SKU (catalog, stock) or the Odoo partner id (contacts). Absent
   * for a category or attribute change: that syncs the catalog's structure (categories,
   * attributes and options), which every catalog page brings in line before its products.
   */
  key?: string;
  /** how long the record must stay unchanged before it is written (default 10 s) */
  debounceMs?: number;
}

export interface RecordSyncResult { syncs: number; signals: number; written: number }

export function recordSyncWorkflowId(input: Pick<RecordSyncInput, 'channel' | 'stream' | 'key'>): string {
  if (input.key === undefined) return `catalog-structure-${input.channel}`;
  const prefix = { catalog: 'product', stock: 'stock', contacts: 'contact' }[input.stream];
  return `${prefix}-${input.channel}-${input.key}`;
}

/**
 * One Odoo record's real-time sync (`product-<channel>-<sku>`, `stock-<channel>-<sku>`,
 * `contact-<channel>-<partner id>`, `catalog-structure-<channel>` for categories and attributes), started
 * by the webhook gateway with signal-with-start. A burst of edits (a price, then a description,
 * then the weight) becomes one Magento write: the workflow waits until the record has been quiet
 * for the debounce window, syncs it with the bulk run's own stream code, and ends unless it
 * changed again meanwhile. The scheduled bulk runs stay the safety net.
 */
export async function recordSync(input: RecordSyncInput): Promise<RecordSyncResult> {
  const debounceMs = input.debounceMs ?? 10_000;
  let signals = 0;
  setHandler(recordChangedSignal, () => {
    signals += 1;
  });
  const result: RecordSyncResult = { syncs: 0, signals: 0, written: 0 };
  // The start counts as the first change (it came with the first signal); then the loop runs
  // until a sync finishes with no newer change behind it.
  let synced = -1;
  while (synced !== signals) {
    // Quiet period: every new signal restarts it.
    for (;;) {
      const seen = signals;
      const changed = await condition(() => signals !== seen, debounceMs);
      if (!changed) break;
    }
    synced = signals;
    // The bulk run's own page activity, for one key: it never moves the watermark for such a page.
    // No key: no product matches an empty list, so the page syncs just the catalog's structure.
    const outcome = await syncPage({ channel: input.channel, stream: input.stream, cursor: null, since: null, full: false, pageSize: 1, keys: input.key === undefined ? [] : [input.key] });
    result.syncs += 1;
    result.written += outcome.written;
  }
  result.signals = signals;
  return result;
}

import assert from 'node:assert/strict';
import { statusQuery, type OrderStatus } from '../../workflows/order-messages';

interface Queryable { query(q: typeof statusQuery): Promise<OrderStatus> }

/**
 * Polls an order workflow's `status` query until `ok` holds. A query can fail while no worker
 * polls the queue (a test that stops or kills the worker); that is waited out like any other
 * "not yet", and reported with the last status or error if the deadline passes.
 */
export async function untilStatus(handle: Queryable, what: string, ok: (s: OrderStatus) => boolean, timeoutMs = 30_000): Promise<OrderStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: OrderStatus | Error | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(statusQuery).catch((err: Error) => err);
    if (!(last instanceof Error) && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`order never reached "${what}"; last: ${last instanceof Error ? last.message : JSON.stringify(last, null, 1)}`);
}

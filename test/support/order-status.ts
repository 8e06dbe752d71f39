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

/**
 * handle.result() with a bound: an order that never completes fails the test in `timeoutMs` with
 * its last status, instead of waiting until the runner's own timeout.
 */
export async function resultWithin<T>(handle: Queryable & { result(): Promise<T> }, timeoutMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      handle.query(statusQuery).then(
        (s) => reject(new Error(`no result after ${timeoutMs} ms; status: ${JSON.stringify({ phase: s.phase, steps: s.steps.slice(-6) })}`)),
        (err: Error) => reject(new Error(`no result after ${timeoutMs} ms (${err.message})`)),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([handle.result(), late]);
  } finally {
    clearTimeout(timer);
  }
}

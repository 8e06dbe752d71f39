import { IntegrationError } from './errors';

/**
 * Retries of one request inside the client, before the activity fails: at 30% faults a step of
 * ten calls would otherwise rarely pass in one attempt, and Temporal's activity backoff (which
 * repeats every call of the step) grows to minutes. Bounded and jittered, so a struggling server
 * is not hammered in lockstep by every worker.
 */
export interface RequestRetryPolicy {
  /** tries in all, the first included; 1 = no retry here (the activity's retry still applies) */
  attempts: number;
  /** the first wait; each next one doubles, up to maxDelayMs; the actual wait is random below it (full jitter) */
  initialDelayMs: number;
  maxDelayMs: number;
  /** a Retry-After longer than this is not waited out here: the error goes to the activity, which waits instead */
  maxRetryAfterMs: number;
}

export const DEFAULT_REQUEST_RETRY: RequestRetryPolicy = { attempts: 3, initialDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 2_000 };

/**
 * Whether a failed request may be sent again. A read may always be; a write only when the
 * server surely did not apply it: a 429 (refused before any work), a connection refused, an
 * Odoo serialization conflict (rolled back). A write that timed out or got a 5xx may have
 * landed: that retry is the activity's, which looks before it writes again.
 */
export function mayRetry(err: unknown, idempotent: boolean): err is IntegrationError {
  if (!(err instanceof IntegrationError) || !err.retryable) return false;
  if (idempotent) return true;
  return err.kind === 'rate_limited' || err.kind === 'conflict' || /ECONNREFUSED/.test(err.message);
}

export interface RetryRuntime {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export async function withRequestRetry<T>(
  send: () => Promise<T>,
  options: { idempotent: boolean; policy?: Partial<RequestRetryPolicy> } & RetryRuntime,
): Promise<T> {
  const policy = { ...DEFAULT_REQUEST_RETRY, ...options.policy };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= policy.attempts || !mayRetry(err, options.idempotent)) throw err;
      const retryAfter = err.details.retryAfterMs;
      // A long Retry-After: failing now lets Temporal wait it out (nextRetryDelay) without
      // holding a worker slot and the activity's timeout.
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw err;
      const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      await sleep(retryAfter ?? Math.round(random() * cap));
    }
  }
}

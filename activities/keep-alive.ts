import { asyncLocalStorage } from '@temporalio/activity';

/** How often a running activity tells Temporal its worker is alive. */
export const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Heartbeats every few seconds while the activity runs, so a worker killed in the middle of a
 * step is noticed within the activity's heartbeat timeout (seconds) and the step retried on
 * another worker, instead of after the whole start-to-close timeout. Called outside an activity
 * (tests call activities directly), it just runs the function.
 */
export function keepAlive<A extends unknown[], R>(run: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = asyncLocalStorage.getStore();
    if (!context) return run(...args);
    const timer = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await run(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

import type { Config } from '../config/schema';

// What the SDK says when nothing answers at the address; it never names the address itself.
const UNREACHABLE = /failed to connect|deadline|unavailable|connection refused|ECONNREFUSED|transport error|dns error/i;

/**
 * The error a worker start reports when Temporal cannot be reached: the SDK's sentence ("Failed
 * to connect before the deadline") with the address and namespace it tried, so ops know which
 * setting to look at. Other errors pass through unchanged.
 */
export function withTemporalAddress(err: unknown, temporal: Config['temporal']): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  if (!UNREACHABLE.test(error.message) || error.message.includes(temporal.address)) return error;
  return new Error(`cannot reach Temporal at ${temporal.address} (namespace ${temporal.namespace}; TEMPORAL_ADDRESS or temporal.address): ${error.message}`);
}

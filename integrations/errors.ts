/**
 * Every failure of a call to Magento or Odoo, classified once, here, so that the activity layer
 * only has to ask `retryable`. Transient faults (network, 5xx, 429, timeouts, Odoo serialization
 * conflicts) are retried by Temporal with backoff; everything else parks the order with `message`,
 * which names the record and field where the remote system told us which.
 */
export type IntegrationSystem = 'magento' | 'odoo';

export type IntegrationErrorKind =
  | 'network' // connection refused/reset, DNS, socket hang-up
  | 'timeout'
  | 'server' // 5xx
  | 'rate_limited' // 429
  | 'conflict' // Odoo concurrent update / serialization failure
  | 'auth' // 401, AccessDenied, bad signature: a configuration problem
  | 'forbidden' // missing ACL resource, AccessError
  | 'not_found' // 404, MissingError
  | 'validation' // 400, UserError, ValidationError
  | 'protocol'; // the answer did not have the shape the contract promises

const RETRYABLE: ReadonlySet<IntegrationErrorKind> = new Set(['network', 'timeout', 'server', 'rate_limited', 'conflict']);

export class IntegrationError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly system: IntegrationSystem,
    readonly kind: IntegrationErrorKind,
    message: string,
    readonly details: {
      /** HTTP status, when there was a response */
      status?: number;
      /** what was called: "GET /V1/orders/42" or "sale.order.action_confirm" */
      operation?: string;
      /** server-suggested wait (Retry-After), in milliseconds */
      retryAfterMs?: number;
      /** remote error class, e.g. "odoo.exceptions.UserError" */
      remoteType?: string;
    } = {},
  ) {
    super(message);
    this.name = 'IntegrationError';
    this.retryable = RETRYABLE.has(kind);
  }
}

export function isIntegrationError(err: unknown): err is IntegrationError {
  return err instanceof IntegrationError;
}

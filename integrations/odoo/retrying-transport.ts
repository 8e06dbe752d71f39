import { withRequestRetry, type RequestRetryPolicy } from '../request-retry';
import type { OdooCall, OdooTransport } from './transport';

// ORM methods that only read: sent again on any transient failure. Every other method is a
// write, retried here only when Odoo surely did not apply it (see mayRetry).
const READS = new Set(['read', 'search', 'search_read', 'search_count', 'read_group', 'fields_get', 'name_search', 'context_get', 'default_get', 'check_access_rights', 'has_group']);

/** A transport whose requests are retried in place (bounded, jittered, honouring Retry-After). */
export function retryingTransport(inner: OdooTransport, policy?: Partial<RequestRetryPolicy>): OdooTransport {
  return {
    flavour: inner.flavour,
    version: () => withRequestRetry(() => inner.version(), { idempotent: true, ...(policy ? { policy } : {}) }),
    uid: () => withRequestRetry(() => inner.uid(), { idempotent: true, ...(policy ? { policy } : {}) }),
    call: (call: OdooCall) => withRequestRetry(() => inner.call(call), { idempotent: READS.has(call.method), ...(policy ? { policy } : {}) }),
  };
}

import { IntegrationError } from '../../integrations/errors';

/**
 * A write refused for this record's data (a 4xx validation answer, a missing entity): report it
 * against the record and carry on. Anything transient, or a fault of the whole connection
 * (authentication, protocol), is thrown so that Temporal retries or fails the page.
 */
export function isRecordProblem(err: unknown): err is IntegrationError {
  return err instanceof IntegrationError && !err.retryable && ['validation', 'not_found'].includes(err.kind);
}

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

import { ApplicationFailure } from '@temporalio/common';
import { IntegrationError } from '../../integrations/errors';
import { BindingConflictError } from '../../store/bindings';
import { UnknownChannelError } from '../../integrations/channel-clients';

/**
 * Bad data in an order: something retrying cannot fix until a person changes a mapping, a
 * product or the order itself. The workflow parks the order with `message`, so it names the
 * order, the record and the field, and says what to do.
 */
export type OrderDataProblem =
  | 'OrderNotFound'
  | 'UnknownSku'
  | 'UnsupportedProductType'
  | 'UnmappedTax'
  | 'UnmappedCarrier'
  | 'UnmappedPaymentMethod'
  | 'PricelistMismatch'
  | 'UnknownCurrency'
  | 'UnmappedCurrency'
  | 'InvalidOrder'
  | 'InvalidAddress'
  | 'TotalsMismatch'
  | 'OrderStateConflict'
  /** orderDefaults names a payment term, team, warehouse or company Odoo does not have */
  | 'UnmappedOrderDefault'
  /** the sale order was cancelled in Odoo after goods left the warehouse */
  | 'CanceledAfterShipment';

export class OrderDataError extends Error {
  constructor(
    readonly problem: OrderDataProblem,
    message: string,
  ) {
    super(message);
    this.name = 'OrderDataError';
  }
}

/**
 * What Temporal should see for an error thrown inside an order activity. The workflow only asks
 * "non-retryable?" (parks with the message) or lets Temporal retry with backoff; the `type`
 * names the cause for the Web UI and for retry policies (`nonRetryableErrorTypes`).
 */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof IntegrationError) {
    const type = `${err.system}.${err.kind}`;
    if (!err.retryable) return ApplicationFailure.nonRetryable(err.message, type);
    return ApplicationFailure.create({
      message: err.message,
      type,
      nonRetryable: false,
      // A server that says when to come back (429/503 Retry-After) is believed over our backoff.
      ...(err.details.retryAfterMs !== undefined ? { nextRetryDelay: err.details.retryAfterMs } : {}),
    });
  }
  if (err instanceof OrderDataError) return ApplicationFailure.nonRetryable(err.message, err.problem);
  // Two records claim the same partner: a person must decide which binding is right.
  if (err instanceof BindingConflictError) return ApplicationFailure.nonRetryable(err.message, 'BindingConflict');
  if (err instanceof UnknownChannelError) return ApplicationFailure.nonRetryable(err.message, 'UnknownChannel');
  // Anything else (the store unreachable, a bug) is retried: a fixed deployment or a database
  // that is back finishes the order. Only the message travels, never the error object, whose
  // fields could hold request configuration.
  const message = err instanceof Error ? err.message : String(err);
  const type = err instanceof Error ? err.name : 'Error';
  return ApplicationFailure.create({ message, type, nonRetryable: false });
}

/** Wraps an activity so that everything it throws reaches Temporal already classified. */
export function classified<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await run(...args);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

/**
 * Runs lookups that read the worker's reference cache (integrations/odoo/reference.ts); when they
 * find the data bad, they run once more on fresh answers before the order parks, so a cached
 * answer never parks an order and a fix ops made is seen on the next retry.
 */
export async function freshOnDataError<T>(odoo: { reference: { clear(): void } }, lookups: () => Promise<T>): Promise<T> {
  try {
    return await lookups();
  } catch (err) {
    if (!(err instanceof OrderDataError)) throw err;
    odoo.reference.clear();
    return lookups();
  }
}

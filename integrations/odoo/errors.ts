import { IntegrationError, type IntegrationErrorKind } from '../errors';
import type { OdooFlavour } from './transport';

/**
 * Odoo's error classes, mapped once. The names are the `name` field of the error body, which
 * is the same on both protocols (data.name on JSON-RPC, name on JSON-2).
 */
const BY_NAME: Record<string, IntegrationErrorKind> = {
  'odoo.exceptions.UserError': 'validation',
  'odoo.exceptions.ValidationError': 'validation',
  'odoo.exceptions.RedirectWarning': 'validation',
  'odoo.exceptions.MissingError': 'not_found',
  'odoo.exceptions.AccessError': 'forbidden',
  'odoo.exceptions.AccessDenied': 'auth',
  // Odoo already retried the transaction several times before giving up on these.
  'odoo.exceptions.ConcurrencyError': 'conflict',
  'odoo.exceptions.LockError': 'conflict',
  // A wrong value or field name in what we sent: retrying cannot help.
  'builtins.ValueError': 'validation',
  'builtins.TypeError': 'protocol',
  'builtins.KeyError': 'protocol',
  'builtins.AttributeError': 'protocol',
  'werkzeug.exceptions.NotFound': 'protocol',
  'werkzeug.exceptions.UnprocessableEntity': 'protocol',
  'werkzeug.exceptions.BadRequest': 'protocol',
  'werkzeug.exceptions.Unauthorized': 'auth',
  'werkzeug.exceptions.Forbidden': 'forbidden',
  'werkzeug.exceptions.TooManyRequests': 'rate_limited',
  'werkzeug.exceptions.ServiceUnavailable': 'server',
  'werkzeug.exceptions.InternalServerError': 'server',
};

const CONFLICT_PATTERN = /SerializationFailure|TransactionRollback|LockNotAvailable|DeadlockDetected|could not serialize access|concurrent update/i;
const UNKNOWN_DB_PATTERN = /database "([^"]*)" does not exist/;

export interface OdooFault {
  name: string;
  message: string;
  status?: number;
}

export interface ErrorScope {
  flavour: OdooFlavour;
  operation: string;
  database: string;
}

export function odooError(kind: IntegrationErrorKind, message: string, scope: ErrorScope, extra: { status?: number; remoteType?: string; retryAfterMs?: number } = {}): IntegrationError {
  return new IntegrationError('odoo', kind, message, { operation: scope.operation, ...extra });
}

/** an error body Odoo produced itself (JSON-RPC `error.data` or a JSON-2 error object) */
export function fromOdooFault(fault: OdooFault, scope: ErrorScope): IntegrationError {
  const extra = { status: fault.status, remoteType: fault.name };
  const unknownDb = UNKNOWN_DB_PATTERN.exec(fault.message);
  if (unknownDb) {
    return odooError('auth', `Odoo has no database "${unknownDb[1]}": check the configured database name`, scope, extra);
  }
  if (CONFLICT_PATTERN.test(fault.name) || CONFLICT_PATTERN.test(fault.message)) {
    return odooError('conflict', `Odoo concurrent update on ${scope.operation}: ${fault.message}`, scope, extra);
  }
  const kind = BY_NAME[fault.name] ?? (fault.name.startsWith('psycopg2.') ? 'server' : 'protocol');
  if (kind === 'auth') {
    return odooError('auth', authReason(fault, scope), scope, extra);
  }
  return odooError(kind, `${scope.operation}: ${fault.message}`, scope, extra);
}

function authReason(fault: OdooFault, scope: ErrorScope): string {
  if (fault.message === 'Invalid apikey') {
    return `Odoo rejected the API key for database "${scope.database}" (API keys belong to one database; check the key, its expiry and the database name)`;
  }
  if (/use an API Key with a Bearer/.test(fault.message)) {
    return 'Odoo did not receive the API key as a bearer token';
  }
  return `Odoo denied access to database "${scope.database}": the login or API key is wrong, expired or revoked`;
}

export function loginRejected(login: string, scope: ErrorScope): IntegrationError {
  return odooError('auth', `Odoo rejected login "${login}" with the configured API key on database "${scope.database}"`, scope);
}

export function unknownDatabaseJson2(scope: ErrorScope, status: number): IntegrationError {
  return odooError('auth', `Odoo has no database "${scope.database}" (or the server's dbfilter hides it): check the configured database name`, scope, { status });
}

export function wrongFlavour(scope: ErrorScope, detail: string, status?: number): IntegrationError {
  const advice = scope.flavour === 'json2'
    ? "the server has no JSON-2 API (it starts in Odoo 19): set the Odoo API flavour to 'jsonrpc'"
    : "the server has no /jsonrpc endpoint (removed after Odoo 19): set the Odoo API flavour to 'json2'";
  return odooError('auth', `${advice} (${detail})`, scope, { status });
}

/** an HTTP answer that is not an Odoo error body (proxy pages, 5xx, 429, …) */
export function fromHttpStatus(status: number, scope: ErrorScope, retryAfter?: string): IntegrationError {
  if (status === 429) {
    return odooError('rate_limited', `Odoo answered 429 Too Many Requests on ${scope.operation}`, scope, { status, retryAfterMs: parseRetryAfter(retryAfter) });
  }
  if (status >= 500) return odooError('server', `Odoo answered HTTP ${status} on ${scope.operation}`, scope, { status });
  if (status === 401 || status === 403) return odooError('auth', `Odoo answered HTTP ${status} on ${scope.operation}: check the API key`, scope, { status });
  return odooError('protocol', `Odoo answered HTTP ${status} on ${scope.operation}, not an Odoo API response`, scope, { status });
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A 200 whose body is not JSON (an HTML maintenance page, a cut-off or empty body): what a proxy
 * or a restarting server sends, retried like a 5xx. A JSON answer of the wrong shape is protocol.
 */
export function unreadableOdooAnswer(scope: ErrorScope, status: number, text: string): IntegrationError {
  const what = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? 'an HTML page (a maintenance page or a proxy answering)' : 'a body that is not complete JSON (cut off?)';
  return odooError('server', `Odoo answered HTTP ${status} on ${scope.operation} with ${what}, not JSON: retried`, scope, { status });
}

/** failures below HTTP: the request never got an answer */
export function fromTransportFailure(err: unknown, scope: ErrorScope): IntegrationError {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return odooError('timeout', `Odoo did not answer ${scope.operation} in time`, scope);
  }
  const reason = code ?? ((err as Error | null)?.message || 'unknown network error');
  // Deliberately not the axios error itself: its config carries the request, and JSON-RPC
  // requests carry the API key in their body.
  return odooError('network', `Odoo unreachable during ${scope.operation}: ${reason}`, scope);
}

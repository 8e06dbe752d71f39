import { IntegrationError, type IntegrationErrorKind } from '../errors';

/**
 * Turns Magento's error bodies and transport failures into IntegrationErrors. Magento sends the
 * raw phrase ("No such entity with %fieldName = %fieldValue") and its parameters separately
 * (ErrorProcessor::maskException), so the sentence ops read is assembled here.
 */

export interface MagentoErrorBody {
  message?: unknown;
  parameters?: unknown;
  errors?: unknown;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(asText).join(', ');
  return JSON.stringify(value);
}

/**
 * Magento's Phrase renderer: positional %1..%n from a list, %name from an object. Longest names
 * first so "%fieldValue" is not eaten by a "%field" parameter.
 */
export function renderMagentoMessage(message: string, parameters?: unknown): string {
  if (Array.isArray(parameters)) {
    return message.replace(/%(\d+)/g, (whole, n: string) => {
      const index = Number(n) - 1;
      return index >= 0 && index < parameters.length ? asText(parameters[index]) : whole;
    });
  }
  if (parameters && typeof parameters === 'object') {
    const entries = Object.entries(parameters as Record<string, unknown>).sort(([a], [b]) => b.length - a.length);
    let out = message;
    for (const [name, value] of entries) out = out.split(`%${name}`).join(asText(value));
    return out;
  }
  return message;
}

/** The readable sentence of an error body, including the sub-errors of an aggregate exception. */
export function describeMagentoError(body: MagentoErrorBody): string | undefined {
  if (typeof body.message !== 'string') return undefined;
  const main = renderMagentoMessage(body.message, body.parameters);
  if (!Array.isArray(body.errors) || body.errors.length === 0) return main;
  const details = body.errors
    .map((e) => (e && typeof e === 'object' ? describeMagentoError(e as MagentoErrorBody) : undefined))
    .filter((s): s is string => Boolean(s));
  return details.length > 0 ? `${main} ${details.join('; ')}` : main;
}

export function kindForStatus(status: number): IntegrationErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'validation';
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function parseBody(text: string): MagentoErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as MagentoErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

export function errorFromResponse(
  operation: string,
  status: number,
  bodyText: string,
  retryAfterHeader?: string,
): IntegrationError {
  const kind = kindForStatus(status);
  const body = parseBody(bodyText);
  const sentence = body ? describeMagentoError(body) : undefined;
  const message = `Magento ${operation} failed with HTTP ${status}: ${sentence ?? 'no Magento error message in the response'}`;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfterHeader) : undefined;
  return new IntegrationError('magento', kind, message, {
    status,
    operation,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/**
 * A 2xx answer whose body is not JSON at all: an HTML maintenance page, a body cut off mid-way,
 * an empty body. That is what a proxy or a restarting PHP-FPM sends, not Magento breaking its
 * contract, so it is retried like a 5xx. (A well-formed JSON answer of the wrong shape is not.)
 */
export function unreadableAnswer(system: 'Magento', operation: string, status: number, text: string): IntegrationError {
  const what = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? 'an HTML page (a maintenance page or a proxy answering)' : 'a body that is not complete JSON (cut off?)';
  return new IntegrationError('magento', 'server', `${system} ${operation} answered HTTP ${status} with ${what}, not JSON: retried`, { status, operation });
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENETDOWN', 'ERR_SOCKET_CLOSED', 'ERR_NETWORK', 'EPROTO', 'ERR_STREAM_PREMATURE_CLOSE',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A failure without an HTTP response. Only the code and a fixed sentence go into the error: the
 * library's error object carries the request config, whose Authorization header holds the token.
 */
export function errorFromTransport(operation: string, code: string | undefined, timeoutMs?: number): IntegrationError {
  if (code && TIMEOUT_CODES.has(code)) {
    return new IntegrationError('magento', 'timeout', `Magento ${operation} timed out${timeoutMs ? ` after ${timeoutMs} ms` : ''}`, { operation });
  }
  if (code && NETWORK_CODES.has(code)) {
    return new IntegrationError('magento', 'network', `Magento ${operation} failed: connection problem (${code})`, { operation });
  }
  return new IntegrationError('magento', 'network', `Magento ${operation} failed before an answer arrived${code ? ` (${code})` : ''}`, { operation });
}

import { createHmac } from 'node:crypto';

/**
 * The sandbox's own OAuth 1.0a (RFC 5849) signature check, written from the RFC and from what
 * Magento's laminas-oauth does, and deliberately sharing no code with the connector's signer
 * (integrations/magento/oauth1): a stand-in built on the client's code would accept the client's
 * mistakes. It works from the raw request: the request-target as sent (path and query bytes),
 * the Host header, the Authorization header and, for form posts, the body.
 */

export type VerifierMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface RawRequest {
  method: string;
  /** the request-target exactly as sent: "/rest/V1/orders?searchCriteria%5BpageSize%5D=1" */
  target: string;
  host: string;
  scheme?: 'http' | 'https';
  /** application/x-www-form-urlencoded body, if any: its parameters are signed too (3.4.1.3.1) */
  formBody?: string;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 5849 3.6: UTF-8, every byte outside the unreserved set as %XX with upper-case hex */
export function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** percent-decoding of one form-urlencoded name or value ('+' is a space) */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** the name/value pairs of a query string or form body, decoded, in order (3.4.1.3.1) */
export function formPairs(text: string): Array<[string, string]> {
  if (!text) return [];
  return text.split('&').filter((part) => part !== '').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))];
  });
}

/**
 * `Authorization: OAuth realm="x", oauth_consumer_key="…", …` (3.5.1): the protocol parameters,
 * decoded, without realm; null when the header is not OAuth or not well formed.
 */
export function oauthHeaderParams(header: string): Array<[string, string]> | null {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!match) return null;
  const out: Array<[string, string]> = [];
  for (const item of (match[1] as string).split(',')) {
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(item);
    if (!pair) return null;
    const name = decodeURIComponent(pair[1] as string);
    if (name !== 'realm') out.push([name, decodeURIComponent(pair[2] as string)]);
  }
  return out;
}

/** RFC 5849 3.4.1: the signature base string of a raw request and its protocol parameters */
export function baseString(req: RawRequest, protocol: ReadonlyArray<readonly [string, string]>): string {
  const q = req.target.indexOf('?');
  const path = q < 0 ? req.target : req.target.slice(0, q);
  const query = q < 0 ? '' : req.target.slice(q + 1);
  const scheme = req.scheme ?? 'http';
  // 3.4.1.2: scheme and host in lower case, the scheme's default port left out
  let host = req.host.toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) host = host.slice(0, host.lastIndexOf(':'));
  const params = [...formPairs(query), ...formPairs(req.formBody ?? ''), ...protocol.filter(([name]) => name !== 'oauth_signature')]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    // 3.4.1.3.2: by encoded name, then encoded value, in ascending byte order
    .sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${req.method.toUpperCase()}&${rfc3986(`${scheme}://${host}${path}`)}&${rfc3986(params)}`;
}

function byteOrder(a: string, b: string): number {
  // encoded strings are ASCII, so code units are bytes
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 3.4.2: HMAC over the base string, keyed by the encoded consumer secret & token secret */
export function hmacSignature(base: string, consumerSecret: string, tokenSecret: string, method: VerifierMethod): string {
  return createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`).update(base).digest('base64');
}

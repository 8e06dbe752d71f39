import { createHmac, randomBytes } from 'node:crypto';

/**
 * OAuth 1.0a request signing (RFC 5849) as Magento's Integration tokens need it. Magento verifies
 * with laminas-oauth, which rebuilds the base string from the method, the request URL without its
 * query, and every query and protocol parameter; JSON bodies are not part of the signature.
 */

export type SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** RFC 3986 unreserved characters stay, everything else is %XX with upper-case hex (RFC 5849 3.6). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 3.4.1.2: lower-case scheme and host, default port dropped, no query or fragment. */
export function baseStringUri(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const defaultPort = (scheme === 'http' && u.port === '80') || (scheme === 'https' && u.port === '443') || u.port === '';
  const host = u.hostname.toLowerCase();
  return `${scheme}://${host}${defaultPort ? '' : `:${u.port}`}${u.pathname}`;
}

/** The query of a URL as decoded name/value pairs, in their original order (duplicates kept). */
export function queryPairs(url: string | URL): Array<[string, string]> {
  const u = typeof url === 'string' ? new URL(url) : url;
  return [...u.searchParams.entries()];
}

/** RFC 5849 3.4.1.3.2: encode, sort by name then value (byte order), join with & and =. */
export function normalizeParameters(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** RFC 5849 3.4.1: METHOD&encoded-base-uri&encoded-normalized-parameters. */
export function signatureBaseString(method: string, url: string | URL, params: ReadonlyArray<readonly [string, string]>): string {
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalizeParameters(params))].join('&');
}

export function computeSignature(baseString: string, consumerSecret: string, tokenSecret: string, method: SignatureMethod): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1', key).update(baseString).digest('base64');
}

export interface SignOptions {
  method: string;
  url: string;
  credentials: OAuth1Credentials;
  signatureMethod?: SignatureMethod;
  /** form-encoded body parameters; JSON bodies are never signed */
  bodyParams?: ReadonlyArray<readonly [string, string]>;
  nonce?: string;
  /** seconds since the epoch */
  timestamp?: number;
}

export interface SignedRequest {
  authorization: string;
  baseString: string;
  signature: string;
}

export function signRequest(options: SignOptions): SignedRequest {
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  const protocol: Array<[string, string]> = [
    ['oauth_consumer_key', options.credentials.consumerKey],
    ['oauth_nonce', options.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(options.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_token', options.credentials.token],
    ['oauth_version', '1.0'],
  ];
  const baseString = signatureBaseString(options.method, options.url, [
    ...queryPairs(options.url),
    ...(options.bodyParams ?? []),
    ...protocol,
  ]);
  const signature = computeSignature(baseString, options.credentials.consumerSecret, options.credentials.tokenSecret, signatureMethod);
  const header = [...protocol, ['oauth_signature', signature] as [string, string]]
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(', ');
  return { authorization: `OAuth ${header}`, baseString, signature };
}

/** Parses `Authorization: OAuth k="v", ...` into decoded pairs; null when it is not an OAuth header. */
export function parseAuthorizationHeader(header: string | undefined): Array<[string, string]> | null {
  if (!header || !/^OAuth\s/i.test(header)) return null;
  const pairs: Array<[string, string]> = [];
  const re = /([A-Za-z0-9_%.~-]+)="([^"]*)"/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    const name = decodeURIComponent(m[1]!);
    if (name === 'realm') continue;
    pairs.push([name, decodeURIComponent(m[2]!)]);
  }
  return pairs;
}

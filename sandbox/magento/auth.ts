import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { baseString, hmacSignature, oauthHeaderParams, type VerifierMethod } from './oauth-verifier';

/**
 * Who may call the sandbox: an Integration's OAuth 1.0a signature (always), or its access token
 * as a Bearer token only when `allowBearer` is on, like Magento's
 * oauth/consumer/enable_integration_as_bearer (off by default). A request that fails is treated
 * as a guest, and guests get Magento's ACL 401.
 */
export interface IntegrationCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** The demo Integration. Not secret: it only opens the sandbox. */
export const SANDBOX_CREDENTIALS: IntegrationCredentials = {
  consumerKey: 'sandbox-consumer-key-0000000000000',
  consumerSecret: 'sandbox-consumer-secret-000000000',
  accessToken: 'sandbox-access-token-0000000000000',
  accessTokenSecret: 'sandbox-access-token-secret-00000',
};

// Magento\Integration\Model\Oauth\Nonce\Generator: timestamps older than 600 s are refused.
const TIMESTAMP_WINDOW_SECONDS = 600;
const MAX_REMEMBERED_NONCES = 50_000;

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export class SandboxAuthenticator {
  private readonly nonces = new Set<string>();

  constructor(
    readonly credentials: IntegrationCredentials,
    readonly allowBearer: boolean,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** true when the request is signed (or bearer-authenticated) by the configured Integration */
  authenticate(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (!header) return false;
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    if (bearer) return this.allowBearer && safeEqual(bearer[1]!.trim(), this.credentials.accessToken);

    let protocol: Array<[string, string]> | null;
    try {
      protocol = oauthHeaderParams(header);
    } catch {
      return false; // a malformed %-escape
    }
    if (!protocol) return false;
    const get = (name: string) => protocol.find(([k]) => k === name)?.[1];
    const signature = get('oauth_signature');
    const method = get('oauth_signature_method');
    const nonce = get('oauth_nonce');
    const timestamp = Number(get('oauth_timestamp'));
    if (!signature || !nonce || (method !== 'HMAC-SHA256' && method !== 'HMAC-SHA1')) return false;
    if (get('oauth_consumer_key') !== this.credentials.consumerKey || get('oauth_token') !== this.credentials.accessToken) return false;
    if (!Number.isFinite(timestamp) || Math.abs(this.nowSeconds() - timestamp) > TIMESTAMP_WINDOW_SECONDS) return false;

    let base: string;
    try {
      base = baseString({ method: req.method ?? 'GET', target: req.url ?? '/', host: req.headers.host ?? 'localhost' }, protocol);
    } catch {
      return false; // a malformed %-escape in the query
    }
    const expected = hmacSignature(base, this.credentials.consumerSecret, this.credentials.accessTokenSecret, method as VerifierMethod);
    if (!safeEqual(expected, signature)) return false;

    // A replayed nonce is refused only once the signature is known to be genuine.
    const key = `${nonce}:${timestamp}`;
    if (this.nonces.has(key)) return false;
    if (this.nonces.size >= MAX_REMEMBERED_NONCES) this.nonces.clear();
    this.nonces.add(key);
    return true;
  }
}

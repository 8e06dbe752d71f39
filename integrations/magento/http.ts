import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { MagentoConfig } from '../../config/schema';
import { IntegrationError } from '../errors';
import { withRequestRetry } from '../request-retry';
import { errorFromResponse, errorFromTransport, unreadableAnswer } from './error-mapping';
import { signRequest } from './oauth1';
import { buildPath, type MagentoRoute, type PathParams } from './routes';
import { toQueryString } from './search-criteria';

export interface CallInput {
  path?: PathParams;
  query?: ReadonlyArray<readonly [string, string]>;
  body?: unknown;
}

export interface MagentoHttpOptions {
  /** replaces axios' transport (tests); production leaves it unset */
  axiosInstance?: AxiosInstance;
  /** seconds since the epoch, for the OAuth timestamp */
  clock?: () => number;
}

/** "items[0].sku" from zod's path array */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(body)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/**
 * One configured connection to one Magento store view: builds `<baseUrl>/rest/<storeCode><path>`,
 * authenticates every request (OAuth 1.0a signature or Bearer), maps failures to IntegrationError
 * and checks the answer against its zod schema.
 */
export class MagentoHttp {
  private readonly axios: AxiosInstance;
  private readonly restBase: string;
  private readonly clock: () => number;

  constructor(
    private readonly config: MagentoConfig,
    options: MagentoHttpOptions = {},
  ) {
    this.restBase = `${config.baseUrl.replace(/\/+$/, '')}/rest/${encodeURIComponent(config.storeCode)}`;
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    this.axios =
      options.axiosInstance ??
      axios.create({
        timeout: config.timeoutMs,
        // Status handling and JSON parsing are ours: a 503 HTML page or an empty body must not
        // turn into a parse exception, and non-2xx answers must not throw an error object that
        // carries the signed Authorization header around.
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        maxRedirects: 0,
      });
  }

  /**
   * One request, sent again in place on a transient failure (GETs on any, writes only when
   * surely not applied: see request-retry.ts); each try is signed anew.
   */
  call<S extends z.ZodType>(route: MagentoRoute, input: CallInput, schema: S): Promise<z.output<S>> {
    return withRequestRetry(() => this.send(route, input, schema), { idempotent: route.method === 'GET', ...(this.config.retry ? { policy: this.config.retry } : {}) });
  }

  private async send<S extends z.ZodType>(route: MagentoRoute, input: CallInput, schema: S): Promise<z.output<S>> {
    const path = buildPath(route, input.path);
    // "GET /V1/orders/42": what error messages and Temporal failures name (no query: it can be long)
    const operation = `${route.method} ${path}`;
    const query = input.query && input.query.length > 0 ? `?${toQueryString(input.query)}` : '';
    const url = `${this.restBase}${path}${query}`;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: this.authorization(route.method, url) };
    let data: string | undefined;
    if (input.body !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      data = JSON.stringify(input.body);
    }

    let response;
    try {
      response = await this.axios.request<string>({ method: route.method, url, headers, data });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw errorFromTransport(operation, code, this.config.timeoutMs);
    }

    const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
    if (response.status < 200 || response.status >= 300) {
      const retryAfter = response.headers['retry-after'];
      throw errorFromResponse(operation, response.status, text, typeof retryAfter === 'string' ? retryAfter : undefined);
    }

    let parsed: unknown;
    try {
      if (text.trim() === '') throw new Error('empty');
      parsed = JSON.parse(text);
    } catch {
      throw unreadableAnswer('Magento', operation, response.status, text);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 5)
        .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`)
        .join('; ');
      throw new IntegrationError('magento', 'protocol', `Magento ${operation} answered a body that does not match the contract: ${issues}`, {
        status: response.status,
        operation,
      });
    }
    return result.data;
  }

  private authorization(method: string, url: string): string {
    const auth = this.config.auth;
    if (auth.mode === 'bearer') return `Bearer ${auth.accessToken.reveal()}`;
    return signRequest({
      method,
      url,
      credentials: {
        consumerKey: auth.consumerKey.reveal(),
        consumerSecret: auth.consumerSecret.reveal(),
        token: auth.accessToken.reveal(),
        tokenSecret: auth.accessTokenSecret.reveal(),
      },
      timestamp: this.clock(),
    }).authorization;
  }
}

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { fromTransportFailure, type ErrorScope } from './errors';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  /** parsed body, or undefined when it is not JSON (HTML error pages, redirects) */
  json: unknown;
}

/**
 * One axios instance per client. Every status comes back as an answer (Odoo reports its own
 * errors with 200 on JSON-RPC and 4xx/5xx on JSON-2), redirects are not followed (a redirect
 * to /web/login is how an Odoo without JSON-2 answers), and bodies are parsed here so that an
 * HTML page never surprises the caller.
 */
export function createHttp(baseURL: string, timeoutMs: number): AxiosInstance {
  return axios.create({
    baseURL: baseURL.replace(/\/+$/, ''),
    timeout: timeoutMs,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
}

export async function send(
  http: AxiosInstance,
  request: { method: 'GET' | 'POST'; url: string; body?: unknown; headers?: Record<string, string> },
  scope: ErrorScope,
): Promise<HttpAnswer> {
  let response: AxiosResponse<string>;
  try {
    response = await http.request<string>({
      method: request.method,
      url: request.url,
      data: request.body === undefined ? undefined : JSON.stringify(request.body),
      headers: request.headers,
    });
  } catch (err) {
    throw fromTransportFailure(err, scope);
  }
  const text = typeof response.data === 'string' ? response.data : '';
  let json: unknown;
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.includes('json') || /^\s*[[{"\dtfn-]/.test(text)) {
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = v == null ? undefined : String(v);
  return { status: response.status, headers, text, json };
}

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Config } from '../config/schema';
import { orderWorkflowId, retrySignal, statusQuery } from '../workflows/order-messages';
import { opsSnapshot } from './ops-snapshot';
import { OPS_APP_JS, OPS_HTML } from './ops-page-assets';

/**
 * The ops page, served by the gateway process:
 *   GET  /ops               the page (no data in it; open it as /ops#token=<ops token>)
 *   GET  /ops/app.js        its script
 *   GET  /ops/api/snapshot  the data (Authorization: Bearer <ops token>)
 *   POST /ops/api/retry     {"channel","incrementId"}: the `retry` signal, as `orders retry` sends it
 * The token travels in the URL fragment, which browsers never send, and then in a header, so it
 * is in no access log. Without a configured token every /ops route answers 404.
 */
const RetryBody = z.object({ channel: z.string().min(1), incrementId: z.string().min(1).max(64) });

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

function authorized(req: IncomingMessage, expected: string): boolean {
  const given = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Answers the request when it is for /ops; false when the path is not the ops page's. */
export async function handleOps(
  deps: { config: Config; client: Client },
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
  raw: () => Promise<string | null>,
): Promise<boolean> {
  if (parts[0] !== 'ops') return false;
  const token = deps.config.ops.token?.reveal();
  if (!token) {
    json(res, 404, { error: 'not found' });
    return true;
  }
  const route = `${req.method} /${parts.join('/')}`;
  if (route === 'GET /ops') {
    send(res, 200, 'text/html; charset=utf-8', OPS_HTML, {
      'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
      'referrer-policy': 'no-referrer',
    });
    return true;
  }
  if (route === 'GET /ops/app.js') {
    send(res, 200, 'text/javascript; charset=utf-8', OPS_APP_JS);
    return true;
  }
  if (!authorized(req, token)) {
    json(res, 401, { error: 'the ops token is missing or wrong' });
    return true;
  }
  if (route === 'GET /ops/api/snapshot') {
    json(res, 200, await opsSnapshot(deps.client, deps.config));
    return true;
  }
  if (route === 'POST /ops/api/retry') {
    let body: unknown = null;
    try {
      body = JSON.parse((await raw()) ?? 'null');
    } catch {
      // answered as a bad body below
    }
    const parsed = RetryBody.safeParse(body);
    if (!parsed.success) {
      json(res, 400, { error: 'expected {"channel": "...", "incrementId": "..."}' });
      return true;
    }
    const { channel, incrementId } = parsed.data;
    if (!deps.config.channels.some((c) => c.code === channel)) {
      json(res, 404, { error: `no channel "${channel}"` });
      return true;
    }
    const handle = deps.client.workflow.getHandle(orderWorkflowId(channel, incrementId));
    try {
      // the same check and the same signal as `orders retry`
      const status = await handle.query(statusQuery);
      if (status.phase !== 'needs_attention') {
        json(res, 409, { error: `order ${incrementId} is not parked (${status.phase}): nothing to retry` });
        return true;
      }
      await handle.signal(retrySignal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        json(res, 404, { error: `no workflow for order ${incrementId}` });
        return true;
      }
      throw err;
    }
    json(res, 200, { ok: true, message: `order ${incrementId}: retry sent` });
    return true;
  }
  json(res, 404, { error: 'not found' });
  return true;
}

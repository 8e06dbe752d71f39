import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Fault injection and request counting shared by both sandboxes. Rules match a route key
 * ("GET /V1/orders/:id", "sale.order.action_confirm") or "*" and apply in order; the first whose
 * dice roll fires decides. Counters are what tests and benchmarks assert on ("exactly one
 * create"), so they count every request that reached the sandbox, faulted or not.
 */
export interface FaultRule {
  /** route key or "*" */
  route: string;
  /** added delay before answering, in ms */
  latencyMs?: number;
  /** 0..1: probability that this rule's fault fires on a request */
  rate?: number;
  /** what happens when it fires */
  fault?: 'error500' | 'error503' | 'rate_limit' | 'timeout' | 'drop' | 'html200' | 'truncated' | 'empty200';
  /** for rate_limit: the Retry-After header, in seconds */
  retryAfterSeconds?: number;
  /** fire on this many requests, then the rule retires (deterministic tests) */
  times?: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly fired = new Map<FaultRule, number>();

  constructor(private readonly random: () => number = Math.random) {}

  set(rules: FaultRule[]): void {
    this.rules = [...rules];
    this.fired.clear();
  }

  add(rule: FaultRule): void {
    this.rules.push(rule);
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  clear(): void {
    this.set([]);
  }

  /**
   * Applies latency and, when a fault fires, answers the request itself and returns true:
   * the caller must then stop handling it.
   */
  async apply(route: string, res: ServerResponse): Promise<boolean> {
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (!rule.fault) continue;
      const used = this.fired.get(rule) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      if (this.random() >= (rule.rate ?? 1)) continue;
      this.fired.set(rule, used + 1);
      switch (rule.fault) {
        case 'error500':
          sendJson(res, 500, { message: 'Internal Error. Details are available in Magento log file. Report ID: sandbox' });
          return true;
        case 'error503':
          res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
          return true;
        case 'rate_limit':
          res
            .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(rule.retryAfterSeconds ?? 1) })
            .end(JSON.stringify({ message: 'Too many requests' }));
          return true;
        case 'timeout':
          // Never answer; the client's own timeout must fire. The socket is closed when the
          // server shuts down.
          return true;
        case 'drop':
          res.socket?.destroy();
          return true;
        // What a proxy or a restarting PHP-FPM / Odoo worker answers with status 200.
        case 'html200':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body><h1>Down for maintenance</h1></body></html>');
          return true;
        case 'truncated':
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"items":[{"entity_id":1,"increment_id":"0000');
          return true;
        case 'empty200':
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' }).end();
          return true;
      }
    }
    return false;
  }
}

export class RequestCounter {
  private readonly counts = new Map<string, number>();

  hit(route: string): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
  }

  get(route: string): number {
    return this.counts.get(route) ?? 0;
  }

  /** sum over these routes, e.g. an Odoo model's creates: `create`, and `web_save` (create and read back) */
  any(...routes: string[]): number {
    return routes.reduce((total, route) => total + this.get(route), 0);
  }

  /** sum over routes whose key starts with the prefix, e.g. "POST " for all creates */
  sum(prefix = ''): number {
    let total = 0;
    for (const [route, n] of this.counts) if (route.startsWith(prefix)) total += n;
    return total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw new Error(`request body over ${limitBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

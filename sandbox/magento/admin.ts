import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, type FaultInjector, type FaultRule, type RequestCounter } from '../faults';
import type { OrderSpec } from './order-factory';
import type { Json } from './state';

/**
 * Test and demo controls under /__sandbox/ (not Magento routes, so no OAuth and no counting):
 *   GET    /__sandbox/health
 *   GET    /__sandbox/counters            POST /__sandbox/counters/reset
 *   GET    /__sandbox/faults              PUT (replace with a list) · POST (add one) · DELETE (clear)
 *   POST   /__sandbox/reset               re-seed the demo world; body {"orders": n} optional
 *   POST   /__sandbox/orders              body: OrderSpec plus "count"; answers {"orders": [...]}
 *   GET    /__sandbox/orders/:id          the stored order as GET /V1/orders/:id renders it
 *   POST   /__sandbox/orders/verbatim     a recorded 2.4.7 order body, bare or {"order", "invoices",
 *                                          "shipments", "creditmemos"}; answers {"entity_id": N}
 */
export interface AdminTarget {
  counters: RequestCounter;
  faults: FaultInjector;
  reset(orders?: number): void;
  createOrders(spec: OrderSpec, count: number): Json[];
  renderOrder(id: number): Json | undefined;
  addVerbatimOrder(order: Json, documents: Partial<Record<'invoices' | 'shipments' | 'creditmemos', Json[]>>): number;
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, target: AdminTarget): Promise<void> {
  const method = req.method ?? 'GET';
  const text = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    sendJson(res, 400, { message: 'body is not JSON' });
    return;
  }
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  const orderMatch = /^GET \/__sandbox\/orders\/(\d+)$/.exec(route);
  try {
    if (route === 'GET /__sandbox/health') return sendJson(res, 200, { ok: true });
    if (route === 'GET /__sandbox/counters') return sendJson(res, 200, target.counters.snapshot());
    if (route === 'POST /__sandbox/counters/reset') {
      target.counters.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'GET /__sandbox/faults') return sendJson(res, 200, target.faults.list());
    if (route === 'PUT /__sandbox/faults') {
      target.faults.set(Array.isArray(body) ? (body as FaultRule[]) : []);
      return sendJson(res, 200, target.faults.list());
    }
    if (route === 'POST /__sandbox/faults') {
      if (!body || typeof body !== 'object' || !('route' in body)) return sendJson(res, 400, { message: 'a fault rule needs "route"' });
      target.faults.add(body as FaultRule);
      return sendJson(res, 200, target.faults.list());
    }
    if (route === 'DELETE /__sandbox/faults') {
      target.faults.clear();
      return sendJson(res, 200, []);
    }
    if (route === 'POST /__sandbox/reset') {
      const orders = (body as { orders?: number } | undefined)?.orders;
      target.reset(typeof orders === 'number' ? orders : undefined);
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /__sandbox/orders') {
      const spec = (body ?? {}) as OrderSpec & { count?: number };
      const count = Math.max(1, Math.min(1000, Number(spec.count ?? 1)));
      return sendJson(res, 200, { orders: target.createOrders(spec, count) });
    }
    if (route === 'POST /__sandbox/orders/verbatim') {
      const wrapped = body && typeof body === 'object' && !Array.isArray(body) && 'order' in body ? (body as Record<string, unknown>) : { order: body };
      const order = wrapped.order as Json | undefined;
      if (!order || typeof order !== 'object' || Array.isArray(order) || typeof order.increment_id !== 'string' || !Array.isArray(order.items)) {
        return sendJson(res, 400, { message: 'a verbatim order is a GET /V1/orders/:id body (increment_id and items at least)' });
      }
      const docs = (key: string) => (Array.isArray(wrapped[key]) ? (wrapped[key] as Json[]) : []);
      return sendJson(res, 200, { entity_id: target.addVerbatimOrder(order, { invoices: docs('invoices'), shipments: docs('shipments'), creditmemos: docs('creditmemos') }) });
    }
    if (orderMatch) {
      const order = target.renderOrder(Number(orderMatch[1]));
      return order ? sendJson(res, 200, order) : sendJson(res, 404, { message: 'no such order' });
    }
    sendJson(res, 404, { message: `unknown sandbox admin route ${route}` });
  } catch (err) {
    const e = err as { status?: number; body?: () => unknown; message?: string };
    if (typeof e.body === 'function') sendJson(res, e.status ?? 400, e.body());
    else sendJson(res, 500, { message: e.message ?? String(err) });
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Config } from '../config/schema';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { odooProgressSignal } from '../workflows/order-messages';
import { recordChangedSignal, recordSync, recordSyncWorkflowId, type RecordSyncInput } from '../workflows/recordSync';
import { triggerOrder } from './order-trigger';
import { createMemoryReplayStore, type ReplayStore } from '../store/webhook-replays';
import {
  adobeTarget, AdobeCloudEventSchema, CommerceWebhookSchema, verifyCommerceWebhook, verifyIoEventsDelivery, type AdobeTarget,
} from './adobe-events';
import { handleOps } from './ops-page';

/**
 * Accepts events and turns them into signal-with-starts. It never calls Magento or Odoo itself:
 * it only tells the right workflow to look, so a forged or repeated event can at worst cause a
 * harmless extra look. Two kinds of sender:
 *
 *  POST /hooks/odoo/<channel>/<token>
 *    Odoo 17+ "Send Webhook Notification": body {"_model","_id","_action", ...selected fields},
 *    no signature, no custom header, 1-second timeout. Authenticated by the token in the URL,
 *    answered 202 at once; the workflow lookup happens after the answer.
 *
 *  POST /hooks/magento/<channel>
 *    Signed senders. Headers: X-M2O-Timestamp (unix seconds) and
 *    X-M2O-Signature: sha256=<hex HMAC-SHA256(signingSecret, "<timestamp>.<raw body>")>.
 *    Body (MagentoEventSchema): {"event": "order.saved", "increment_id": "000000042",
 *    "status": "processing", "updated_at": "2026-11-23 10:00:00", "event_id": "optional unique id"}.
 *    Stale timestamps and replayed signatures are refused.
 *
 *  GET  /hooks/adobe-io/<channel>?challenge=…   Adobe I/O Events registration: echoed back.
 *  POST /hooks/adobe-io/<channel>               Adobe I/O Events deliveries (CloudEvents), RSA
 *    signatures against the channel's configured public key files (client/adobe-events.ts). A
 *    redelivered event id is answered 200 without acting (Adobe retries for a day, so no stale
 *    check on `time`; the id is the replay guard).
 *  POST /hooks/adobe-commerce/<channel>         Adobe Commerce webhooks, RSA signature against
 *    the store's public key file; a replayed signature is answered {"op":"success"} without acting.
 *  Order events become the same signal-with-start as the HMAC events; product events a
 *  real-time catalog sync of the SKU where the channel's catalog master is Magento.
 */
export const MagentoEventSchema = z.object({
  event: z.enum(['order.saved', 'order.placed', 'order.canceled', 'creditmemo.saved', 'shipment.saved', 'invoice.saved']),
  increment_id: z.string().min(1),
  status: z.string().optional(),
  updated_at: z.string().optional(),
  event_id: z.string().optional(),
});
export type MagentoEvent = z.infer<typeof MagentoEventSchema>;

export const OdooEventSchema = z.looseObject({
  _model: z.string(),
  _id: z.number().int(),
  _action: z.string().optional(),
  client_order_ref: z.union([z.string(), z.literal(false)]).optional(),
  origin: z.union([z.string(), z.literal(false)]).optional(),
  invoice_origin: z.union([z.string(), z.literal(false)]).optional(),
  name: z.string().optional(),
  default_code: z.union([z.string(), z.literal(false)]).optional(),
  product_id: z.union([z.number().int(), z.tuple([z.number().int(), z.string()])]).optional(),
  // a delivery's sale order: Odoo's notification reads many2ones as bare ids
  sale_id: z.union([z.number().int(), z.tuple([z.number().int(), z.string()]), z.literal(false)]).optional(),
});

export interface GatewayDeps {
  config: Config;
  client: Client;
  /** the SKU of an Odoo product.product id, for stock events (which name the product by id) */
  skuOfProduct?: (channel: string, productId: number) => Promise<string | null>;
  /** the name of an Odoo sale.order id, for delivery events (which name their order by sale_id) */
  saleOrderName?: (channel: string, orderId: number) => Promise<string | null>;
  /** signed events already accepted; PostgreSQL in production (survives restarts), memory by default */
  replays?: ReplayStore;
  /** real-time record syncs wait this long for more edits before writing (default 10 s) */
  debounceMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Gateway { url: string; server: Server; close(): Promise<void>; pending(): Promise<void> }

const MAX_BODY = 256 * 1024;

export function signMagentoEvent(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readRaw(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookGateway(deps: GatewayDeps, listen: { host?: string; port?: number } = {}): Promise<Gateway> {
  const { config, client } = deps;
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((line: string) => console.log(`[gateway] ${line}`));
  const maxSkewMs = config.gateway.maxSkewSeconds * 1000;
  // Signatures seen within the skew window: a replay inside the window is refused, one outside
  // it is already stale. Kept in PostgreSQL by `npm run gateway`, so a restart forgets nothing.
  const replays = deps.replays ?? createMemoryReplayStore();
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const channelOf = (code: string | undefined) => config.channels.find((c) => c.code === code);

  async function onOdoo(res: ServerResponse, channelCode: string | undefined, token: string | undefined, raw: string): Promise<void> {
    const channel = channelOf(channelCode);
    const expected = channel?.webhooks.odooToken?.reveal();
    // One answer for unknown channel, no token configured, and wrong token: nothing to probe.
    if (!channel || !expected || !token || !safeEqual(token, expected)) return reply(res, 404, { error: 'not found' });
    let event: z.infer<typeof OdooEventSchema>;
    try {
      event = OdooEventSchema.parse(JSON.parse(raw));
    } catch (err) {
      return reply(res, 400, { error: `not an Odoo webhook body: ${(err as Error).message.slice(0, 200)}` });
    }
    // Odoo gives up after one second: answer first, find the workflow afterwards.
    reply(res, 202, { accepted: true });
    track(
      routeOdooEvent(deps, channel.code, event).then(
        (target) => log(`odoo ${event._model}#${event._id} ${event._action ?? ''} → ${target ?? 'no matching order workflow'}`),
        (err: Error) => log(`odoo ${event._model}#${event._id}: ${err.message}`),
      ),
    );
  }

  async function onMagento(req: IncomingMessage, res: ServerResponse, channelCode: string | undefined, raw: string): Promise<void> {
    const channel = channelOf(channelCode);
    const secret = channel?.webhooks.signingSecret?.reveal();
    if (!channel || !secret) return reply(res, 404, { error: 'not found' });
    const timestamp = Number(req.headers['x-m2o-timestamp']);
    const signature = String(req.headers['x-m2o-signature'] ?? '');
    if (!Number.isInteger(timestamp) || !safeEqual(signature, signMagentoEvent(secret, timestamp, raw))) {
      return reply(res, 401, { error: 'bad signature' });
    }
    if (Math.abs(now() - timestamp * 1000) > maxSkewMs) return reply(res, 401, { error: 'stale event' });
    let event: MagentoEvent;
    try {
      event = MagentoEventSchema.parse(JSON.parse(raw));
    } catch (err) {
      return reply(res, 400, { error: `invalid event: ${(err as Error).message.slice(0, 300)}` });
    }
    if (!(await replays.remember(channel.code, signature, timestamp * 1000, maxSkewMs, now()))) return reply(res, 409, { error: 'replayed event' });
    const outcome = await triggerOrder(client, config.temporal.taskQueues.orders, { channel: channel.code, incrementId: event.increment_id }, {
      status: event.event === 'order.canceled' ? 'canceled' : event.status,
      updatedAt: event.updated_at,
    });
    log(`magento ${event.event} ${event.increment_id} → ${outcome}`);
    reply(res, 202, { accepted: true, workflow: outcome });
  }

  // Adobe replay guards: I/O event ids and Commerce webhook signatures seen lately (bounded).
  const adobeSeen = new Map<string, number>();
  const ADOBE_MEMORY_MS = 24 * 60 * 60_000;
  const firstTime = (key: string): boolean => {
    for (const [k, at] of adobeSeen) if (now() - at > ADOBE_MEMORY_MS || adobeSeen.size > 50_000) adobeSeen.delete(k);
    if (adobeSeen.has(key)) return false;
    adobeSeen.set(key, now());
    return true;
  };

  async function routeAdobe(channel: NonNullable<ReturnType<typeof channelOf>>, source: string, target: AdobeTarget): Promise<string> {
    if (target.kind === 'order') {
      const outcome = await triggerOrder(client, config.temporal.taskQueues.orders, { channel: channel.code, incrementId: target.incrementId }, {
        status: target.status, updatedAt: target.updatedAt,
      });
      return `order ${target.incrementId} → ${outcome}`;
    }
    if (target.kind === 'product') {
      // Only a Magento-mastered catalog reads Magento products; elsewhere Odoo's events drive it.
      if (channel.catalog.master !== 'magento') return `product ${target.sku} ignored (catalog master is Odoo)`;
      return `product ${target.sku} → ${await startRecordSync(deps, { channel: channel.code, stream: 'catalog', key: target.sku }, source)}`;
    }
    return `ignored: ${target.why}`;
  }

  async function onAdobeIo(req: IncomingMessage, res: ServerResponse, channelCode: string | undefined, raw: string | null, query: URLSearchParams): Promise<void> {
    const channel = channelOf(channelCode);
    if (!channel?.webhooks.adobeIoEvents) return reply(res, 404, { error: 'not found' });
    const challenge = query.get('challenge');
    if (req.method === 'GET') return challenge ? reply(res, 200, { challenge }) : reply(res, 404, { error: 'not found' });
    if (raw === null) return reply(res, 413, { error: 'body too large' });
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    if (!verifyIoEventsDelivery(channel, raw, [header('x-adobe-digital-signature-1'), header('x-adobe-digital-signature-2')])) {
      return reply(res, 401, { error: 'bad signature' });
    }
    let event;
    try {
      event = AdobeCloudEventSchema.parse(JSON.parse(raw));
    } catch (err) {
      return reply(res, 400, { error: `not a CloudEvent: ${(err as Error).message.slice(0, 300)}` });
    }
    if (!firstTime(`io:${channel.code}:${event.id}`)) return reply(res, 200, { accepted: false, duplicate: true });
    const outcome = await routeAdobe(channel, event.type, adobeTarget(event.type, event.data?.value));
    log(`adobe-io ${event.type} ${event.id}: ${outcome}`);
    reply(res, 200, { accepted: true });
  }

  async function onAdobeCommerce(req: IncomingMessage, res: ServerResponse, channelCode: string | undefined, raw: string): Promise<void> {
    const channel = channelOf(channelCode);
    if (!channel?.webhooks.adobeCommerce) return reply(res, 404, { error: 'not found' });
    const signature = typeof req.headers['x-adobe-commerce-webhook-signature'] === 'string' ? req.headers['x-adobe-commerce-webhook-signature'] : undefined;
    if (!verifyCommerceWebhook(channel, raw, signature)) return reply(res, 401, { op: 'exception', message: 'bad signature' });
    let hook;
    try {
      hook = CommerceWebhookSchema.parse(JSON.parse(raw));
    } catch (err) {
      return reply(res, 400, { op: 'exception', message: `invalid webhook body: ${(err as Error).message.slice(0, 300)}` });
    }
    if (!firstTime(`commerce:${channel.code}:${signature}`)) return reply(res, 200, { op: 'success', duplicate: true });
    const outcome = await routeAdobe(channel, hook.eventName, adobeTarget(hook.eventName, hook.data?.order ?? hook.data?.product));
    log(`adobe-commerce ${hook.eventName}: ${outcome}`);
    reply(res, 200, { op: 'success' });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const parts = (req.url ?? '').split('?')[0]!.split('/').filter(Boolean);
      if (req.method === 'GET' && parts.length === 1 && parts[0] === 'health') return reply(res, 200, { ok: true });
      if (parts[0] === 'hooks' && parts[1] === 'adobe-io' && parts.length === 3 && (req.method === 'GET' || req.method === 'POST')) {
        const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
        return onAdobeIo(req, res, parts[2], req.method === 'POST' ? await readRaw(req) : '', query);
      }
      if (await handleOps({ config, client }, req, res, parts, () => readRaw(req))) return;
      if (req.method !== 'POST' || parts[0] !== 'hooks') return reply(res, 404, { error: 'not found' });
      const raw = await readRaw(req);
      if (raw === null) return reply(res, 413, { error: 'body too large' });
      if (parts[1] === 'odoo' && parts.length === 4) return onOdoo(res, parts[2], parts[3], raw);
      if (parts[1] === 'magento' && parts.length === 3) return onMagento(req, res, parts[2], raw);
      if (parts[1] === 'adobe-commerce' && parts.length === 3) return onAdobeCommerce(req, res, parts[2], raw);
      return reply(res, 404, { error: 'not found' });
    })().catch((err: Error) => {
      // Temporal unreachable and the like: the sender may retry; the poller is the safety net.
      log(`failed: ${err.message}`);
      if (!res.headersSent) reply(res, 503, { error: 'temporarily unavailable' });
    });
  });
  await new Promise<void>((resolve) => server.listen(listen.port ?? config.gateway.port, listen.host ?? config.gateway.host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    server,
    pending: async () => {
      await Promise.allSettled([...inFlight]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Catalog, stock and contact changes go to the record's own debounced sync workflow (categories
 * and attributes to the one catalog-structure workflow of the channel); everything else is order
 * progress.
 */
async function routeOdooEvent(deps: GatewayDeps, channel: string, event: z.infer<typeof OdooEventSchema>): Promise<string | null> {
  if (event._model === 'product.product' || event._model === 'product.template') {
    return event.default_code ? startRecordSync(deps, { channel, stream: 'catalog', key: event.default_code }, event._action) : null;
  }
  if (event._model === 'product.category' || event._model === 'product.attribute' || event._model === 'product.attribute.value') {
    return startRecordSync(deps, { channel, stream: 'catalog' }, event._action);
  }
  if (event._model === 'res.partner') {
    // Contacts flow back only where the channel enables it; elsewhere a partner edit is not ours.
    const enabled = deps.config.channels.find((c) => c.code === channel)?.customers.odooToMagento ?? false;
    return enabled ? startRecordSync(deps, { channel, stream: 'contacts', key: String(event._id) }, event._action) : null;
  }
  if (event._model === 'stock.quant' || event._model === 'stock.move') {
    const productId = Array.isArray(event.product_id) ? event.product_id[0] : event.product_id;
    const sku = productId && deps.skuOfProduct ? await deps.skuOfProduct(channel, productId) : null;
    return sku ? startRecordSync(deps, { channel, stream: 'stock', key: sku }, event._action) : null;
  }
  return signalOdooProgress(deps, channel, event);
}

async function startRecordSync(deps: GatewayDeps, input: RecordSyncInput, action: string | undefined): Promise<string> {
  const workflowId = recordSyncWorkflowId(input);
  await deps.client.workflow.signalWithStart(recordSync, {
    workflowId,
    taskQueue: deps.config.temporal.taskQueues.bulk,
    args: [{ ...input, debounceMs: deps.debounceMs }],
    signal: recordChangedSignal,
    signalArgs: [{ action }],
    // A finished sync of this record may be followed by a new one for the next edit.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return workflowId;
}

/**
 * A delivery's sale order name: through `sale_id`, because the `origin` text is not the order's
 * name on every version (18.0 writes "S00001 - 000000003" when the order has a customer
 * reference; 19.0 the bare "S00001"). A body with `origin` only still works where it is bare.
 */
async function deliveryOrderName(deps: GatewayDeps, channel: string, event: z.infer<typeof OdooEventSchema>): Promise<string | null> {
  const sale = event.sale_id;
  if (Array.isArray(sale)) return sale[1];
  if (typeof sale === 'number' && deps.saleOrderName) return deps.saleOrderName(channel, sale);
  return event.origin || null;
}

/**
 * Finds the order workflow an Odoo record belongs to through visibility (the OdooOrder search
 * attribute holds the sale order's name), and hurries it. Returns the workflow id, or null.
 */
async function signalOdooProgress(deps: GatewayDeps, channel: string, event: z.infer<typeof OdooEventSchema>): Promise<string | null> {
  const { client } = deps;
  let orderName: string | undefined;
  if (event._model === 'sale.order') orderName = event.name;
  else if (event._model === 'stock.picking') orderName = (await deliveryOrderName(deps, channel, event)) ?? undefined;
  else if (event._model === 'account.move') orderName = event.invoice_origin || undefined;
  const clauses = [`Channel = "${channel}"`, `WorkflowType = 'orderWorkflow'`, `ExecutionStatus = "Running"`];
  // A sale order by its name or its customer reference: that is the increment id, except for a
  // B2B order whose purchase order number took its place.
  const byName = orderName ? `OdooOrder = "${orderName.replace(/"/g, '')}"` : undefined;
  const byRef = event._model === 'sale.order' && event.client_order_ref ? `MagentoOrder = "${event.client_order_ref.replace(/"/g, '')}"` : undefined;
  if (byName && byRef) clauses.push(`(${byName} OR ${byRef})`);
  else if (byName ?? byRef) clauses.push((byName ?? byRef)!);
  else return null;
  for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
    await client.workflow.getHandle(wf.workflowId).signal(odooProgressSignal, { model: event._model, id: event._id });
    return wf.workflowId;
  }
  return null;
}

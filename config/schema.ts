import { z } from 'zod';
import type { Duration } from '@temporalio/common';
import { Secret } from './secret';
import { unknownKeysMessage } from './nearest-key';

/**
 * Every configuration object is strict: a typo ("retrys", a channel's "order") is an error that
 * names the key and the nearest valid one, not a setting silently dropped.
 */
function strictObject<S extends z.ZodRawShape>(shape: S) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, valid) : undefined),
  });
}

// Temporal accepts "90s", "5m", "1h", "1d" and friends; validating here turns a typo into a
// start-up error that names the field instead of a schedule that silently never fires.
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as "30s", "5m", "1h" or "1d"')
  .transform((value) => value as Duration);

const secret = z
  .string()
  .min(1, 'must not be empty')
  .transform((value) => new Secret(value));

const channelCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, "-" or "_", at most 32 characters');

export const MagentoAuthSchema = z.discriminatedUnion('mode', [
  // An Integration's credentials, signed per request (OAuth 1.0a, HMAC-SHA256). Works on every
  // 2.4 store; the default.
  strictObject({
    mode: z.literal('oauth1'),
    consumerKey: secret,
    consumerSecret: secret,
    accessToken: secret,
    accessTokenSecret: secret,
  }),
  // The Integration's access token as a Bearer token: only where the store has enabled
  // "oauth/consumer/enable_integration_as_bearer".
  strictObject({
    mode: z.literal('bearer'),
    accessToken: secret,
  }),
]);

// Retries of one failed request inside the client, before the activity fails (reads on any
// transient fault, writes only when surely not applied); see integrations/request-retry.ts.
const requestRetry = strictObject({
  attempts: z.number().int().min(1).max(10).default(3),
  initialDelayMs: z.number().int().min(0).default(200),
  maxDelayMs: z.number().int().min(0).default(2_000),
  // a longer Retry-After is left to the activity's retry (no worker slot held while waiting)
  maxRetryAfterMs: z.number().int().min(0).default(2_000),
}).optional();

export const MagentoSchema = strictObject({
  baseUrl: z.url(),
  storeCode: z.string().min(1).default('default'),
  auth: MagentoAuthSchema,
  timeoutMs: z.number().int().positive().default(30_000),
  retry: requestRetry,
});

export const OdooSchema = strictObject({
  url: z.url(),
  database: z.string().min(1),
  login: z.string().min(1),
  apiKey: secret,
  // jsonrpc: /jsonrpc execute_kw (Odoo 16–18). json2: /json/2/<model>/<method> (Odoo 19+).
  flavour: z.enum(['jsonrpc', 'json2']),
  timeoutMs: z.number().int().positive().default(30_000),
  retry: requestRetry,
});

export const ChannelSchema = strictObject({
  code: channelCode,
  magento: MagentoSchema,
  odoo: OdooSchema,
  orders: strictObject({
      // Magento order statuses that are imported; others wait until they reach one of these.
      importStatuses: z.array(z.string().min(1)).min(1).default(['pending', 'processing']),
      autoConfirm: z.boolean().default(true),
      syncCancellations: z.boolean().default(true),
      syncRefunds: z.boolean().default(true),
      syncShipments: z.boolean().default(true),
      syncInvoices: z.boolean().default(true),
      // Days a completed order's workflow stays open for refunds (merchants refund weeks
      // later); 0 ends the workflow as soon as the order is complete.
      followUpDays: z.number().int().min(0).max(365).default(30),
      // Order currency (ISO code) → Odoo pricelist id in that currency. Unlisted currencies use
      // the one active Odoo pricelist in that currency; none (or several) parks the order.
      pricelists: z.record(z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code such as EUR'), z.number().int().positive()).default({}),
      // Odoo product (SKU) of the rounding-difference line, added only when no stored unit price or
      // discount lets Odoo's rounded arithmetic reach Magento's grand total; unset, such an order parks.
      roundingSku: z.string().min(1).optional(),
      // Payment method code → how it is paid: "online" (Magento invoices at checkout) or
      // "offline" (Odoo invoices), and the Odoo journal its payments go to. Needed for methods that
      // are not Magento core ones (a custom gateway, "bitcoin"): unmapped, such an order parks.
      // Who invoices an offline order (cheque, transfer, cash on delivery). "odoo" (as both seed
      // manuals say): the user invoices in Odoo and the connector pushes that invoice to Magento;
      // "on_confirm": the connector invoices in Odoo when the order is confirmed; "on_delivery":
      // once goods are delivered. An order Magento already invoiced is invoiced in Odoo whatever this says.
      offlineInvoicing: z.enum(['odoo', 'on_confirm', 'on_delivery']).default('odoo'),
      paymentMethods: z.record(z.string().min(1), strictObject({ kind: z.enum(['online', 'offline']), journal: z.number().int().positive().optional() })).default({}),
    })
    .prefault({}),
  inventory: strictObject({
      enabled: z.boolean().default(true),
      // Odoo warehouse code whose stock is published to Magento.
      warehouse: z.string().min(1).default('WH'),
      // msi: /V1/inventory/source-items; legacy: /V1/products/:sku/stockItems/:itemId
      target: z.enum(['msi', 'legacy']).default('msi'),
      sourceCode: z.string().min(1).default('default'),
    })
    .prefault({}),
  catalog: strictObject({
      // An Odoo attribute that makes variants needs a Magento dropdown attribute with the same
      // code ("Color" → color). true: the catalog sync creates it (global scope) and adds it to
      // the attribute set below; false: products that need it are reported until ops create it.
      createAttributes: z.boolean().default(true),
      // the attribute set every synced product uses (4 = "Default" on a stock Magento)
      attributeSetId: z.number().int().positive().default(4),
      // odoo (unset): Odoo is the catalog master, the catalog stream writes Magento. magento:
      // the catalog stream reads Magento and writes Odoo (categories, variant attributes, simple
      // and configurable products); run a full resync after switching.
      master: z.enum(['odoo', 'magento']).optional(),
      // with master magento: a new product's Magento quantity enters Odoo once, as an inventory
      // adjustment left counted for ops to apply (draft) or applied (apply); off (unset): never
      initialStock: z.enum(['off', 'draft', 'apply']).optional(),
      // the main product image both ways (Odoo image ⇄ Magento gallery entry with the roles image,
      // small_image, thumbnail), in the catalog stream's direction, only when the bytes changed
      images: z.boolean().optional(),
    })
    .prefault({}),
  customers: strictObject({
      // Contact changes made in Odoo (names, addresses, phone numbers, new delivery addresses
      // of a synced customer) are written back to Magento by the "contacts" stream. Off by
      // default: most shops treat Magento as the owner of customer data.
      odooToMagento: z.boolean().default(false),
    })
    .prefault({}),
  reference: strictObject({
      // Magento's core REST API lists no payment methods, and carriers only for a cart, so the
      // reference sync learns them from recent orders plus these codes (methods the store
      // offers that nobody has used yet): payment codes such as "checkmo", shipping method
      // codes "<carrier>_<method>" such as "ups_GND".
      paymentMethods: z.array(z.string().min(1)).default([]),
      shippingMethods: z.array(z.string().min(1)).default([]),
      // how many of the most recent orders are scanned for payment and shipping methods
      recentOrders: z.number().int().min(0).max(1000).default(200),
    })
    .prefault({}),
  // Where an imported order belongs in Odoo (Brainvire's per-channel sales settings). Names as
  // Odoo shows them: payment terms ("30 Days"), sales teams ("Website"), companies; warehouses by
  // code ("WH"). Unset: Odoo's own defaults, as before. A name Odoo does not have parks the order.
  orderDefaults: strictObject({
      paymentTerms: strictObject({
          // the channel's default payment term
          default: z.string().min(1).optional(),
          // per Magento payment method code: { "checkmo": "30 Days", "banktransfer": "15 Days" }
          byMethod: z.record(z.string(), z.string().min(1)).default({}),
        })
        .prefault({}),
      // per Magento store view code, then per website code: the Odoo sales team, warehouse and
      // (multi-company) company of its orders
      storeViews: z.record(z.string(), strictObject({ team: z.string().min(1).optional(), warehouse: z.string().min(1).optional(), company: z.string().min(1).optional() })).default({}),
      websites: z.record(z.string(), strictObject({ team: z.string().min(1).optional(), warehouse: z.string().min(1).optional(), company: z.string().min(1).optional() })).default({}),
    })
    .prefault({}),
  orderStatus: strictObject({
      // Odoo milestones (confirmed, delivered, invoiced, paid, cancelled) as comments in the
      // Magento order's status history, once each.
      comments: z.boolean().default(false),
      // those comments e-mail the customer (and show in their account); off: admin-only notes
      notifyCustomer: z.boolean().default(false),
      // the Magento status as a tag on the Odoo order ("Magento: processing"), one at a time
      odooTag: z.boolean().default(false),
    })
    .prefault({}),
  webhooks: strictObject({
      // Odoo's "Send Webhook Notification" cannot sign or add headers: the token in the URL
      // (/hooks/odoo/<channel>/<token>) is its only credential. Long and random, please.
      odooToken: secret.refine((s) => s.reveal().length >= 24, 'must be at least 24 characters').optional(),
      // HMAC-SHA256 key shared with senders that can sign (a Magento webhook module, our tools).
      signingSecret: secret.refine((s) => s.reveal().length >= 24, 'must be at least 24 characters').optional(),
      // Adobe I/O Events deliveries (/hooks/adobe-io/<channel>): Adobe's public keys saved as PEM
      // files (the gateway fetches nothing from the internet); a delivery is accepted when one
      // key verifies x-adobe-digital-signature-1 or -2.
      adobeIoEvents: strictObject({ publicKeyFiles: z.array(z.string().min(1)).min(1) }).optional(),
      // Adobe Commerce webhooks (/hooks/adobe-commerce/<channel>): the store's public key (PEM
      // file) that verifies x-adobe-commerce-webhook-signature.
      adobeCommerce: strictObject({ publicKeyFile: z.string().min(1) }).optional(),
    })
    .prefault({}),
  sync: strictObject({
      batchSize: z.number().int().min(1).max(1000).default(100),
      // Stock pages are cheap reads (a SKU, a quantity) and only changed SKUs are written, in one
      // batch per page: pages this big keep a 100k-SKU run at ~100 round trips.
      stockBatchSize: z.number().int().min(1).max(10_000).default(1000),
      schedules: strictObject({
          orders: duration.default('1m'),
          stock: duration.default('5m'),
          // every SKU written again, whatever was pushed before: repairs stock edited in
          // Magento by hand or by another extension (the 5-minute runs write only changes)
          stockFull: duration.default('1d'),
          catalog: duration.default('15m'),
          customers: duration.default('1h'),
          contacts: duration.default('15m'),
          reference: duration.default('1d'),
        })
        .prefault({}),
    })
    .prefault({}),
});

export const ConfigSchema = strictObject({
    temporal: strictObject({
        address: z.string().min(1).default('127.0.0.1:7233'),
        namespace: z.string().min(1).default('default'),
        tls: strictObject({
            enabled: z.boolean().default(false),
            serverName: z.string().optional(),
            caFile: z.string().optional(),
            certFile: z.string().optional(),
            keyFile: z.string().optional(),
          })
          .prefault({}),
        apiKey: secret.optional(),
        taskQueues: strictObject({
            orders: z.string().min(1).default('orders'),
            bulk: z.string().min(1).default('bulk-sync'),
          })
          .prefault({}),
      })
      .prefault({}),
    database: strictObject({
        // Unset: `npm start` runs an embedded PostgreSQL (PGlite) and fills this in.
        url: secret.optional(),
      })
      .prefault({}),
    retries: strictObject({
        // 0 = retry transient faults until they stop; non-retryable failures never retry.
        maximumAttempts: z.number().int().min(0).default(0),
        initialInterval: duration.default('1s'),
        maximumInterval: duration.default('5m'),
      })
      .prefault({}),
    history: strictObject({
        // What the existing connectors call "log expiry": how long Temporal keeps the event
        // history of closed workflows. Applied as the namespace's retention.
        retentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .prefault({}),
    worker: strictObject({
        maxConcurrentActivities: z.number().int().positive().default(20),
        maxCachedWorkflows: z.number().int().positive().default(500),
        shutdownGraceTime: duration.default('10s'),
      })
      .prefault({}),
    gateway: strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
        // signed events older (or further in the future) than this are refused as stale
        maxSkewSeconds: z.number().int().positive().default(300),
      })
      .prefault({}),
    // The ops page the gateway serves at /ops: off until a token is set.
    ops: z
      .object({
        token: z.string().min(24, 'at least 24 characters').transform((value) => new Secret(value)).optional(),
        // where each row's "Temporal UI" link points (the Web UI of the server above)
        temporalUiUrl: z.string().url().default('http://127.0.0.1:8233'),
      })
      .prefault({}),
    channels: z.array(ChannelSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.channels.forEach((channel, index) => {
      if (seen.has(channel.code)) {
        ctx.addIssue({ code: 'custom', path: ['channels', index, 'code'], message: `duplicate channel code "${channel.code}"` });
      }
      seen.add(channel.code);
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ChannelConfig = z.infer<typeof ChannelSchema>;
export type MagentoConfig = z.infer<typeof MagentoSchema>;
export type OdooConfig = z.infer<typeof OdooSchema>;

import { z } from 'zod';
import type { Duration } from '@temporalio/common';
import { Secret } from './secret';

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
  z.object({
    mode: z.literal('oauth1'),
    consumerKey: secret,
    consumerSecret: secret,
    accessToken: secret,
    accessTokenSecret: secret,
  }),
  // The Integration's access token as a Bearer token: only where the store has enabled
  // "oauth/consumer/enable_integration_as_bearer".
  z.object({
    mode: z.literal('bearer'),
    accessToken: secret,
  }),
]);

export const MagentoSchema = z.object({
  baseUrl: z.url(),
  storeCode: z.string().min(1).default('default'),
  auth: MagentoAuthSchema,
  timeoutMs: z.number().int().positive().default(30_000),
});

export const OdooSchema = z.object({
  url: z.url(),
  database: z.string().min(1),
  login: z.string().min(1),
  apiKey: secret,
  // jsonrpc: /jsonrpc execute_kw (Odoo 16–18). json2: /json/2/<model>/<method> (Odoo 19+).
  flavour: z.enum(['jsonrpc', 'json2']),
  timeoutMs: z.number().int().positive().default(30_000),
});

export const ChannelSchema = z.object({
  code: channelCode,
  magento: MagentoSchema,
  odoo: OdooSchema,
  orders: z
    .object({
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
    })
    .prefault({}),
  inventory: z
    .object({
      enabled: z.boolean().default(true),
      // Odoo warehouse code whose stock is published to Magento.
      warehouse: z.string().min(1).default('WH'),
      // msi: /V1/inventory/source-items; legacy: /V1/products/:sku/stockItems/:itemId
      target: z.enum(['msi', 'legacy']).default('msi'),
      sourceCode: z.string().min(1).default('default'),
    })
    .prefault({}),
  catalog: z
    .object({
      // An Odoo attribute that makes variants needs a Magento dropdown attribute with the same
      // code ("Color" → color). true: the catalog sync creates it (global scope) and adds it to
      // the attribute set below; false: products that need it are reported until ops create it.
      createAttributes: z.boolean().default(true),
      // the attribute set every synced product uses (4 = "Default" on a stock Magento)
      attributeSetId: z.number().int().positive().default(4),
    })
    .prefault({}),
  customers: z
    .object({
      // Contact changes made in Odoo (names, addresses, phone numbers, new delivery addresses
      // of a synced customer) are written back to Magento by the "contacts" stream. Off by
      // default: most shops treat Magento as the owner of customer data.
      odooToMagento: z.boolean().default(false),
    })
    .prefault({}),
  reference: z
    .object({
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
  webhooks: z
    .object({
      // Odoo's "Send Webhook Notification" cannot sign or add headers: the token in the URL
      // (/hooks/odoo/<channel>/<token>) is its only credential. Long and random, please.
      odooToken: secret.refine((s) => s.reveal().length >= 24, 'must be at least 24 characters').optional(),
      // HMAC-SHA256 key shared with senders that can sign (a Magento webhook module, our tools).
      signingSecret: secret.refine((s) => s.reveal().length >= 24, 'must be at least 24 characters').optional(),
    })
    .prefault({}),
  sync: z
    .object({
      batchSize: z.number().int().min(1).max(1000).default(100),
      schedules: z
        .object({
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

export const ConfigSchema = z
  .object({
    temporal: z
      .object({
        address: z.string().min(1).default('127.0.0.1:7233'),
        namespace: z.string().min(1).default('default'),
        tls: z
          .object({
            enabled: z.boolean().default(false),
            serverName: z.string().optional(),
            caFile: z.string().optional(),
            certFile: z.string().optional(),
            keyFile: z.string().optional(),
          })
          .prefault({}),
        apiKey: secret.optional(),
        taskQueues: z
          .object({
            orders: z.string().min(1).default('orders'),
            bulk: z.string().min(1).default('bulk-sync'),
          })
          .prefault({}),
      })
      .prefault({}),
    database: z
      .object({
        // Unset: `npm start` runs an embedded PostgreSQL (PGlite) and fills this in.
        url: secret.optional(),
      })
      .prefault({}),
    retries: z
      .object({
        // 0 = retry transient faults until they stop; non-retryable failures never retry.
        maximumAttempts: z.number().int().min(0).default(0),
        initialInterval: duration.default('1s'),
        maximumInterval: duration.default('5m'),
      })
      .prefault({}),
    history: z
      .object({
        // What the existing connectors call "log expiry": how long Temporal keeps the event
        // history of closed workflows. Applied as the namespace's retention.
        retentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .prefault({}),
    worker: z
      .object({
        maxConcurrentActivities: z.number().int().positive().default(20),
        maxCachedWorkflows: z.number().int().positive().default(500),
        shutdownGraceTime: duration.default('10s'),
      })
      .prefault({}),
    gateway: z
      .object({
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

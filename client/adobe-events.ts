import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ChannelConfig } from '../config/schema';

/**
 * Adobe's two event paths, as event sources beside the gateway's own HMAC events. Only the
 * parsing and the signature checks live here; the gateway maps what they yield to the same
 * signal-with-start as every other event.
 *
 *  Adobe I/O Events (webhook delivery, CloudEvents JSON):
 *    - registration: Adobe calls the URL with ?challenge=<text> (GET) and expects it echoed back;
 *    - deliveries carry x-adobe-digital-signature-1 and -2: base64 RSA-SHA256 signatures of the
 *      raw body under Adobe's two current keys (one of them valid at a time while keys rotate).
 *      Adobe publishes the keys on its CDN (x-adobe-public-key1-path / -2-path); nothing here
 *      fetches from the internet, so the merchant saves them as PEM files and configures the paths.
 *  Adobe Commerce webhooks (the synchronous webhooks module):
 *    - x-adobe-commerce-webhook-signature: base64 RSA-SHA256 signature of the raw body under the
 *      store's private key; verified with the store's public key file; answered {"op":"success"}
 *      so the store's own flow never waits on us.
 */

/** CloudEvents 1.0 as Adobe I/O Events delivers Commerce events: the entity is in data.value. */
export const AdobeCloudEventSchema = z.looseObject({
  specversion: z.string().optional(),
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().optional(),
  time: z.string().optional(),
  data: z.looseObject({ value: z.record(z.string(), z.unknown()).optional() }).optional(),
});
export type AdobeCloudEvent = z.infer<typeof AdobeCloudEventSchema>;

/** A Commerce webhook body: the hook's event name and the entity under its own key. */
export const CommerceWebhookSchema = z.looseObject({
  eventName: z.string().min(1),
  data: z.looseObject({
    order: z.record(z.string(), z.unknown()).optional(),
    product: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
});
export type CommerceWebhook = z.infer<typeof CommerceWebhookSchema>;

/** What an Adobe event asks for: look at an order, or sync a product (by SKU). */
export type AdobeTarget =
  | { kind: 'order'; incrementId: string; status?: string; updatedAt?: string }
  | { kind: 'product'; sku: string }
  | { kind: 'ignored'; why: string };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Maps an event name ("com.adobe.commerce.observer.sales_order_save_after",
 * "observer.catalog_product_save_after", "plugin.magento.sales.api.order_management.place") and
 * its entity to a target. Order events need an increment id; product events a SKU.
 */
export function adobeTarget(eventName: string, entity: Record<string, unknown> | undefined): AdobeTarget {
  const name = eventName.toLowerCase();
  const isOrder = /sales_order|\.order_management\.|sales\.api\.order/.test(name);
  const isProduct = /catalog_product|product_repository|catalog\.api\.product/.test(name);
  if (isOrder) {
    const incrementId = text(entity?.increment_id);
    if (!incrementId) return { kind: 'ignored', why: `${eventName} carries no increment_id` };
    const status = text(entity?.status);
    const updatedAt = text(entity?.updated_at);
    return { kind: 'order', incrementId, ...(status ? { status } : {}), ...(updatedAt ? { updatedAt } : {}) };
  }
  if (isProduct) {
    const sku = text(entity?.sku);
    return sku ? { kind: 'product', sku } : { kind: 'ignored', why: `${eventName} carries no sku` };
  }
  return { kind: 'ignored', why: `${eventName} is not an order or product event` };
}

const keyCache = new Map<string, KeyObject>();

/** A configured PEM public key, read once per process (an unreadable file fails loudly at the first delivery). */
export function publicKeyFrom(path: string): KeyObject {
  let key = keyCache.get(path);
  if (!key) {
    key = createPublicKey(readFileSync(path, 'utf8'));
    keyCache.set(path, key);
  }
  return key;
}

/** RSA-SHA256 over the raw body, base64 signature; false for anything malformed. */
export function verifyRsaSha256(key: KeyObject, raw: string, signatureBase64: string): boolean {
  if (!signatureBase64) return false;
  try {
    return createVerify('RSA-SHA256').update(raw, 'utf8').verify(key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** An I/O Events delivery is authentic when any configured key verifies either signature. */
export function verifyIoEventsDelivery(channel: ChannelConfig, raw: string, signatures: Array<string | undefined>): boolean {
  const files = channel.webhooks.adobeIoEvents?.publicKeyFiles ?? [];
  return files.some((file) => signatures.some((s) => s !== undefined && verifyRsaSha256(publicKeyFrom(file), raw, s)));
}

export function verifyCommerceWebhook(channel: ChannelConfig, raw: string, signature: string | undefined): boolean {
  const file = channel.webhooks.adobeCommerce?.publicKeyFile;
  return Boolean(file && signature && verifyRsaSha256(publicKeyFrom(file), raw, signature));
}

import { createHash } from 'node:crypto';
import type { MagentoClient, Product } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import type { BindingStore } from '../../store/bindings';

/** What the image code of both directions shares: hashes, file types, the Magento gallery's images. */

export interface ImageDeps {
  channel: string;
  magento: MagentoClient;
  odoo: OdooClient;
  bindings: BindingStore;
}

export function imageHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** the image type from its first bytes (Odoo stores any image; Magento accepts these three) */
export function imageType(bytes: Buffer): { mime: 'image/png' | 'image/jpeg' | 'image/gif'; ext: string } | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: 'image/png', ext: 'png' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return { mime: 'image/gif', ext: 'gif' };
  return null;
}

/** an image Magento cannot take (reported against the SKU; the run goes on) */
export class ImageProblem extends Error {}

/** a file name Magento's uploader accepts, from the SKU */
export function galleryFileName(sku: string, ext: string, suffix = ''): string {
  return `${sku.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'product'}${suffix}.${ext}`;
}

export interface GalleryImage {
  id?: number | null;
  types?: string[] | null;
  file?: string | null;
  label?: string | null;
  position?: number | null;
}

/**
 * A Magento product's gallery images (videos and disabled entries left out) and the main one:
 * the entry with the role "image", else the first.
 */
export function galleryImages(product: Product): { main: GalleryImage | undefined; extras: GalleryImage[] } {
  const entries = (product.media_gallery_entries ?? []) as Array<GalleryImage & { disabled?: boolean | null; media_type?: string | null }>;
  const images = entries.filter((e) => (e.media_type ?? 'image') === 'image' && e.file && !e.disabled);
  const main = images.find((e) => (e.types ?? []).includes('image')) ?? images[0];
  const extras = images
    .filter((e) => e !== main && typeof e.id === 'number')
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || Number(a.id) - Number(b.id));
  return { main, extras };
}

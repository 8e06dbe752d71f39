import type { Product } from '../../integrations/magento';
import type { RecordFailure } from './stream';
import { isRecordProblem, reasonOf } from './record-errors';
import { galleryFileName, galleryImages, ImageProblem, imageHash, imageType, type ImageDeps } from './image-files';
import { pullExtraImages, pushExtraImages } from './product-extra-images';
import { setTemplateMainImage, templateMainImages, variantOwnImages } from '../../integrations/odoo/product-images';

export { imageHash, imageType, ImageProblem, type ImageDeps } from './image-files';

/**
 * A product's images both ways (channel key catalog.images), written only when the bytes
 * changed: the binding keeps the SHA-256 of what was last written.
 *
 *  Odoo → Magento (catalog master odoo): the template's image_1920 becomes the gallery entry with
 *    the roles image, small_image and thumbnail; a changed image replaces the entry the connector
 *    made (Magento cannot swap an entry's file in place); an image removed in Odoo removes it.
 *    Entries added in the Magento admin are left alone (they lose the main roles to ours). A
 *    configurable's variant with an image of its own puts it on its child SKU the same way.
 *  Magento → Odoo (catalog master magento): the entry with the role "image" (else the first) is
 *    downloaded from the store's media URL only when its file name changed (Magento never
 *    rewrites a file under the same name), and written to the template only when its bytes did.
 *
 * The extra images (Odoo's product.image, where the eCommerce app is installed) go the same ways
 * without roles: product-extra-images.ts.
 */
export const MAIN_ROLES = ['image', 'small_image', 'thumbnail'];


/** a configurable's child in Magento: the Odoo variant behind it and its template */
export interface VariantImageTarget { id: number; sku: string; name: string; templateId: number }

/**
 * Odoo → Magento for the templates of one catalog page, and for the variants of its configurables
 * whose own image (product.product image_variant_1920) differs from their template's: that image
 * goes to the child SKU's gallery the same way (roles and all). A variant without an image of
 * its own, or with its template's bytes, has none pushed (Magento shows the parent's); one that
 * loses its own image loses the entry made for it. Returns how many images were written.
 */
export async function pushMainImages(
  deps: ImageDeps, templates: Array<{ id: number; sku: string; name: string }>, failed: RecordFailure[], variants: VariantImageTarget[] = [],
): Promise<number> {
  if (templates.length === 0 && variants.length === 0) return 0;
  // the variants' templates too: a variant image is its own only when it differs from theirs
  const templateIds = [...new Set([...templates.map((t) => t.id), ...variants.map((v) => v.templateId)])];
  const imageOf = await templateMainImages(deps.odoo, templateIds);
  const variantImageOf = await variantOwnImages(deps.odoo, variants.map((v) => v.id));
  let written = 0;
  const push = async (kind: 'image' | 'variant_image', target: { id: number; sku: string; name: string }, base64: string | null, what: string) => {
    try {
      if (await pushOne(deps, kind, target, base64)) written++;
    } catch (err) {
      if (!(err instanceof ImageProblem) && !isRecordProblem(err)) throw err;
      failed.push({ key: target.sku, reason: `product "${target.sku}": ${what}: ${reasonOf(err)}` });
    }
  };
  for (const tmpl of templates) await push('image', tmpl, imageOf.get(tmpl.id) ?? null, 'main image');
  for (const variant of variants) {
    const mine = variantImageOf.get(variant.id) ?? null;
    // Odoo keeps a variant's own image apart from the template's; the same bytes are no image of its own
    const distinct = mine !== null && !sameBytes(mine, imageOf.get(variant.templateId) ?? null) ? mine : null;
    await push('variant_image', variant, distinct, 'variant image');
  }
  return written;
}

function sameBytes(a: string, b: string | null): boolean {
  return b !== null && imageHash(Buffer.from(a, 'base64')) === imageHash(Buffer.from(b, 'base64'));
}

async function pushOne(deps: ImageDeps, kind: 'image' | 'variant_image', tmpl: { id: number; sku: string; name: string }, base64: string | null): Promise<boolean> {
  const { channel, magento, bindings } = deps;
  const bound = await bindings.find(channel, kind, tmpl.sku);
  const ours = typeof bound?.syncedValues?.entryId === 'number' ? bound.syncedValues.entryId : null;
  if (!base64) {
    if (!bound) return false;
    if (ours !== null && (await magento.media.list(tmpl.sku)).some((e) => e.id === ours)) await magento.media.remove(tmpl.sku, ours);
    await bindings.unbind(channel, kind, tmpl.sku);
    return true;
  }
  const bytes = Buffer.from(base64, 'base64');
  const hash = imageHash(bytes);
  if (bound?.contentHash === hash) return false;
  const type = imageType(bytes);
  const field = kind === 'image' ? `Odoo template ${tmpl.id} image_1920` : `Odoo variant ${tmpl.id} image_variant_1920`;
  if (!type) throw new ImageProblem(`${field} is not a PNG, JPEG or GIF image (Magento accepts only these)`);
  const entries = await magento.media.list(tmpl.sku);
  // the entry made for the previous image goes first: Magento cannot swap an entry's file
  if (ours !== null && entries.some((e) => e.id === ours)) await magento.media.remove(tmpl.sku, ours);
  const entryId = await magento.media.create(tmpl.sku, {
    label: tmpl.name, position: 1, types: MAIN_ROLES, base64, mimeType: type.mime, fileName: galleryFileName(tmpl.sku, type.ext),
  });
  if (!bound) await bindings.bind({ channel, kind, magentoKey: tmpl.sku, odooId: tmpl.id, contentHash: hash });
  else await bindings.setContentHash(channel, kind, tmpl.sku, hash);
  await bindings.setSyncedValues(channel, kind, tmpl.sku, { entryId });
  return true;
}

/** Odoo → Magento, main and extra images of one catalog page (see pushMainImages); how many products were written */
export async function pushProductImages(
  deps: ImageDeps, templates: Array<{ id: number; sku: string; name: string }>, failed: RecordFailure[], variants: VariantImageTarget[] = [],
): Promise<number> {
  return (await pushMainImages(deps, templates, failed, variants)) + (await pushExtraImages(deps, templates, failed));
}

/** Magento → Odoo, main and extra images of one product bound to `templateId`; true when Odoo was written */
export async function pullProductImages(deps: ImageDeps, product: Product, templateId: number): Promise<boolean> {
  const main = await pullMainImage(deps, product, templateId);
  const extra = await pullExtraImages(deps, product, templateId);
  return main || extra;
}

/** Magento → Odoo for one product bound to `templateId`; true when Odoo was written. */
export async function pullMainImage(deps: ImageDeps, product: Product, templateId: number): Promise<boolean> {
  const { channel, magento, odoo, bindings } = deps;
  const key = String(product.id);
  const { main } = galleryImages(product);
  const bound = await bindings.find(channel, 'magento_image', key);
  if (!main?.file) {
    if (!bound) return false;
    await setTemplateMainImage(odoo, templateId, null);
    await bindings.unbind(channel, 'magento_image', key);
    return true;
  }
  if (bound?.syncedValues?.file === main.file) return false;
  const bytes = await magento.media.download(main.file);
  const hash = imageHash(bytes);
  const changed = bound?.contentHash !== hash;
  if (changed) await setTemplateMainImage(odoo, templateId, bytes.toString('base64'));
  if (!bound) await bindings.bind({ channel, kind: 'magento_image', magentoKey: key, odooId: templateId, contentHash: hash });
  else await bindings.setContentHash(channel, 'magento_image', key, hash);
  await bindings.setSyncedValues(channel, 'magento_image', key, { file: main.file });
  return changed;
}

import type { OdooClient } from './client';
import { many2oneId } from './many2one';

/**
 * A product template's extra images: Odoo's `product.image` records (the template's one2many
 * `product_template_image_ids`). The model belongs to the eCommerce app (website_sale): a
 * database without it has neither the model nor the field, and every call below would fail.
 */

/** an extra image as the catalog compares it, without its bytes */
export interface TemplateImageStamp {
  id: number;
  templateId: number;
  name: string;
  sequence: number;
  writeDate: string;
}

/**
 * How long an answer to "is website_sale installed?" is kept per client (one client per channel
 * in a worker): a run asks on every page, an app installed meanwhile is seen within this.
 */
const INSTALLED_KEPT_MS = 10 * 60_000;
const installed = new WeakMap<OdooClient, { at: number; answer: Promise<boolean> }>();

/** whether this Odoo has product.image (the eCommerce app website_sale is installed) */
export function hasTemplateImages(odoo: OdooClient, now = Date.now()): Promise<boolean> {
  const kept = installed.get(odoo);
  if (kept && now - kept.at < INSTALLED_KEPT_MS) return kept.answer;
  // fields_get answers only the fields that exist: {} without website_sale
  const answer = odoo
    .call('product.template', 'fields_get', { kwargs: { allfields: ['product_template_image_ids'], attributes: ['type', 'relation'] } })
    .then((fields) => {
      const field = (fields as Record<string, { relation?: unknown } | undefined> | null)?.product_template_image_ids;
      return field?.relation === 'product.image';
    });
  installed.set(odoo, { at: now, answer });
  // a failed question is asked again next time, not kept
  answer.catch(() => {
    if (installed.get(odoo)?.answer === answer) installed.delete(odoo);
  });
  return answer;
}

/** the templates' own extra images (not variant-only ones), in Odoo's display order */
export async function templateImageStamps(odoo: OdooClient, templateIds: number[]): Promise<TemplateImageStamp[]> {
  if (templateIds.length === 0) return [];
  const rows = await odoo.searchRead(
    'product.image',
    [
      ['product_tmpl_id', 'in', templateIds],
      ['product_variant_id', '=', false],
    ],
    {
      fields: ['name', 'sequence', 'write_date', 'product_tmpl_id'],
      order: 'sequence asc, id asc',
    },
  );
  return rows.map((r) => ({
    id: r.id,
    templateId: many2oneId(r.product_tmpl_id) ?? 0,
    name: typeof r.name === 'string' ? r.name : '',
    sequence: Number(r.sequence ?? 0),
    writeDate: typeof r.write_date === 'string' ? r.write_date : '',
  }));
}

/** image id → its bytes (base64), or null for an image without a file (a video's entry) */
export async function templateImageBytes(odoo: OdooClient, imageIds: number[]): Promise<Map<number, string | null>> {
  if (imageIds.length === 0) return new Map();
  const rows = await odoo.searchRead('product.image', [['id', 'in', imageIds]], { fields: ['image_1920'] });
  return new Map(rows.map((r) => [r.id, typeof r.image_1920 === 'string' && r.image_1920 ? r.image_1920 : null]));
}

/** which of these images still exist, with their name and sequence (Odoo users may delete or edit them) */
export async function existingTemplateImages(odoo: OdooClient, imageIds: number[]): Promise<Map<number, { name: string; sequence: number }>> {
  if (imageIds.length === 0) return new Map();
  const rows = await odoo.searchRead('product.image', [['id', 'in', imageIds]], { fields: ['name', 'sequence'] });
  return new Map(rows.map((r) => [r.id, { name: typeof r.name === 'string' ? r.name : '', sequence: Number(r.sequence ?? 0) }]));
}

export async function createTemplateImage(odoo: OdooClient, templateId: number, image: { name: string; sequence: number; base64: string }): Promise<number> {
  const [id] = await odoo.create('product.image', [{ product_tmpl_id: templateId, name: image.name, sequence: image.sequence, image_1920: image.base64 }]);
  return id as number;
}

export async function updateTemplateImage(odoo: OdooClient, imageId: number, vals: { name?: string; sequence?: number; base64?: string }): Promise<void> {
  const write: Record<string, unknown> = {};
  if (vals.name !== undefined) write.name = vals.name;
  if (vals.sequence !== undefined) write.sequence = vals.sequence;
  if (vals.base64 !== undefined) write.image_1920 = vals.base64;
  if (Object.keys(write).length > 0) await odoo.write('product.image', [imageId], write);
}

export async function removeTemplateImages(odoo: OdooClient, imageIds: number[]): Promise<void> {
  if (imageIds.length === 0) return;
  const result = await odoo.call('product.image', 'unlink', { ids: imageIds });
  if (result !== true) throw new Error(`Odoo product.image unlink of ${imageIds.join(', ')} answered ${JSON.stringify(result)}`);
}

const imageText = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** each template's main image (base64, null when it has none) */
export async function templateMainImages(odoo: OdooClient, templateIds: number[]): Promise<Map<number, string | null>> {
  if (templateIds.length === 0) return new Map();
  const rows = await odoo.read('product.template', templateIds, ['image_1920']);
  return new Map(rows.map((r) => [r.id, imageText(r.image_1920)]));
}

/** each variant's own image (image_variant_1920, null when it shows its template's) */
export async function variantOwnImages(odoo: OdooClient, variantIds: number[]): Promise<Map<number, string | null>> {
  if (variantIds.length === 0) return new Map();
  const rows = await odoo.read('product.product', variantIds, ['image_variant_1920']);
  return new Map(rows.map((r) => [r.id, imageText(r.image_variant_1920)]));
}

/** the template's main image set (base64) or removed (null) */
export async function setTemplateMainImage(odoo: OdooClient, templateId: number, base64: string | null): Promise<void> {
  await odoo.write('product.template', [templateId], { image_1920: base64 ?? false });
}

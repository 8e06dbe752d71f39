import type { Product } from '../../integrations/magento';
import {
  createTemplateImage,
  existingTemplateImages,
  hasTemplateImages,
  removeTemplateImages,
  templateImageBytes,
  templateImageStamps,
  updateTemplateImage,
  type TemplateImageStamp,
} from '../../integrations/odoo/product-images';
import type { Binding, SyncedValues } from '../../store/bindings';
import type { ClientsFor } from '../../integrations/channel-clients';
import { galleryFileName, galleryImages, ImageProblem, imageHash, imageType, type ImageDeps } from './image-files';
import { isRecordProblem, reasonOf } from './record-errors';
import type { RecordFailure, SyncStream } from './stream';

/**
 * A template's extra images both ways (catalog.images), beside the main image of
 * product-images.ts. In Odoo they are product.image records, which exist only with the eCommerce
 * app (website_sale); without it nothing here calls Odoo, and a run says so once
 * (withExtraImagesNote).
 *
 *  Odoo → Magento (catalog master odoo): each image becomes a gallery entry without roles, placed
 *    after the main image in Odoo's order (sequence, id), labelled with the image's name. Bytes
 *    are read only for a product whose images changed (their write_date, names or order), and
 *    sent only when their SHA-256 did; a new order or name moves or relabels the entry in place.
 *    An image removed in Odoo removes the entry made for it; entries made in the Magento admin are
 *    never touched.
 *  Magento → Odoo (catalog master magento): each gallery image but the main one becomes a
 *    product.image of the template (name: its label, else its file name), downloaded only when
 *    its file name changed and written only when its bytes did; one gone from Magento removes
 *    the record made for it. Records Odoo users made are never touched.
 *
 * One binding per product (kinds extra_images / magento_extra_images): synced_values maps each
 * image to its counterpart and its hash, content_hash stamps the whole set so an unchanged
 * product costs no call beyond the page's one read of image stamps.
 */
export const EXTRA_IMAGES_UNAVAILABLE = "extra images need Odoo's eCommerce app (website_sale); only the main image is synced";

const FIRST_EXTRA_POSITION = 2; // the main image is at 1

/** "<counterpart id>:<sha-256>[:<file>]" per image id, in synced_values */
interface Synced {
  other: number;
  hash: string;
  file: string;
}

function syncedOf(binding: Binding | null): Map<number, Synced> {
  const out = new Map<number, Synced>();
  for (const [key, value] of Object.entries(binding?.syncedValues ?? {})) {
    if (typeof value !== 'string') continue;
    const [other, hash, ...file] = value.split(':');
    if (other && hash) out.set(Number(key), { other: Number(other), hash, file: file.join(':') });
  }
  return out;
}

function encode(s: Synced): string {
  return `${s.other}:${s.hash}${s.file ? `:${s.file}` : ''}`;
}

/** how old a write_date must be before no later write can share its second (as the catalog's watermark) */
const SETTLED_MS = 10_000;

function settledWrite(writeDate: string, readAt: number): boolean {
  const stamped = Date.parse(`${writeDate.replace(' ', 'T')}Z`);
  return Number.isFinite(stamped) && stamped + 1000 + SETTLED_MS <= readAt;
}

function stamp(value: unknown): string {
  return imageHash(Buffer.from(JSON.stringify(value)));
}

async function saveBinding(
  deps: ImageDeps,
  kind: 'extra_images' | 'magento_extra_images',
  key: string,
  odooId: number,
  bound: Binding | null,
  hash: string,
  values: SyncedValues,
): Promise<void> {
  const { channel, bindings } = deps;
  if (Object.keys(values).length === 0) {
    if (bound) await bindings.unbind(channel, kind, key);
    return;
  }
  if (!bound) {
    // the template bound under another key before (its SKU changed): that row gives way
    const stale = await bindings.findByOdooId(channel, kind, odooId);
    if (stale) await bindings.unbind(channel, kind, stale.magentoKey);
    await bindings.bind({ channel, kind, magentoKey: key, odooId, contentHash: hash });
  } else await bindings.setContentHash(channel, kind, key, hash);
  await bindings.setSyncedValues(channel, kind, key, values);
}

// ---- Odoo → Magento ---------------------------------------------------------------------------

/** the extra images of one catalog page's templates; how many products had an entry written */
export async function pushExtraImages(deps: ImageDeps, templates: Array<{ id: number; sku: string; name: string }>, failed: RecordFailure[]): Promise<number> {
  if (templates.length === 0 || !(await hasTemplateImages(deps.odoo))) return 0;
  const stamps = await templateImageStamps(
    deps.odoo,
    templates.map((t) => t.id),
  );
  const bound = await deps.bindings.findMany(
    deps.channel,
    'extra_images',
    templates.map((t) => t.sku),
  );
  let written = 0;
  for (const tmpl of templates) {
    try {
      if (
        await pushExtrasOf(
          deps,
          tmpl.id,
          tmpl.sku,
          stamps.filter((s) => s.templateId === tmpl.id),
          bound.get(tmpl.sku) ?? null,
        )
      )
        written++;
    } catch (err) {
      if (!(err instanceof ImageProblem) && !isRecordProblem(err)) throw err;
      failed.push({ key: tmpl.sku, reason: `product "${tmpl.sku}": extra images: ${reasonOf(err)}` });
    }
  }
  return written;
}

async function pushExtrasOf(deps: ImageDeps, templateId: number, sku: string, images: TemplateImageStamp[], bound: Binding | null): Promise<boolean> {
  const { magento, odoo } = deps;
  if (!bound && images.length === 0) return false;
  const setStamp = stamp(images.map((s) => [s.id, s.writeDate, s.name]));
  if (bound?.contentHash === setStamp) return false;
  const before = syncedOf(bound);
  const readAt = Date.now();
  const bytesOf = await templateImageBytes(
    odoo,
    images.map((s) => s.id),
  );
  const entries = new Map((await magento.media.list(sku)).map((e) => [e.id, e]));
  const after: SyncedValues = {};
  const problems: string[] = [];
  let changed = false;
  for (const [i, image] of images.entries()) {
    const position = FIRST_EXTRA_POSITION + i;
    const was = before.get(image.id);
    const entry = was ? entries.get(was.other) : undefined;
    const base64 = bytesOf.get(image.id) ?? null;
    if (!base64) continue; // no file (a video's record): nothing to show; an entry made for it goes below
    const bytes = Buffer.from(base64, 'base64');
    const hash = imageHash(bytes);
    if (was && was.hash === hash) {
      // same bytes: moved or renamed in place; an entry the Magento admin deleted stays deleted
      if (entry && (entry.label !== image.name || entry.position !== position) && entry.file) {
        await magento.media.update(sku, {
          id: entry.id,
          file: entry.file,
          label: image.name,
          position,
          types: entry.types ?? [],
          disabled: entry.disabled ?? false,
        });
        changed = true;
      }
      after[String(image.id)] = encode(was);
      continue;
    }
    const type = imageType(bytes);
    if (!type) {
      problems.push(`Odoo product.image ${image.id} "${image.name}" is not a PNG, JPEG or GIF image (Magento accepts only these)`);
      if (was) after[String(image.id)] = encode(was);
      continue;
    }
    // Magento cannot swap an entry's file: the entry made for the old bytes goes first
    if (entry) await magento.media.remove(sku, entry.id);
    const entryId = await magento.media.create(sku, {
      label: image.name,
      position,
      types: [],
      base64,
      mimeType: type.mime,
      fileName: galleryFileName(sku, type.ext, `-${image.id}`),
    });
    after[String(image.id)] = encode({ other: entryId, hash, file: '' });
    changed = true;
  }
  for (const [imageId, was] of before) {
    if (String(imageId) in after || !entries.has(was.other)) continue;
    await magento.media.remove(sku, was.other);
    changed = true;
  }
  // a set with a refused image is looked at again next run (and reported again)
  // Odoo reads write_date to the second: an image written again within its second would keep
  // the stamp, so a set with a recent write is not stamped (its bytes are compared next run too)
  const settled = images.every((s) => settledWrite(s.writeDate, readAt));
  await saveBinding(deps, 'extra_images', sku, templateId, bound, problems.length || !settled ? '' : setStamp, after);
  if (problems.length) throw new ImageProblem(problems.join('; '));
  return changed;
}

// ---- Magento → Odoo ---------------------------------------------------------------------------

/** the gallery images but the main one of a Magento product bound to `templateId`; true when Odoo was written */
export async function pullExtraImages(deps: ImageDeps, product: Product, templateId: number): Promise<boolean> {
  const { channel, magento, odoo, bindings } = deps;
  if (!(await hasTemplateImages(odoo))) return false;
  const { extras } = galleryImages(product);
  const key = String(product.id);
  const bound = await bindings.find(channel, 'magento_extra_images', key);
  if (!bound && extras.length === 0) return false;
  const setStamp = stamp([templateId, extras.map((e) => [e.id, e.file, e.label ?? ''])]);
  if (bound?.contentHash === setStamp) return false;
  const before = syncedOf(bound?.odooId === templateId ? bound : null);
  const existing = await existingTemplateImages(
    odoo,
    [...before.values()].map((s) => s.other),
  );
  const after: SyncedValues = {};
  let changed = false;
  for (const [i, entry] of extras.entries()) {
    const file = entry.file as string;
    const name = entry.label?.trim() || file.split('/').pop() || file;
    const sequence = i + 1;
    const was = before.get(Number(entry.id));
    const record = was ? existing.get(was.other) : undefined;
    if (was && !record && was.file === file) {
      // deleted by an Odoo user: not brought back while Magento keeps the same file
      after[String(entry.id)] = encode(was);
      continue;
    }
    if (was && record) {
      const vals: { name?: string; sequence?: number; base64?: string } = {};
      let hash = was.hash;
      // Magento never rewrites a file under the same name: a new name is the only sign of new bytes
      if (was.file !== file) {
        const bytes = await magento.media.download(file);
        hash = imageHash(bytes);
        if (hash !== was.hash) vals.base64 = bytes.toString('base64');
      }
      if (record.name !== name) vals.name = name;
      if (record.sequence !== sequence) vals.sequence = sequence;
      if (Object.keys(vals).length > 0) {
        await updateTemplateImage(odoo, was.other, vals);
        changed = true;
      }
      after[String(entry.id)] = encode({ other: was.other, hash, file });
      continue;
    }
    const bytes = await magento.media.download(file);
    const imageId = await createTemplateImage(odoo, templateId, { name, sequence, base64: bytes.toString('base64') });
    after[String(entry.id)] = encode({ other: imageId, hash: imageHash(bytes), file });
    changed = true;
  }
  const gone = [...before].filter(([entryId, s]) => !(String(entryId) in after) && existing.has(s.other)).map(([, s]) => s.other);
  if (gone.length > 0) {
    await removeTemplateImages(odoo, gone);
    changed = true;
  }
  await saveBinding(deps, 'magento_extra_images', key, templateId, bound, setStamp, after);
  return changed;
}

// ---- the run's note ---------------------------------------------------------------------------

/**
 * The catalog stream, saying once per run (on its first page) when a channel syncs images but
 * its Odoo has no product.image: the main image is synced all the same, nothing fails.
 */
export function withExtraImagesNote(clientsFor: ClientsFor, stream: SyncStream): SyncStream {
  return {
    ...stream,
    async syncPage(input) {
      const result = await stream.syncPage(input);
      // a real-time page (keys) is one record, not a run
      if (input.cursor !== null || input.keys) return result;
      const { channel, odoo } = clientsFor(input.channel);
      if (!channel.catalog.images || (await hasTemplateImages(odoo))) return result;
      return { ...result, notes: [...(result.notes ?? []), EXTRA_IMAGES_UNAVAILABLE] };
    },
  };
}

import { badRequest, notFound, PRODUCT_NOT_FOUND } from '../magento-error';
import { defineRoute, type RequestContext } from '../router';
import type { Json, SandboxState } from '../state';

/**
 * The product media gallery (ProductAttributeMediaGalleryManagementInterface) and the files it
 * names, served as Magento's web server does under /media/catalog/product/<file>. Entries keep
 * their roles (types: image, small_image, thumbnail, swatch_image); a role moves to the entry that
 * is given it (one entry per role per product). Files are named as Magento's uploader names
 * them: /<first letter>/<second letter>/<name>, with _1, _2 … when taken.
 */
const files = new WeakMap<SandboxState, Map<string, Buffer>>();

export function mediaFile(state: SandboxState, path: string): Buffer | undefined {
  return files.get(state)?.get(path);
}

function productOf(ctx: RequestContext): Json {
  const product = ctx.state.productBySku(ctx.params.sku!);
  if (!product) throw notFound(PRODUCT_NOT_FOUND);
  return product;
}

const entriesOf = (product: Json): Json[] => ((product.media_gallery_entries as Json[] | undefined) ??= []);

export const mediaRoutes = [
  defineRoute('GET', '/V1/products/:sku/media', 'Magento_Catalog::catalog', (ctx) => entriesOf(productOf(ctx))),
  defineRoute('GET', '/V1/products/:sku/media/:entryId', 'Magento_Catalog::attributes_attributes', (ctx) => {
    const entry = entriesOf(productOf(ctx)).find((e) => String(e.id) === ctx.params.entryId);
    if (!entry) throw notFound('The image doesn\'t exist. Verify and try again.');
    return entry;
  }),
  defineRoute('POST', '/V1/products/:sku/media', 'Magento_Catalog::catalog', (ctx) => {
    const product = productOf(ctx);
    const entry = (ctx.body.entry ?? {}) as Json;
    const content = (entry.content ?? {}) as Json;
    const data = typeof content.base64_encoded_data === 'string' ? content.base64_encoded_data : '';
    const type = String(content.type ?? '');
    const name = String(content.name ?? '');
    if (!data || !/^[A-Za-z0-9+/]+=*$/.test(data)) throw badRequest('The image content must be valid base64 encoded data.');
    if (!/^image\/(png|jpeg|gif)$/.test(type)) throw badRequest('The image MIME type is not valid or not supported.');
    if (!/^[\w.-]+\.(png|jpe?g|gif)$/i.test(name)) throw badRequest('Provided image name contains forbidden characters.');
    const store = files.get(ctx.state) ?? new Map<string, Buffer>();
    files.set(ctx.state, store);
    const dir = `/${name[0]!.toLowerCase()}/${(name[1] ?? '_').toLowerCase()}/`;
    let file = `${dir}${name}`;
    for (let n = 1; store.has(file); n++) file = `${dir}${name.replace(/(\.[^.]+)$/, `_${n}$1`)}`;
    store.set(file, Buffer.from(data, 'base64'));
    const types = Array.isArray(entry.types) ? (entry.types as string[]) : [];
    const entries = entriesOf(product);
    for (const other of entries) other.types = ((other.types as string[]) ?? []).filter((t) => !types.includes(t));
    const id = ctx.state.nextId('media_gallery');
    entries.push({ id, media_type: 'image', label: entry.label ?? null, position: entry.position ?? entries.length + 1, disabled: Boolean(entry.disabled), types, file });
    product.updated_at = ctx.state.now();
    // the service returns the new entry's id (an int, as a string in the JSON)
    return String(id);
  }),
  // Magento replaces the whole entry with the one given (same id); its roles leave the other entries
  defineRoute('PUT', '/V1/products/:sku/media/:entryId', 'Magento_Catalog::catalog', (ctx) => {
    const product = productOf(ctx);
    const entries = entriesOf(product);
    const given = (ctx.body.entry ?? {}) as Json;
    const at = entries.findIndex((e) => String(e.id) === ctx.params.entryId);
    if (at === -1) throw notFound('No image with the provided ID was found. Verify the ID and try again.');
    const existing = entries[at]!;
    const types = Array.isArray(given.types) ? (given.types as string[]) : [];
    for (const other of entries) if (other !== existing) other.types = ((other.types as string[]) ?? []).filter((t) => !types.includes(t));
    entries[at] = {
      id: existing.id, media_type: given.media_type ?? existing.media_type, label: given.label ?? null,
      position: given.position ?? existing.position, disabled: Boolean(given.disabled), types, file: typeof given.file === 'string' && given.file ? given.file : existing.file,
    };
    product.updated_at = ctx.state.now();
    return true;
  }),
  defineRoute('DELETE', '/V1/products/:sku/media/:entryId', 'Magento_Catalog::catalog', (ctx) => {
    const product = productOf(ctx);
    const entries = entriesOf(product);
    const at = entries.findIndex((e) => String(e.id) === ctx.params.entryId);
    if (at === -1) throw notFound('There is no image with provided ID.');
    entries.splice(at, 1);
    product.updated_at = ctx.state.now();
    return true;
  }),
];

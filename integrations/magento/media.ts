import axios from 'axios';
import { z } from 'zod';
import type { MagentoConfig } from '../../config/schema';
import { IntegrationError } from '../errors';
import type { MagentoHttp } from './http';
import { ROUTES } from './routes';
import { BooleanResultSchema, EntityIdResultSchema } from './schemas';

/** Magento\Catalog\Api\Data\ProductAttributeMediaGalleryEntryInterface as the list returns it (no content). */
export const MediaEntrySchema = z.looseObject({
  id: z.union([z.number().int(), z.string()]).transform(Number),
  media_type: z.string().nullish(),
  label: z.string().nullish(),
  position: z.number().int().nullish(),
  disabled: z.boolean().nullish(),
  /** roles: image, small_image, thumbnail, swatch_image */
  types: z.array(z.string()).nullish(),
  file: z.string().nullish(),
});
export type MediaEntry = z.infer<typeof MediaEntrySchema>;

export interface NewMediaEntry {
  label: string;
  position: number;
  types: string[];
  /** the file's bytes, base64 */
  base64: string;
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif';
  fileName: string;
}

/** A product's media gallery (/V1/products/:sku/media) and its files under the store's media URL. */
export class MediaApi {
  constructor(private readonly http: MagentoHttp, private readonly config: MagentoConfig) {}

  list(sku: string): Promise<MediaEntry[]> {
    return this.http.call(ROUTES.media.list, { path: { sku } }, z.array(MediaEntrySchema));
  }

  /** returns the new entry's id */
  create(sku: string, entry: NewMediaEntry): Promise<number> {
    const body = {
      entry: {
        media_type: 'image', label: entry.label, position: entry.position, disabled: false, types: entry.types,
        content: { base64_encoded_data: entry.base64, type: entry.mimeType, name: entry.fileName },
      },
    };
    return this.http.call(ROUTES.media.create, { path: { sku }, body }, EntityIdResultSchema);
  }

  /**
   * An entry's label, position, roles or disabled flag; its file stays (given back as it is, since
   * Magento replaces the whole entry). The roles given are taken from the product's other entries.
   */
  update(sku: string, entry: { id: number; file: string; label: string; position: number; types: string[]; disabled?: boolean }): Promise<boolean> {
    const body = { entry: { id: entry.id, media_type: 'image', label: entry.label, position: entry.position, disabled: entry.disabled ?? false, types: entry.types, file: entry.file } };
    return this.http.call(ROUTES.media.update, { path: { sku, entryId: entry.id }, body }, BooleanResultSchema);
  }

  remove(sku: string, entryId: number): Promise<boolean> {
    return this.http.call(ROUTES.media.remove, { path: { sku, entryId } }, BooleanResultSchema);
  }

  /** A gallery file's bytes: /media/catalog/product<file>, as the storefront serves it (no credentials). */
  async download(file: string): Promise<Buffer> {
    const url = `${this.config.baseUrl.replace(/\/+$/, '')}/media/catalog/product${file}`;
    try {
      const res = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer', timeout: this.config.timeoutMs });
      return Buffer.from(res.data);
    } catch (err) {
      const status = axios.isAxiosError(err) ? err.response?.status : undefined;
      const kind = status === undefined ? 'network' : status === 404 ? 'not_found' : status >= 500 ? 'server' : 'validation';
      throw new IntegrationError('magento', kind, `Magento media file ${file}: ${status ? `HTTP ${status}` : (err as Error).message}`, { status, operation: `GET /media/catalog/product${file}` });
    }
  }
}

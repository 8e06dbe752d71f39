import { createHash } from 'node:crypto';

/**
 * A stable hash of what would be written to the target: keys sorted, so that the same content
 * always gives the same hash whatever order the fields were assembled in. Compared with the
 * binding's content_hash to skip records that did not change.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('base64url').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Magento's url_key rules: lower case, ASCII letters and digits, dashes between words. */
export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

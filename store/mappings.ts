import { createBindingStore } from './bindings';
import type { Pool } from 'pg';

/**
 * Magento reference codes mapped to Odoo records (store/migrations/003_reference_mappings.sql).
 * Kept apart from `bindings` because a mapping is many-to-one (two payment methods, one journal)
 * while a binding is one-to-one on both sides.
 */
export type MappingKind =
  | 'carrier' // Magento shipping method code "ups_GND" → delivery.carrier
  | 'payment_method' // "checkmo" → account.journal (bank/cash)
  | 'tax' // tax rate code "US-TX-*-Rate 1" → account.tax
  | 'website' | 'store_group' | 'store_view' // store structure: recorded, optionally → res.company
  | 'customer_group' // → product.pricelist: the customers' and their orders' pricelist
  | 'attribute_set'; // recorded for the catalog sync and ops; no Odoo counterpart

export const MAPPING_KINDS: readonly MappingKind[] = ['carrier', 'payment_method', 'tax', 'website', 'store_group', 'store_view', 'customer_group', 'attribute_set'];

export type MappingSource = 'ops' | 'sync' | 'name';

export interface Mapping {
  channel: string;
  kind: MappingKind;
  magentoKey: string;
  label: string | null;
  odooId: number | null;
  source: MappingSource | null;
  contentHash: string | null;
  seenAt: Date;
  updatedAt: Date;
}

interface Row { channel: string; kind: MappingKind; magento_key: string; label: string | null; odoo_id: string | null; source: MappingSource | null; content_hash: string | null; seen_at: Date; updated_at: Date }

const toMapping = (r: Row): Mapping => ({
  channel: r.channel, kind: r.kind, magentoKey: r.magento_key, label: r.label,
  odooId: r.odoo_id === null ? null : Number(r.odoo_id), source: r.source, contentHash: r.content_hash, seenAt: r.seen_at, updatedAt: r.updated_at,
});

const COLUMNS = 'channel, kind, magento_key, label, odoo_id, source, content_hash, seen_at, updated_at';

export function createMappingStore(pool: Pool) {
  return {
    async find(channel: string, kind: MappingKind, magentoKey: string): Promise<Mapping | null> {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM reference_mappings WHERE channel = $1 AND kind = $2 AND magento_key = $3`, [channel, kind, magentoKey]);
      return rows[0] ? toMapping(rows[0]) : null;
    },

    /** the Odoo id this code maps to, or null when it is unmapped or unknown */
    async odooIdOf(channel: string, kind: MappingKind, magentoKey: string): Promise<number | null> {
      const found = await this.find(channel, kind, magentoKey);
      return found?.odooId ?? null;
    },

    async list(channel: string, kind?: MappingKind): Promise<Mapping[]> {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM reference_mappings WHERE channel = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY kind, magento_key`,
        [channel, kind ?? null],
      );
      return rows.map(toMapping);
    },

    /** Records that Magento has this code; keeps any mapping it already has. */
    async seen(channel: string, kind: MappingKind, magentoKey: string, label: string | null): Promise<Mapping> {
      const { rows } = await pool.query<Row>(
        `INSERT INTO reference_mappings (channel, kind, magento_key, label) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, kind, magento_key) DO UPDATE SET label = COALESCE(EXCLUDED.label, reference_mappings.label), seen_at = now()
         RETURNING ${COLUMNS}`,
        [channel, kind, magentoKey, label],
      );
      return toMapping(rows[0] as Row);
    },

    /**
     * Maps the code. A sync (`source` 'sync' or 'name') never replaces what ops set by hand;
     * returns false when that is why nothing changed.
     */
    async set(m: { channel: string; kind: MappingKind; magentoKey: string; odooId: number; source: MappingSource; label?: string | null; contentHash?: string | null }): Promise<boolean> {
      const { rowCount } = await pool.query(
        `INSERT INTO reference_mappings (channel, kind, magento_key, label, odoo_id, source, content_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (channel, kind, magento_key) DO UPDATE
           SET odoo_id = EXCLUDED.odoo_id, source = EXCLUDED.source, content_hash = EXCLUDED.content_hash,
               label = COALESCE(EXCLUDED.label, reference_mappings.label), updated_at = now()
         WHERE EXCLUDED.source = 'ops' OR reference_mappings.source IS DISTINCT FROM 'ops' OR reference_mappings.odoo_id IS NULL`,
        [m.channel, m.kind, m.magentoKey, m.label ?? null, m.odooId, m.source, m.contentHash ?? null],
      );
      return (rowCount ?? 0) > 0;
    },

    /** Back to "seen, unmapped"; the row stays so `mappings list` keeps showing it. */
    async unset(channel: string, kind: MappingKind, magentoKey: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE reference_mappings SET odoo_id = NULL, source = NULL, content_hash = NULL, updated_at = now()
          WHERE channel = $1 AND kind = $2 AND magento_key = $3`,
        [channel, kind, magentoKey],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}

export type MappingStore = ReturnType<typeof createMappingStore>;

/**
 * Catalog kinds (attributes, categories) are one-to-one bindings the catalog sync keeps; ops see
 * and fix them through the same `mappings` command, so these read and remove such bindings.
 */
export type BindingMappingKind = 'attribute' | 'category';

export async function listBindingsOfKind(pool: Pool, channel: string, kind: BindingMappingKind): Promise<Array<{ magentoKey: string; odooId: number }>> {
  const { rows } = await pool.query<{ magento_key: string; odoo_id: string }>(
    'SELECT magento_key, odoo_id FROM bindings WHERE channel = $1 AND kind = $2 ORDER BY magento_key',
    [channel, kind],
  );
  return rows.map((r) => ({ magentoKey: r.magento_key, odooId: Number(r.odoo_id) }));
}

export async function deleteBinding(pool: Pool, channel: string, kind: BindingMappingKind, magentoKey: string): Promise<boolean> {
  return createBindingStore(pool).unbind(channel, kind, magentoKey);
}

import type { Pool } from 'pg';

export type BindingKind =
  | 'order' | 'invoice' | 'shipment' | 'creditmemo' | 'customer' | 'address'
  | 'product' | 'category' | 'attribute' | 'attribute_option' | 'tax' | 'carrier' | 'payment_method' | 'website';

export interface Binding {
  channel: string;
  kind: BindingKind;
  magentoKey: string;
  odooId: number;
  contentHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewBinding { channel: string; kind: BindingKind; magentoKey: string; odooId: number; contentHash?: string | null }

export class BindingConflictError extends Error {
  constructor(readonly wanted: NewBinding, readonly existing: Binding) {
    super(
      `${wanted.kind} ${wanted.magentoKey} ⇄ Odoo ${wanted.odooId} on channel ${wanted.channel} conflicts with the existing binding ` +
        `${existing.kind} ${existing.magentoKey} ⇄ Odoo ${existing.odooId}`,
    );
    this.name = 'BindingConflictError';
  }
}

interface Row { channel: string; kind: BindingKind; magento_key: string; odoo_id: string; content_hash: string | null; created_at: Date; updated_at: Date }

const toBinding = (row: Row): Binding => ({
  channel: row.channel,
  kind: row.kind,
  magentoKey: row.magento_key,
  odooId: Number(row.odoo_id),
  contentHash: row.content_hash,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const COLUMNS = 'channel, kind, magento_key, odoo_id, content_hash, created_at, updated_at';

export function createBindingStore(pool: Pool) {
  return {
    async find(channel: string, kind: BindingKind, magentoKey: string): Promise<Binding | null> {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM bindings WHERE channel = $1 AND kind = $2 AND magento_key = $3`,
        [channel, kind, magentoKey],
      );
      return rows[0] ? toBinding(rows[0]) : null;
    },

    async findByOdooId(channel: string, kind: BindingKind, odooId: number): Promise<Binding | null> {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM bindings WHERE channel = $1 AND kind = $2 AND odoo_id = $3`,
        [channel, kind, odooId],
      );
      return rows[0] ? toBinding(rows[0]) : null;
    },

    /**
     * Records that a Magento record and an Odoo record are the same thing. Binding the same pair
     * again is a no-op that returns the existing row (activities are retried); binding either side
     * to a different partner is a BindingConflictError, decided by the unique constraints in one
     * statement, so two concurrent workers cannot both win.
     */
    async bind(binding: NewBinding): Promise<Binding> {
      const { rows } = await pool.query<Row>(
        `INSERT INTO bindings (channel, kind, magento_key, odoo_id, content_hash)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [binding.channel, binding.kind, binding.magentoKey, binding.odooId, binding.contentHash ?? null],
      );
      if (rows[0]) return toBinding(rows[0]);
      const existing = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM bindings
          WHERE channel = $1 AND kind = $2 AND (magento_key = $3 OR odoo_id = $4)
          ORDER BY (magento_key = $3) DESC LIMIT 1`,
        [binding.channel, binding.kind, binding.magentoKey, binding.odooId],
      );
      const found = existing.rows[0] ? toBinding(existing.rows[0]) : null;
      if (!found) throw new Error(`binding ${binding.kind} ${binding.magentoKey} was neither inserted nor found`);
      if (found.magentoKey === binding.magentoKey && found.odooId === binding.odooId) return found;
      throw new BindingConflictError(binding, found);
    },

    /** Returns false when the hash was already this one: the record is unchanged, skip the write. */
    async setContentHash(channel: string, kind: BindingKind, magentoKey: string, contentHash: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE bindings SET content_hash = $4, updated_at = now()
          WHERE channel = $1 AND kind = $2 AND magento_key = $3 AND content_hash IS DISTINCT FROM $4`,
        [channel, kind, magentoKey, contentHash],
      );
      return (rowCount ?? 0) > 0;
    },

    async count(channel?: string): Promise<number> {
      const { rows } = await pool.query<{ n: string }>(
        channel ? 'SELECT count(*) AS n FROM bindings WHERE channel = $1' : 'SELECT count(*) AS n FROM bindings',
        channel ? [channel] : [],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}

export type BindingStore = ReturnType<typeof createBindingStore>;

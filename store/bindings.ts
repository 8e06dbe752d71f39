import type { Pool } from 'pg';

export type BindingKind =
  | 'order' | 'invoice' | 'shipment' | 'creditmemo' | 'customer' | 'address'
  | 'product' | 'category' | 'attribute' | 'attribute_option' | 'tax' | 'carrier' | 'payment_method' | 'website'
  // a configurable product (Magento parent SKU ⇄ Odoo product.template id); 'product' is a
  // simple product or a configurable's child (SKU ⇄ product.product id), so the two id spaces
  // never collide on the Odoo-side unique key
  | 'product_template'
  // the last stock figure pushed for a SKU: its own kind so that the catalog's hash and the
  // stock hash of the same SKU do not overwrite each other
  | 'stock'
  // the catalog with Magento as master (catalog.master: magento), keyed by Magento ids so a
  // renamed SKU is an update: category → product.category, attribute → product.attribute,
  // "<attribute id>:<option id>" → product.attribute.value, product → product.template,
  // configurable child → product.product; initial_stock: product → product.product whose Magento
  // quantity went to Odoo (once)
  | 'magento_category' | 'magento_attribute' | 'magento_option' | 'magento_template' | 'magento_variant' | 'initial_stock'
  // attribute set id → the product.tag "Magento set: <name>" (Odoo has no attribute sets)
  | 'magento_attribute_set'
  // a product's main image (catalog.images): 'image' SKU → template, pushed to Magento (Odoo
  // master); 'magento_image' Magento product id → template, pulled into Odoo (Magento master).
  // content_hash = SHA-256 of the bytes last written; 'variant_image' child SKU → product.product,
  // a configurable's variant whose own image (image_variant_1920) is pushed to its child
  | 'image' | 'magento_image' | 'variant_image'
  // a template's extra images (Odoo's product.image, website_sale), one row per product:
  // 'extra_images' SKU → template (Odoo master), 'magento_extra_images' Magento product id →
  // template (Magento master); synced_values maps each image to its counterpart and the SHA-256
  // of its bytes, content_hash is a stamp of the whole set (unchanged: nothing is read again)
  | 'extra_images' | 'magento_extra_images'
  // Magento tier and special prices as Odoo pricelist items (catalog master magento), keyed by
  // Magento product id: simple product → template, configurable child → variant; synced_values
  // holds the ids of the items made
  | 'magento_prices' | 'magento_variant_prices';

export interface Binding {
  channel: string;
  kind: BindingKind;
  magentoKey: string;
  odooId: number;
  contentHash: string | null;
  /** the field values both sides agreed on at the last sync (migration 004); null when unknown */
  syncedValues: SyncedValues | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SyncedValues = Record<string, string | number | false>;

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

interface Row { channel: string; kind: BindingKind; magento_key: string; odoo_id: string; content_hash: string | null; synced_values: SyncedValues | null; created_at: Date; updated_at: Date }

const toBinding = (row: Row): Binding => ({
  channel: row.channel,
  kind: row.kind,
  magentoKey: row.magento_key,
  odooId: Number(row.odoo_id),
  contentHash: row.content_hash,
  syncedValues: row.synced_values,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const COLUMNS = 'channel, kind, magento_key, odoo_id, content_hash, synced_values, created_at, updated_at';

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

    /** The binding of an Odoo record on any channel (one Odoo serving several shops). */
    async findByOdooIdOnAnyChannel(kind: BindingKind, odooId: number): Promise<Binding | null> {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM bindings WHERE kind = $1 AND odoo_id = $2 LIMIT 1`, [kind, odooId]);
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

    /** Forgets a pair (the Magento side was deleted, or ops unmap it); false when there was none. */
    async unbind(channel: string, kind: BindingKind, magentoKey: string): Promise<boolean> {
      const { rowCount } = await pool.query('DELETE FROM bindings WHERE channel = $1 AND kind = $2 AND magento_key = $3', [channel, kind, magentoKey]);
      return (rowCount ?? 0) > 0;
    },

    /** Records what both sides now agree on (see Binding.syncedValues). */
    async setSyncedValues(channel: string, kind: BindingKind, magentoKey: string, values: SyncedValues): Promise<void> {
      await pool.query(
        'UPDATE bindings SET synced_values = $4::jsonb, updated_at = now() WHERE channel = $1 AND kind = $2 AND magento_key = $3',
        [channel, kind, magentoKey, JSON.stringify(values)],
      );
    },

    /** Bindings of many keys in one query (a sync page compares hundreds of hashes at once). */
    async findMany(channel: string, kind: BindingKind, magentoKeys: string[]): Promise<Map<string, Binding>> {
      if (magentoKeys.length === 0) return new Map();
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM bindings WHERE channel = $1 AND kind = $2 AND magento_key = ANY($3::text[])`,
        [channel, kind, magentoKeys],
      );
      return new Map(rows.map((row) => [row.magento_key, toBinding(row)]));
    },

    /**
     * Binds many records and stores what was written to each, in one statement, after the writes
     * succeeded. A key already bound to another Odoo record (or the reverse) makes the statement
     * fail as a whole; the caller then binds one by one to find and report the culprit.
     */
    async upsertHashes(channel: string, kind: BindingKind, entries: Array<{ magentoKey: string; odooId: number; contentHash: string }>): Promise<void> {
      if (entries.length === 0) return;
      const { rows } = await pool.query<{ magento_key: string }>(
        `INSERT INTO bindings (channel, kind, magento_key, odoo_id, content_hash)
         SELECT $1, $2, k, o, h FROM unnest($3::text[], $4::bigint[], $5::text[]) AS t(k, o, h)
         ON CONFLICT (channel, kind, magento_key) DO UPDATE
           SET content_hash = EXCLUDED.content_hash, updated_at = now()
           WHERE bindings.odoo_id = EXCLUDED.odoo_id
         RETURNING magento_key`,
        [channel, kind, entries.map((e) => e.magentoKey), entries.map((e) => e.odooId), entries.map((e) => e.contentHash)],
      );
      if (rows.length === entries.length) return;
      const done = new Set(rows.map((r) => r.magento_key));
      const wanted = entries.find((e) => !done.has(e.magentoKey));
      const existing = wanted ? await this.find(channel, kind, wanted.magentoKey) : null;
      if (wanted && existing) throw new BindingConflictError({ channel, kind, magentoKey: wanted.magentoKey, odooId: wanted.odooId }, existing);
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

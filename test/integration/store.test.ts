import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { listMigrations, migrate } from '../../store/migrate';
import { BindingConflictError, createBindingStore } from '../../store/bindings';
import { createWatermarkStore } from '../../store/watermarks';
import { createScratchDatabase } from '../support/database';

async function schemaDump(pool: Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const constraints = await pool.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
  );
  return JSON.stringify([rows, constraints.rows]);
}

describe('store on real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  before(async () => {
    db = await createScratchDatabase({ migrate: false });
  });
  after(async () => db?.drop());

  test('migrations apply in order, and applying them again changes nothing', async () => {
    const first = await migrate(db.pool);
    assert.deepEqual(first, listMigrations().map((m) => m.id));
    assert.deepEqual(first.slice(0, 2), ['001_bindings', '002_watermarks']);
    const schema = await schemaDump(db.pool);
    const second = await migrate(db.pool);
    assert.deepEqual(second, []);
    assert.equal(await schemaDump(db.pool), schema);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
    assert.equal(rows[0].n, first.length);
  });

  test('concurrent starters migrate once', async () => {
    const other = await createScratchDatabase({ migrate: false });
    try {
      const results = await Promise.all([migrate(other.pool), migrate(other.pool), migrate(other.pool)]);
      assert.equal(results.flat().length, listMigrations().length);
    } finally {
      await other.drop();
    }
  });

  test('a migration edited after it was applied stops start-up', async () => {
    const edited = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await assert.rejects(migrate(db.pool, edited), /migration 001_bindings was changed after it was applied/);
  });

  test('bindings round-trip and binding the same pair twice leaves one row', async () => {
    const bindings = createBindingStore(db.pool);
    const created = await bindings.bind({ channel: 'eu', kind: 'order', magentoKey: '000000042', odooId: 17, contentHash: 'h1' });
    assert.equal(created.odooId, 17);
    assert.equal(created.contentHash, 'h1');
    const again = await bindings.bind({ channel: 'eu', kind: 'order', magentoKey: '000000042', odooId: 17 });
    assert.equal(again.odooId, 17);
    assert.deepEqual(await bindings.find('eu', 'order', '000000042'), created);
    assert.equal((await bindings.findByOdooId('eu', 'order', 17))?.magentoKey, '000000042');
    assert.equal(await bindings.find('eu', 'order', 'missing'), null);
    assert.equal(await bindings.count('eu'), 1);
  });

  test('a duplicate on either side is refused, naming both records', async () => {
    const bindings = createBindingStore(db.pool);
    await bindings.bind({ channel: 'eu', kind: 'product', magentoKey: 'GEAR/0010', odooId: 5 });
    await assert.rejects(
      bindings.bind({ channel: 'eu', kind: 'product', magentoKey: 'GEAR/0010', odooId: 6 }),
      (err: unknown) => err instanceof BindingConflictError && /GEAR\/0010 ⇄ Odoo 6 .* existing binding product GEAR\/0010 ⇄ Odoo 5/.test(err.message),
    );
    await assert.rejects(
      bindings.bind({ channel: 'eu', kind: 'product', magentoKey: 'OTHER', odooId: 5 }),
      (err: unknown) => err instanceof BindingConflictError && err.existing.magentoKey === 'GEAR/0010',
    );
    // Same keys on another channel or kind are different records.
    await bindings.bind({ channel: 'us', kind: 'product', magentoKey: 'GEAR/0010', odooId: 6 });
    await bindings.bind({ channel: 'eu', kind: 'customer', magentoKey: 'GEAR/0010', odooId: 5 });
    const raw = await db.pool.query("SELECT count(*)::int AS n FROM bindings WHERE magento_key = 'GEAR/0010'");
    assert.equal(raw.rows[0].n, 3);
  });

  test('twenty concurrent binds of one record make one row and one winner', async () => {
    const bindings = createBindingStore(db.pool);
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => bindings.bind({ channel: 'eu', kind: 'customer', magentoKey: 'c-race', odooId: 1000 + (i % 2) })),
    );
    const winners = new Set(attempts.filter((a) => a.status === 'fulfilled').map((a) => (a as PromiseFulfilledResult<{ odooId: number }>).value.odooId));
    assert.equal(winners.size, 1);
    assert.ok(attempts.some((a) => a.status === 'rejected' && a.reason instanceof BindingConflictError));
    const raw = await db.pool.query("SELECT count(*)::int AS n FROM bindings WHERE magento_key = 'c-race'");
    assert.equal(raw.rows[0].n, 1);
  });

  test('content hash: unchanged records report no change', async () => {
    const bindings = createBindingStore(db.pool);
    await bindings.bind({ channel: 'eu', kind: 'category', magentoKey: '12', odooId: 3, contentHash: 'a' });
    assert.equal(await bindings.setContentHash('eu', 'category', '12', 'a'), false);
    assert.equal(await bindings.setContentHash('eu', 'category', '12', 'b'), true);
    assert.equal((await bindings.find('eu', 'category', '12'))?.contentHash, 'b');
  });

  test('watermarks advance per channel and stream, and reset for a full resync', async () => {
    const marks = createWatermarkStore(db.pool);
    assert.equal(await marks.get('eu', 'stock'), null);
    await marks.advance('eu', 'stock', '2026-11-23 10:00:00');
    await marks.advance('eu', 'stock', '2026-11-23 10:05:00');
    await marks.advance('us', 'stock', '2026-01-01 00:00:00');
    assert.equal(await marks.get('eu', 'stock'), '2026-11-23 10:05:00');
    assert.equal(await marks.get('us', 'stock'), '2026-01-01 00:00:00');
    await marks.reset('eu', 'stock');
    assert.equal(await marks.get('eu', 'stock'), null);
    assert.equal(await marks.get('us', 'stock'), '2026-01-01 00:00:00');
  });
});

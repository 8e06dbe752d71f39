import type { Pool } from 'pg';

export function createWatermarkStore(pool: Pool) {
  return {
    async get(channel: string, stream: string): Promise<string | null> {
      const { rows } = await pool.query<{ value: string }>(
        'SELECT value FROM watermarks WHERE channel = $1 AND stream = $2',
        [channel, stream],
      );
      return rows[0]?.value ?? null;
    },

    /** Call only after the page that reached `value` is fully applied. */
    async advance(channel: string, stream: string, value: string): Promise<void> {
      await pool.query(
        `INSERT INTO watermarks (channel, stream, value) VALUES ($1, $2, $3)
         ON CONFLICT (channel, stream) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [channel, stream, value],
      );
    },

    /** The full-resync flag: the next run starts from the beginning. */
    async reset(channel: string, stream: string): Promise<void> {
      await pool.query('DELETE FROM watermarks WHERE channel = $1 AND stream = $2', [channel, stream]);
    },
  };
}

export type WatermarkStore = ReturnType<typeof createWatermarkStore>;

import type { Pool } from 'pg';
import { schemaVersion } from '../store/migrate';

export interface StoreCheck { schemaVersion: string | null; bindings: number; serverVersion: string }

/** Proves a worker can reach the store: used by `cli status` and the platform tests. */
export function createPlatformActivities(deps: { pool: Pool }) {
  return {
    async checkStore(): Promise<StoreCheck> {
      const version = await schemaVersion(deps.pool);
      const { rows } = await deps.pool.query<{ n: string; v: string }>(
        "SELECT (SELECT count(*) FROM bindings) AS n, current_setting('server_version') AS v",
      );
      return { schemaVersion: version, bindings: Number(rows[0]?.n ?? 0), serverVersion: rows[0]?.v ?? 'unknown' };
    },
  };
}

import { Client, type Pool } from 'pg';

/**
 * Runs `work` while holding a PostgreSQL advisory lock named by `key`, across every worker
 * process that shares the database. For "find, else create" steps against a remote system, where
 * the bindings' unique keys would only tell the loser afterwards, when its duplicate already
 * exists on the other side.
 */
export function createLocks(pool: Pool) {
  return {
    async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      // A connection of its own, not one from the pool: the work inside needs pooled connections,
      // and lock holders waiting on a drained pool would deadlock under load.
      const client = new Client(pool.options);
      await client.connect();
      try {
        // hashtextextended: a 64-bit key from any text, so unrelated keys practically never share a lock.
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        }
      } finally {
        await client.end();
      }
    },
  };
}

export type Locks = ReturnType<typeof createLocks>;

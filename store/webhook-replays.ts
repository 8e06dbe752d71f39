import type { Pool } from 'pg';

/**
 * The gateway's memory of signed events it accepted. `remember` is atomic: of two deliveries of
 * one signature, even to two gateways, exactly one gets true. Events older than the timestamp
 * window are forgotten, since the window check refuses them anyway.
 */
export interface ReplayStore {
  /** true: first sighting (now remembered); false: a replay */
  remember(channel: string, signature: string, eventAtMs: number, windowMs: number, nowMs: number): Promise<boolean>;
}

export function createPgReplayStore(pool: Pool): ReplayStore {
  return {
    async remember(channel, signature, eventAtMs, windowMs, nowMs) {
      await pool.query('DELETE FROM webhook_replays WHERE event_at < $1', [new Date(nowMs - 2 * windowMs)]);
      const { rowCount } = await pool.query(
        'INSERT INTO webhook_replays (channel, signature, event_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [channel, signature, new Date(eventAtMs)],
      );
      return rowCount === 1;
    },
  };
}

/** One process's memory only (tests, a gateway without a database): lost on restart. */
export function createMemoryReplayStore(): ReplayStore {
  const seen = new Map<string, number>();
  return {
    async remember(channel, signature, eventAtMs, windowMs, nowMs) {
      for (const [key, at] of seen) if (at < nowMs - 2 * windowMs) seen.delete(key);
      const key = `${channel}\u0000${signature}`;
      if (seen.has(key)) return false;
      seen.set(key, eventAtMs);
      return true;
    },
  };
}

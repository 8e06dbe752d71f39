import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres { url: string; stop(): Promise<void> }

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a local TCP port with the wire protocol,
 * so the very same `pg` code runs against it as against a real server. For `npm start` without
 * DATABASE_URL only: one process, its connections multiplexed onto one session, no tuning. One
 * session means advisory locks do not exclude each other here: the embedded database is for the
 * demo and development, never for a shop.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // The worker's pool plus one connection per advisory lock holder (store/locks.ts), one for
  // each of up to 20 concurrent activities: beyond the limit the socket server hangs up on new
  // connections ("Connection terminated unexpectedly").
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 100 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

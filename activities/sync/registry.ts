import type { Pool } from 'pg';
import type { ChannelConfig, Config } from '../../config/schema';
import type { BindingStore } from '../../store/bindings';
import type { ClientsFor } from '../../integrations/channel-clients';
import { createCatalogStream } from './catalog';
import { createStockStream } from './stock';
import { createCustomersStream } from './customers';
import { createReferenceStream } from './reference';
import { createContactsStream } from './contacts';
import { withExtraImagesNote } from './product-extra-images';
import type { StreamName, SyncStream } from './stream';

/** What a stream is built from: one instance per worker serves every channel (clientsFor). */
export interface StreamDeps {
  config: Config;
  pool: Pool;
  clientsFor: ClientsFor;
  bindings: BindingStore;
}

export type StreamFactory = (deps: StreamDeps) => SyncStream;

/**
 * Every stream the machinery can run. Adding a stream is one line here: a factory written
 * against activities/sync/stream.ts. A stream missing from this table fails its runs with a
 * readable "not available" error instead of retrying.
 */
export const STREAM_FACTORIES: Partial<Record<StreamName, StreamFactory>> = {
  stock: createStockStream,
  // a channel syncing images whose Odoo lacks the eCommerce app hears once per run that extra images are not synced
  catalog: (deps) => withExtraImagesNote(deps.clientsFor, createCatalogStream(deps)),
  customers: createCustomersStream,
  reference: createReferenceStream,
  contacts: createContactsStream,
};

export function availableStreams(): StreamName[] {
  return Object.keys(STREAM_FACTORIES) as StreamName[];
}

/** Whether a channel runs this stream at all: contacts only flow back where the channel says so. */
export function streamEnabled(channel: ChannelConfig, stream: StreamName): boolean {
  if (stream === 'contacts') return channel.customers.odooToMagento;
  return true;
}

/** Builds each registered stream once (they keep per-process caches, e.g. warehouse ids). */
export function createStreamRegistry(deps: StreamDeps): Map<StreamName, SyncStream> {
  const streams = new Map<StreamName, SyncStream>();
  for (const [name, factory] of Object.entries(STREAM_FACTORIES) as Array<[StreamName, StreamFactory]>) {
    streams.set(name, factory(deps));
  }
  return streams;
}

import type { Pool } from 'pg';
import type { Config } from '../../config/schema';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createMappingStore, type MappingStore } from '../../store/mappings';
import { createLocks, type Locks } from '../../store/locks';
import { createChannelClients, type ClientsFor } from '../../integrations/channel-clients';
import { forgetReads } from '../../integrations/read-scope';

export interface OrderActivityDeps {
  config: Config;
  pool: Pool;
  /** share the worker's per-channel clients (and their Odoo sessions) when given */
  clientsFor?: ClientsFor;
}

/** What every order activity works with: the channel's clients, the bindings and the mappings. */
export interface OrderActivityContext {
  clientsFor: ClientsFor;
  bindings: BindingStore;
  /** Magento carrier / payment / tax codes → Odoo records, as ops or the reference sync set them */
  mappings: MappingStore;
  locks: Locks;
}

export function createOrderContext(deps: OrderActivityDeps): OrderActivityContext {
  const locks = createLocks(deps.pool);
  return {
    clientsFor: deps.clientsFor ?? createChannelClients(deps.config), bindings: createBindingStore(deps.pool), mappings: createMappingStore(deps.pool),
    // Work under a lock re-reads what another holder may have changed: nothing remembered from before.
    locks: { ...locks, withLock: (key, work) => locks.withLock(key, () => (forgetReads(), work())) },
  };
}

import type { Pool } from 'pg';
import type { Config } from '../../config/schema';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createChannelClients, type ClientsFor } from './channel-clients';

export interface OrderActivityDeps {
  config: Config;
  pool: Pool;
  /** share the worker's per-channel clients (and their Odoo sessions) when given */
  clientsFor?: ClientsFor;
}

/** What every order activity works with: the channel's clients and the bindings table. */
export interface OrderActivityContext {
  clientsFor: ClientsFor;
  bindings: BindingStore;
}

export function createOrderContext(deps: OrderActivityDeps): OrderActivityContext {
  return { clientsFor: deps.clientsFor ?? createChannelClients(deps.config), bindings: createBindingStore(deps.pool) };
}

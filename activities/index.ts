import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../config/schema';
import { createWatermarkStore } from '../store/watermarks';
import { createChannelClients } from '../integrations/channel-clients';
import { createOrderActivities } from './orders';
import { createPlatformActivities } from './platform';
import { createPollActivities } from './triggers/pollMagentoOrders';
import { createSyncActivities } from './sync/activities';

export interface ActivityDeps {
  config: Config;
  pool: Pool;
  /** for activities that start or signal workflows (the pollers); opened on first use */
  temporal: () => Client;
}

/** Every activity the workers register, built from injected dependencies (no globals). */
export function createActivities(deps: ActivityDeps) {
  const clientsFor = createChannelClients(deps.config);
  const watermarks = createWatermarkStore(deps.pool);
  return {
    ...createPlatformActivities(deps),
    ...createPollActivities({ config: deps.config, clientsFor, watermarks, temporal: deps.temporal }),
    ...createOrderActivities({ config: deps.config, pool: deps.pool, clientsFor }),
    ...createSyncActivities({ config: deps.config, pool: deps.pool, clientsFor, watermarks }),
  };
}

export type Activities = ReturnType<typeof createActivities>;

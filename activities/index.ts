import type { Pool } from 'pg';
import type { Config } from '../config/schema';
import { createPlatformActivities } from './platform';

export interface ActivityDeps { config: Config; pool: Pool }

/** Every activity the workers register, built from injected dependencies (no globals). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

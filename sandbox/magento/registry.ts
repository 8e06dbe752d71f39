import type { SandboxRoute } from './router';
import { catalogRoutes } from './routes/catalog';
import { customerRoutes } from './routes/customers';
import { mediaRoutes } from './routes/media';
import { documentRoutes } from './routes/documents';
import { orderRoutes } from './routes/orders';
import { stockRoutes } from './routes/stock';
import { storeRoutes } from './routes/stores';

/** Every Magento route the sandbox serves; the contract test checks this list against routes-2.4.7.tsv. */
export const SANDBOX_ROUTES: readonly SandboxRoute[] = [
  ...orderRoutes,
  ...documentRoutes,
  ...catalogRoutes,
  ...mediaRoutes,
  ...customerRoutes,
  ...storeRoutes,
  ...stockRoutes,
];

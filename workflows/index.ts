// The worker bundles this file: every workflow type is exported from here, one file each.
export { platformCheck } from './platformCheck';
export { orderWorkflow } from './order';
export { orderPoller } from './orderPoller';
export { bulkSync } from './bulkSync';
export { recordSync } from './recordSync';

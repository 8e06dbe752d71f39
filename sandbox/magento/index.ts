export { startMagentoSandbox, type MagentoSandbox, type MagentoSandboxOptions } from './server';
export { SANDBOX_CREDENTIALS, type IntegrationCredentials } from './auth';
export { SANDBOX_ROUTES } from './registry';
export type { OrderSpec } from './order-factory';
export type { SandboxState } from './state';

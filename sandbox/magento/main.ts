import { startMagentoSandbox } from './server';

/**
 * Standalone Magento sandbox:
 *   node --import tsx sandbox/magento/main.ts [port]
 * Port from argv, else MAGENTO_SANDBOX_PORT, else 8081. MAGENTO_SANDBOX_ORDERS (default 25)
 * orders are placed at start; MAGENTO_SANDBOX_BEARER=1 accepts the access token as a Bearer token.
 */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env.MAGENTO_SANDBOX_PORT ?? 8081);
  const sandbox = await startMagentoSandbox({
    port,
    host: process.env.MAGENTO_SANDBOX_HOST ?? '127.0.0.1',
    seed: Number(process.env.DEMO_SEED ?? 42),
    orders: Number(process.env.MAGENTO_SANDBOX_ORDERS ?? 25),
    allowBearer: ['1', 'true', 'yes'].includes((process.env.MAGENTO_SANDBOX_BEARER ?? '').toLowerCase()),
  });
  const c = sandbox.credentials;
  console.log(`Magento sandbox listening on ${sandbox.url} (REST: ${sandbox.url}/rest/default/V1/...)`);
  console.log(`  MAGENTO_BASE_URL=${sandbox.url}`);
  console.log(`  MAGENTO_CONSUMER_KEY=${c.consumerKey}`);
  console.log(`  MAGENTO_CONSUMER_SECRET=${c.consumerSecret}`);
  console.log(`  MAGENTO_ACCESS_TOKEN=${c.accessToken}`);
  console.log(`  MAGENTO_ACCESS_TOKEN_SECRET=${c.accessTokenSecret}`);
  console.log(`  admin: ${sandbox.url}/__sandbox/counters, /__sandbox/faults, /__sandbox/orders, /__sandbox/reset`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

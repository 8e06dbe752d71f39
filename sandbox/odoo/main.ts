import { startOdooSandbox } from './server';

/**
 * Standalone Odoo sandbox for the demo and manual testing:
 *   node --import tsx sandbox/odoo/main.ts [--port 8069] [--version 18|19] [--fresh]
 * Environment: ODOO_SANDBOX_DATABASE, ODOO_SANDBOX_API_KEY.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const version = Number(arg('version') ?? 18) === 19 ? 19 : 18;
  const sandbox = await startOdooSandbox({
    port: Number(arg('port') ?? 8069),
    host: arg('host') ?? '127.0.0.1',
    version,
    database: process.env.ODOO_SANDBOX_DATABASE ?? 'odoo',
    apiKey: process.env.ODOO_SANDBOX_API_KEY ?? 'sandbox-odoo-api-key',
    seed: argv.includes('--fresh') ? 'fresh' : 'demo',
  });
  process.stdout.write(`Odoo ${version}.0 sandbox listening on ${sandbox.url} (database "${sandbox.database}", login "${sandbox.login}", flavour ${version >= 19 ? 'json2 or jsonrpc' : 'jsonrpc'})\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

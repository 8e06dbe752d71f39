import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../config/load';
import { temporalConnectionOptions } from '../config/temporal';
import { startWebhookGateway } from './webhook-gateway';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const gateway = await startWebhookGateway({ config, client });
  console.log(`[gateway] listening on ${gateway.url} (POST /hooks/odoo/<channel>/<token>, /hooks/magento/<channel>)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void gateway.close().then(() => gateway.pending()).then(() => connection.close()).then(() => process.exit(0));
    });
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `[gateway] ${err.stack ?? err.message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});

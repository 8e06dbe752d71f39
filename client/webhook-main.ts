import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../config/load';
import { temporalConnectionOptions } from '../config/temporal';
import { startWebhookGateway } from './webhook-gateway';
import { createChannelClients } from '../integrations/channel-clients';
import { openDatabase } from '../store/database';
import { createPgReplayStore } from '../store/webhook-replays';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const clientsFor = createChannelClients(config);
  // The replay memory lives in the connector's database when there is one (survives restarts,
  // shared by several gateways); without DATABASE_URL it is this process's memory only.
  const pool = config.database.url ? await openDatabase(config.database.url) : undefined;
  if (!pool) console.log('[gateway] DATABASE_URL is not set: replayed events are remembered only until a restart');
  const gateway = await startWebhookGateway({
    config,
    client,
    ...(pool ? { replays: createPgReplayStore(pool) } : {}),
    // Stock events name the product by id; its SKU is one Odoo read away.
    skuOfProduct: async (channel, productId) => {
      const [product] = await clientsFor(channel).odoo.read('product.product', [productId], ['default_code']);
      return typeof product?.default_code === 'string' ? product.default_code : null;
    },
    // Deliveries name their order by sale_id; its name (the OdooOrder search attribute) is one read away.
    saleOrderName: async (channel, orderId) => (await clientsFor(channel).odoo.readSaleOrder(orderId))?.name ?? null,
  });
  console.log(`[gateway] listening on ${gateway.url} (POST /hooks/odoo/<channel>/<token>, /hooks/magento/<channel>)`);
  console.log(config.ops.token ? `[gateway] ops page at ${gateway.url}/ops (open it as /ops#token=<OPS_TOKEN>)` : '[gateway] no ops page: OPS_TOKEN is not set');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void gateway.close().then(() => gateway.pending()).then(() => connection.close()).then(() => pool?.end()).then(() => process.exit(0));
    });
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `[gateway] ${err.stack ?? err.message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});

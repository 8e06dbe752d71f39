// Odoo's "Send Webhook Notification" for products and stock, through the gateway, into the
// per-record debounced sync workflow, with the real worker, real Temporal and both sandboxes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { recordSyncWorkflowId, type RecordSyncResult } from '../../workflows/recordSync';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { createScratchDatabase } from '../support/database';

const TOKEN = 'odoo-webhook-token-0123456789abcdef';

describe('real-time product and stock sync from Odoo webhooks', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stack: DemoStack;
  let config: Config;
  let workers: Workers;
  let running: Promise<unknown>;
  let gateway: Gateway;
  let odoo: OdooClient;
  const channel = `rt${process.pid}`;

  before(async () => {
    env = await connectTestEnvironment();
    [db, stack] = await Promise.all([createScratchDatabase(), startDemoStack({ code: channel, channel: { webhooks: { odooToken: TOKEN } } })]);
    config = ConfigSchema.parse({ temporal: { taskQueues: { orders: uniqueTaskQueue('rt-orders'), bulk: uniqueTaskQueue('rt-bulk') } } });
    config.channels.push(stack.channel);
    odoo = new OdooClient(stack.channel.odoo);
    workers = await createWorkers(config, db.pool, env.nativeConnection, env.client);
    running = Promise.all([workers.orders.run(), workers.bulk.run()]);
    gateway = await startWebhookGateway({
      config, client: env.client, debounceMs: 1500, log: () => undefined,
      skuOfProduct: async (_channel, productId) => {
        const [product] = await odoo.read('product.product', [productId], ['default_code']);
        return typeof product?.default_code === 'string' ? product.default_code : null;
      },
    }, { port: 0 });
  });
  after(async () => {
    await gateway?.close();
    workers?.orders.shutdown();
    workers?.bulk.shutdown();
    await running;
    await stack?.stop();
    await db?.drop();
    await env?.teardown();
  });

  const notify = (body: Record<string, unknown>) => fetch(`${gateway.url}/hooks/odoo/${channel}/${TOKEN}`, { method: 'POST', body: JSON.stringify(body) });
  const productWrites = () => stack.magento.counters.get('POST /V1/products') + stack.magento.counters.get('PUT /V1/products/:sku');

  test('five edits of one product within the debounce window make one Magento write', async () => {
    const sku = 'GEAR-0004';
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['id', 'product_tmpl_id'] });
    const before = productWrites();
    for (let i = 0; i < 5; i++) {
      await odoo.write('product.template', [(variant!.product_tmpl_id as [number, string])[0]], { list_price: 20 + i });
      const res = await notify({ _model: 'product.product', _id: variant!.id, _action: 'write', default_code: sku });
      assert.equal(res.status, 202);
      await gateway.pending();
    }
    const handle = env.client.workflow.getHandle(recordSyncWorkflowId({ channel, stream: 'catalog', key: sku }));
    const result = (await handle.result()) as RecordSyncResult;
    assert.equal(result.signals, 5);
    assert.equal(result.syncs, 1);
    assert.equal(productWrites() - before, 1, 'one Magento product write for five edits');
  });

  test('a stock event names the product by id; its SKU gets a stock sync', async () => {
    const sku = 'GEAR-0005';
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['id'] });
    const res = await notify({ _model: 'stock.quant', _id: 1, _action: 'write', product_id: [variant!.id, 'GEAR-0005'] });
    assert.equal(res.status, 202);
    await gateway.pending();
    const handle = env.client.workflow.getHandle(recordSyncWorkflowId({ channel, stream: 'stock', key: sku }));
    const result = (await handle.result()) as RecordSyncResult;
    assert.equal(result.syncs, 1);
    assert.ok(stack.magento.counters.sum('POST /V1/inventory') + stack.magento.counters.sum('PUT /V1/products/:sku/stockItems') >= 1, 'the stock was pushed');
  });
});

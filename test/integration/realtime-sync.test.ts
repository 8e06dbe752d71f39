// Odoo's "Send Webhook Notification" for products and stock, through the gateway, into the
// per-record debounced sync workflow, with the real worker, real Temporal and both sandboxes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { type DemoStack } from '../../sandbox/demo-stack';
import { recordSyncWorkflowId, type RecordSyncResult } from '../../workflows/recordSync';
import { startTestConnector, type TestConnector } from '../support/connector';

const TOKEN = 'odoo-webhook-token-0123456789abcdef';

describe('real-time product and stock sync from Odoo webhooks', () => {
  let env: TestWorkflowEnvironment;
  let stack: DemoStack;
  let config: Config;
  let odoo: OdooClient;
  let connector: TestConnector;
  let gateway: Gateway;
  const channel = `rt${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code: channel, channel: { webhooks: { odooToken: TOKEN } } });
    ({ env, stack, config, odoo } = connector);
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
    await connector?.stop();
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

  test('a category renamed and moved in Odoo reaches Magento through the catalog-structure workflow, without touching products', async () => {
    const [bags] = await odoo.searchRead('product.category', [['name', '=', 'Bags']], { fields: ['id'] });
    const [apparel] = await odoo.searchRead('product.category', [['name', '=', 'Apparel']], { fields: ['id'] });
    // the catalog's first sync binds the categories (the demo world has them on both sides)
    const before = productWrites();
    const created = stack.magento.counters.get('POST /V1/categories');
    const magentoId = stack.magento.state.categories.find((c) => c.name === 'Bags')?.id;
    await odoo.write('product.category', [bags!.id], { name: 'Bags & Packs', parent_id: apparel!.id });
    for (const model of ['product.category', 'product.category']) {
      assert.equal((await notify({ _model: model, _id: bags!.id, _action: 'write' })).status, 202);
      await gateway.pending();
    }
    const result = (await env.client.workflow.getHandle(recordSyncWorkflowId({ channel, stream: 'catalog' })).result()) as RecordSyncResult;
    assert.deepEqual([result.signals, result.syncs], [2, 1]);
    const magentoBags = stack.magento.state.categories.find((c) => c.name === 'Bags & Packs');
    assert.equal(magentoBags?.id, magentoId, 'the same Magento category, renamed');
    assert.equal(stack.magento.counters.get('POST /V1/categories'), created, 'not re-created');
    assert.equal(magentoBags?.parent_id, stack.magento.state.categories.find((c) => c.name === 'Apparel')?.id, 'and moved');
    assert.equal(productWrites(), before, 'no product was written');
  });

  test('a partner webhook is ignored where contacts do not flow back to Magento', async () => {
    const res = await notify({ _model: 'res.partner', _id: 7, _action: 'write' });
    assert.equal(res.status, 202);
    await gateway.pending();
    await assert.rejects(env.client.workflow.getHandle(recordSyncWorkflowId({ channel, stream: 'contacts', key: '7' })).describe(), /not found/i);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { createCatalogStream } from '../../activities/sync/catalog';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createBindingStore } from '../../store/bindings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// Odoo as the catalog master with a Magento store that weighs in lbs: Odoo's kg arrive in lbs,
// against both sandboxes over HTTP and a real PostgreSQL.

describe('catalog Odoo → Magento: the store weight unit', { timeout: 60_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;

  before(async () => {
    [stack, db] = await Promise.all([
      startDemoStack({
        code: 'wunit',
        magento: { world: { simpleProducts: 2, configurableProducts: 1 } },
        odoo: { demo: { simpleProducts: 2, configurableProducts: 1 } },
      }),
      createScratchDatabase(),
    ]);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('a store in lbs gets Odoo kg as lbs, to 4 decimals; a second run writes nothing', async () => {
    stack.magento.state.weightUnit = 'lbs';
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    const stream = createCatalogStream({ config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) });
    const odoo = new OdooClient(stack.channel.odoo);
    const [tmpl] = await odoo.searchRead('product.template', [['default_code', '=', 'GEAR-0001']], { fields: ['id'] });
    await odoo.write('product.template', [tmpl!.id], { weight: 2 });

    const first = await runAllPages(stream, { channel: 'wunit', pageSize: 10 });
    assert.deepEqual(first.failed, []);
    assert.equal(Number(stack.magento.state.productBySku('GEAR-0001')!.weight), 4.4092, '2 kg = 4.4092 lb');
    const again = await runAllPages(stream, { channel: 'wunit', pageSize: 10 });
    assert.equal(again.written, 0);
  });
});

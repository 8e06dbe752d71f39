import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mappingsCommand, parkedOrders, waitsOn, type Io } from '../../client/commands/mappings';
import { triggerOrder } from '../../client/order-trigger';
import { ConfigSchema, type Config } from '../../config/schema';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createMappingStore } from '../../store/mappings';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { orderWorkflowId, statusQuery, type OrderStatus } from '../../workflows/order-messages';
import { createScratchDatabase } from '../support/database';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';

// `mappings list|set|unset` in-process against a real Temporal (visibility, signals), a real
// order workflow with the real activities, both sandboxes and a real PostgreSQL.

function capture(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), text: () => lines.join('\n') };
}

describe('waitsOn: which parked reasons name a mapping', () => {
  test('carriers and payment methods by code, taxes by the rate in their label', () => {
    const carrier = 'needs attention at importOrder: order 000000007: unmapped carrier dhl_express (shipping_description "DHL - Express"): bind it';
    assert.equal(waitsOn(carrier, 'carrier', 'dhl_express', null), true);
    assert.equal(waitsOn(carrier, 'carrier', 'dhl', null), false);
    assert.equal(waitsOn('order 1: unmapped payment method checkmo (title "Check"): bind', 'payment_method', 'checkmo', null), true);
    assert.equal(waitsOn('order 1: unmapped tax 8.25% on items[0]: no Odoo sale tax has that rate', 'tax', 'US-TX-*-Rate 1', '8.25% US (TX)'), true);
    assert.equal(waitsOn('order 1: unmapped tax 8.25% on items[0]', 'tax', 'DE-*-*-VAT', '19% DE'), false);
    assert.equal(waitsOn(carrier, 'website', 'base', null), false);
    const pricelist = 'order 1: customer group 2 maps to Odoo pricelist "Wholesale EU" in EUR, but the order is in USD: map the group';
    assert.equal(waitsOn(pricelist, 'customer_group', '2', null), true);
    assert.equal(waitsOn(pricelist, 'customer_group', '1', null), false);
  });
});

describe('mappings CLI: an order parked on an unmapped carrier resumes after `mappings set --retry`', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stack: DemoStack;
  let config: Config;
  let workers: Workers;
  let running: Promise<unknown>;
  const channel = `map${process.pid}`;

  before(async () => {
    env = await connectTestEnvironment();
    [db, stack] = await Promise.all([createScratchDatabase(), startDemoStack({ code: channel })]);
    config = ConfigSchema.parse({
      temporal: { address: process.env.TEMPORAL_TEST_ADDRESS, taskQueues: { orders: uniqueTaskQueue('map-orders'), bulk: uniqueTaskQueue('map-bulk') } },
      database: { url: db.url },
      channels: [],
    });
    config.channels.push(stack.channel);
    workers = await createWorkers(config, db.pool, env.nativeConnection, env.client);
    running = Promise.all([workers.orders.run(), workers.bulk.run()]);
  });
  after(async () => {
    workers?.orders.shutdown();
    workers?.bulk.shutdown();
    await running?.catch(() => undefined);
    await stack?.stop();
    await db?.drop();
    await env?.teardown();
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`never saw: ${what}`);
  }

  test('list shows the carrier unmapped with the order waiting on it; set offers, set --retry resumes the order', async () => {
    const placed = stack.magento.createOrder({ paymentMethod: 'checkmo', customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0001' }], shippingMethod: 'flatrate_flatrate' }) as { entity_id: number; increment_id: string };
    Object.assign(stack.magento.state.order(placed.entity_id)!, { shipping_method: 'dhl_express', shipping_description: 'DHL - Express' });
    assert.equal(await triggerOrder(env.client, config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
    const handle = env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id));
    const parked = await until('the order parked', async () => {
      const s: OrderStatus = await handle.query(statusQuery);
      return s.phase === 'needs_attention' ? s : undefined;
    });
    assert.match(parked.attention?.reason ?? '', /unmapped carrier dhl_express/);
    // Visibility is eventually consistent: wait until the list query sees it parked.
    await until('the parked order in visibility', async () => ((await parkedOrders(env.client, channel)).some((o) => o.incrementId === placed.increment_id) ? true : undefined));

    const listed = capture();
    assert.equal(await mappingsCommand(config, ['list', 'carrier'], listed), 0);
    const row = listed.text().split('\n').find((l) => l.includes('dhl_express'));
    assert.ok(row, listed.text());
    assert.match(row, /UNMAPPED/);
    assert.ok(row.includes(placed.increment_id), 'the waiting order is named');

    const missing = capture();
    assert.equal(await mappingsCommand(config, ['set', 'carrier', 'dhl_express', '99999'], missing), 1);
    assert.match(missing.text(), /Odoo has no delivery.carrier with id 99999/);

    const offered = capture();
    assert.equal(await mappingsCommand(config, ['set', 'carrier', 'dhl_express', '1'], offered), 0);
    assert.match(offered.text(), /1 order\(s\) wait on it/);
    assert.equal((await handle.query(statusQuery)).phase, 'needs_attention', 'without --retry nothing is resumed');

    const retried = capture();
    assert.equal(await mappingsCommand(config, ['set', 'carrier', 'dhl_express', '1', '--retry'], retried), 0);
    assert.match(retried.text(), new RegExp(`order ${placed.increment_id}: retry sent`));
    const resumed = await until('the order imported', async () => {
      const s = await handle.query(statusQuery);
      return s.odooOrderId && s.phase !== 'needs_attention' ? s : undefined;
    });
    assert.ok(resumed.odooOrderId);
    assert.equal((await createMappingStore(db.pool).find(channel, 'carrier', 'dhl_express'))?.source, 'ops');

    const unset = capture();
    assert.equal(await mappingsCommand(config, ['unset', 'carrier', 'dhl_express'], unset), 0);
    assert.equal((await createMappingStore(db.pool).find(channel, 'carrier', 'dhl_express'))?.odooId, null);
  });

  test('a customer group is mapped to an Odoo pricelist, checked to exist', async () => {
    const wrong = capture();
    assert.equal(await mappingsCommand(config, ['set', 'customer_group', '2', '99999'], wrong), 1);
    assert.match(wrong.text(), /Odoo has no product.pricelist with id 99999/);
    const ok = capture();
    assert.equal(await mappingsCommand(config, ['set', 'customer_group', '2', '1'], ok), 0);
    assert.match(ok.text(), /customer_group 2 → product.pricelist 1 "Default"/);
    assert.equal((await createMappingStore(db.pool).find(channel, 'customer_group', '2'))?.odooId, 1);
  });

  test('report-only kinds and unmapped customer groups are not counted as unmapped', async () => {
    const store = createMappingStore(db.pool);
    await store.seen(channel, 'website', 'base', 'Main Website');
    await store.seen(channel, 'attribute_set', '4', 'Default (3 groups)');
    await store.seen(channel, 'customer_group', '3', 'Retailer');
    await store.seen(channel, 'carrier', 'ups_ground', 'UPS Ground');
    const listed = capture();
    assert.equal(await mappingsCommand(config, ['list'], listed), 0);
    const rowOf = (key: string) => listed.text().split('\n').find((l) => l.includes(key)) ?? '';
    assert.match(rowOf('Main Website'), /- \(report only\)/);
    assert.match(rowOf('Default (3 groups)'), /- \(report only\)/);
    assert.match(rowOf('Retailer'), /- \(Odoo default pricelist\)/);
    assert.match(rowOf('UPS Ground'), /UNMAPPED/);
    const unmapped = listed.text().split('\n').filter((l) => /\bUNMAPPED\b/.test(l)).length;
    assert.match(listed.text(), new RegExp(`item\\(s\\), ${unmapped} unmapped;`), 'the count is the UNMAPPED rows only');
  });

  test('usage errors exit 64', async () => {
    const io = capture();
    assert.equal(await mappingsCommand(config, ['set', 'nonsense', 'x', '1'], io), 64);
    assert.equal(await mappingsCommand(config, ['set', 'carrier', 'x'], io), 64);
    assert.equal(await mappingsCommand(config, ['frobnicate'], io), 64);
  });
});

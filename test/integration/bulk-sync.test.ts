// The bulk syncs end to end: the real page activities and bulkSync workflow on the real Temporal
// dev server, both sandboxes over HTTP sharing one 500-product world, the real PostgreSQL.
// Assertions are on the sandboxes' request counters and state, not on our own bookkeeping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createChannelClients } from '../../integrations/channel-clients';
import { createStreamRegistry } from '../../activities/sync/registry';
import { createBindingStore } from '../../store/bindings';
import type { SyncPageInput } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import type { Json } from '../../sandbox/magento/state';
import { workflowBundle } from '../../workers/create-workers';
import { bulkSync, type BulkSyncInput } from '../../workflows/bulkSync';
import { runOne, syncStatusTable } from '../../client/commands/sync';
import { progressQuery, syncWorkflowId, type SyncProgress } from '../../workflows/sync-messages';
import { createScratchDatabase } from '../support/database';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';

const WORLD = { simpleProducts: 450, configurableProducts: 50 };

describe('bulk syncs: catalog and stock, Odoo → Magento', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stack: DemoStack;
  let config: Config;
  let odoo: OdooClient;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('bulk-sync');
  const channel = `bs${process.pid}`;
  /** every syncPage attempt, in order */
  const pageCalls: SyncPageInput[] = [];
  /** records every page reports as left out on purpose (what a stream with no target shape for them does) */
  let skipOnPage: Array<{ key: string; reason: string }> | null = null;

  async function startWorker(): Promise<void> {
    const activities = createActivities({ config, pool: db.pool, temporal: () => env.client });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        ...activities,
        syncPage: async (input: SyncPageInput) => {
          pageCalls.push(input);
          const page = await activities.syncPage(input);
          return skipOnPage ? { ...page, skipped: [...page.skipped, ...skipOnPage], skippedCount: page.skippedCount + skipOnPage.length } : page;
        },
      },
    });
    running = worker.run();
  }
  async function stopWorker(): Promise<void> {
    worker.shutdown();
    await running;
  }

  let run = 0;
  const start = (input: Omit<BulkSyncInput, 'channel'> & { channel?: string }) =>
    env.client.workflow.start(bulkSync, {
      taskQueue,
      workflowId: `${syncWorkflowId(input.stream, input.channel ?? channel)}-t${++run}`,
      args: [{ channel, ...input }],
    });
  const sync = async (input: Omit<BulkSyncInput, 'channel'> & { channel?: string }): Promise<SyncProgress> => (await start(input)).result();

  const product = (sku: string): Json | undefined => stack.magento.state.productBySku(sku);
  const templateOf = async (sku: string): Promise<number> => {
    const [row] = await odoo.searchRead('product.template', [['default_code', '=', sku]], { fields: ['id'] });
    assert.ok(row, `Odoo template ${sku}`);
    return row.id;
  };

  before(async () => {
    env = await connectTestEnvironment();
    [db, stack] = await Promise.all([
      createScratchDatabase(),
      startDemoStack({ code: channel, magento: { world: WORLD }, odoo: { demo: WORLD }, channel: { sync: { batchSize: 100 } } }),
    ]);
    config = ConfigSchema.parse({ temporal: { taskQueues: { bulk: taskQueue } }, channels: [] });
    config.channels.push(
      stack.channel,
      { ...stack.channel, code: `${channel}x`, inventory: { ...stack.channel.inventory, warehouse: 'NOPE' } },
      { ...stack.channel, code: `${channel}l`, inventory: { ...stack.channel.inventory, target: 'legacy' } },
    );
    odoo = new OdooClient(stack.channel.odoo);
    // Magento starts without the catalog (the demo seeds it in both): the sync must build it.
    const state = stack.magento.state;
    state.products = [];
    state.sourceItems = [];
    state.categories = state.categories.filter((c) => c.id <= 2);
    for (const attribute of state.attributes) attribute.options = attribute.options.filter((o) => o.value === '');
    await startWorker();
  });
  after(async () => {
    await stopWorker().catch(() => undefined);
    await stack?.stop();
    await db?.drop();
    await env?.teardown();
  });

  test('catalog: 500 products with 50 configurables land; one invalid record is reported, the rest sync', async () => {
    await odoo.write('product.template', [await templateOf('GEAR-0003')], { list_price: -5 });
    stack.magento.counters.reset();
    const handle = await start({ stream: 'catalog', pagesPerRun: 2 });
    const result = await handle.result();

    assert.equal(result.state, 'completed');
    assert.equal(result.total, 500);
    assert.equal(result.done, 500);
    assert.equal(result.written, 499);
    assert.equal(result.failed.count, 1);
    assert.equal(result.failed.last[0]?.key, 'GEAR-0003');
    assert.match(result.failed.last[0]?.reason ?? '', /list_price -5 is negative/);
    assert.ok(result.pages >= 5, 'five pages of 100, across continue-as-new runs');
    assert.ok(result.ratePerSecond > 0 && result.etaSeconds === 0 && !Number.isNaN(Date.parse(result.startedAt)));
    // the progress query of the closed run answers the same figures
    const queried = await env.client.workflow.getHandle(handle.workflowId).query(progressQuery);
    assert.equal(queried.done, 500);
    const described = await env.client.workflow.getHandle(handle.workflowId).describe();
    assert.match(String(described.memo?.summary), /^catalog .*: completed, 500\/500 read, 499 written, 0 unchanged, 1 failed$/);

    const world = stack.magento.world;
    const children = world.products.filter((p) => p.kind === 'configurable').reduce((n, p) => n + p.variants.length, 0);
    assert.equal(stack.magento.counters.get('POST /V1/products'), 449 + 50 + children, 'one write per simple, child and parent');
    assert.equal(stack.magento.state.products.length, 449 + 50 + children);
    assert.equal(product('GEAR-0003'), undefined);

    // a simple product: fields and category
    const demoSimple = world.products.find((p) => p.sku === 'GEAR-0001')!;
    const simple = product('GEAR-0001')!;
    assert.equal(simple.type_id, 'simple');
    assert.equal(simple.name, demoSimple.name);
    assert.equal(Number(simple.price), demoSimple.price);
    assert.equal(simple.status, 1);
    const categoryIds = (simple.custom_attributes as Json[]).find((a) => a.attribute_code === 'category_ids')?.value as string[];
    const category = stack.magento.state.categories.find((c) => String(c.id) === categoryIds[0]);
    assert.equal(category?.name, demoSimple.categoryKey === 'gear/bags' ? 'Bags' : 'Bottles & Flasks');
    const parentCategory = stack.magento.state.categories.find((c) => c.id === category?.parent_id);
    assert.equal(parentCategory?.name, 'Gear', 'categories form the Odoo tree');
    assert.ok(product('GEAR/0010'), 'a SKU with "/" lands');

    // a configurable: options, children linked, child attributes
    const demoTee = world.products.find((p) => p.sku === 'TEE-002')!;
    const tee = product('TEE-002')!;
    assert.equal(tee.type_id, 'configurable');
    const ext = tee.extension_attributes as Json;
    assert.equal((ext.configurable_product_links as number[]).length, demoTee.variants.length);
    assert.deepEqual((ext.configurable_product_options as Json[]).map((o) => o.label).sort(), ['Color', 'Size']);
    const variant = demoTee.variants[0]!;
    const child = product(variant.sku)!;
    assert.equal(child.visibility, 1);
    const color = (child.custom_attributes as Json[]).find((a) => a.attribute_code === 'color')?.value;
    const colorOption = stack.magento.state.attribute('color')!.options.find((o) => o.value === color);
    assert.equal(colorOption?.label, variant.attributes.color);
  });

  test('catalog: a second run writes nothing; 3 price changes make 3 writes; archived means disabled', async () => {
    stack.magento.counters.reset();
    const again = await sync({ stream: 'catalog' });
    assert.equal(stack.magento.counters.get('POST /V1/products'), 0);
    assert.equal(stack.magento.counters.sum('PUT '), 0);
    assert.equal(again.written, 0);

    for (const [i, sku] of ['GEAR-0004', 'GEAR-0005', 'GEAR-0006'].entries()) {
      await odoo.write('product.template', [await templateOf(sku)], { list_price: 1000 + i });
    }
    stack.magento.counters.reset();
    const changed = await sync({ stream: 'catalog' });
    assert.equal(stack.magento.counters.get('POST /V1/products'), 3);
    assert.equal(changed.written, 3);
    assert.equal(Number(product('GEAR-0005')?.price), 1001);

    await odoo.write('product.template', [await templateOf('GEAR-0007')], { active: false });
    stack.magento.counters.reset();
    await sync({ stream: 'catalog' });
    assert.equal(stack.magento.counters.get('POST /V1/products'), 1);
    assert.equal(product('GEAR-0007')?.status, 2, 'archived in Odoo → disabled, not deleted');
  });

  test('catalog: a taken url_key gets the SKU appended; transient Magento faults are retried', async () => {
    const twin = stack.magento.world.products.find((p) => p.sku === 'GEAR-0001')!;
    await odoo.create('product.template', [{ name: twin.name, default_code: 'DUP-0001', list_price: 12.5, type: 'consu', is_storable: true }]);
    stack.magento.counters.reset();
    stack.magento.faults.set([{ route: 'POST /V1/products', fault: 'error503', times: 2 }]);
    const result = await sync({ stream: 'catalog' });
    stack.magento.faults.set([]);
    assert.equal(result.state, 'completed');
    assert.equal(result.failed.count, 0);
    const urlKey = (p: Json | undefined) => (p?.custom_attributes as Json[] | undefined)?.find((a) => a.attribute_code === 'url_key')?.value;
    assert.equal(urlKey(product('DUP-0001')), `${urlKey(product('GEAR-0001'))}-dup-0001`);
    // two 503s, one refusal of the taken key, then the save that landed
    assert.equal(stack.magento.counters.get('POST /V1/products'), 4);
  });

  test('catalog: a page of chosen SKUs (the real-time path) reads and writes just those', async () => {
    const streams = createStreamRegistry({ config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) });
    await odoo.write('product.template', [await templateOf('GEAR-0008')], { list_price: 42.5 });
    const tee = stack.magento.world.products.find((p) => p.sku === 'TEE-003')!;
    stack.magento.counters.reset();
    const result = await streams.get('catalog')!.syncPage({
      channel, stream: 'catalog', cursor: null, since: null, full: false, pageSize: 100, keys: ['GEAR-0008', tee.variants[0]!.sku],
    });
    assert.equal(result.processed, 2, 'the simple product and the configurable holding the variant');
    assert.equal(result.written, 1);
    assert.equal(stack.magento.counters.get('POST /V1/products'), 1);
    assert.equal(Number(product('GEAR-0008')?.price), 42.5);
  });

  test('stock: the first push writes every SKU in batches, then only the ~1% that changed', async () => {
    const skus = stack.magento.state.products.filter((p) => p.type_id === 'simple').length;
    stack.magento.counters.reset();
    const first = await sync({ stream: 'stock' });
    assert.equal(first.state, 'completed');
    assert.equal(first.written, first.done);
    assert.ok(first.done >= skus, `${first.done} storable SKUs read`);
    assert.equal(stack.magento.counters.get('POST /V1/inventory/source-items'), first.pages, 'one batch per page');

    // ~1% of the SKUs change in Odoo (a count, and a reservation for an open order)
    const variants = await odoo.searchRead('product.product', [['default_code', 'like', 'GEAR-']], { fields: ['default_code'], order: 'id asc', limit: 10 });
    for (const [i, v] of variants.entries()) await odoo.setOnHandQuantity(v.id, 8, 500 + i);
    const reservedSku = String(variants[0]!.default_code);
    const quant = stack.odoo.state.db.where('stock.quant', (q) => q.product_id === variants[0]!.id && q.location_id === 8)[0]!;
    quant.reserved_quantity = 120;

    stack.magento.counters.reset();
    const second = await sync({ stream: 'stock' });
    assert.equal(second.written, variants.length);
    assert.equal(second.unchanged, second.done - variants.length);
    assert.ok(stack.magento.counters.get('POST /V1/inventory/source-items') <= variants.length);
    const item = stack.magento.state.sourceItems.find((s) => s.sku === reservedSku);
    assert.equal(item?.quantity, 500 - 120, 'published = on hand − reserved');
    assert.equal(item?.status, 1);
  });

  test('stock: a legacy channel writes the stock item of each changed SKU', async () => {
    const streams = createStreamRegistry({ config, pool: db.pool, clientsFor: createChannelClients(config), bindings: createBindingStore(db.pool) });
    const stock = streams.get('stock')!;
    // the second SKU: the first carries the reservation made by the stock test above
    const [, first] = await odoo.searchRead('product.product', [['default_code', '!=', false], ['is_storable', '=', true]], { fields: ['default_code'], order: 'id asc', limit: 2 });
    await odoo.setOnHandQuantity(first!.id, 8, 77);
    stack.magento.counters.reset();
    const page = { channel: `${channel}l`, stream: 'stock' as const, cursor: null, since: null, full: false, pageSize: 5 };
    const result = await stock.syncPage(page);
    assert.equal(result.processed, 5);
    // GEAR-0003 never reached Magento (its price is invalid): reported, the other four written
    assert.equal(result.written, 4);
    assert.deepEqual(result.failed.map((f) => f.key), ['GEAR-0003']);
    assert.match(result.failed[0]!.reason, /stock of "GEAR-0003": .*product/i);
    assert.equal(result.nextCursor !== null, true);
    assert.equal(stack.magento.counters.get('PUT /V1/products/:productSku/stockItems/:itemId'), 4);
    assert.equal(stack.magento.counters.get('POST /V1/inventory/source-items'), 0);
    assert.equal(stack.magento.state.sourceItems.find((s) => s.sku === first!.default_code)?.quantity, 77);
    stack.magento.counters.reset();
    assert.equal((await stock.syncPage(page)).written, 0, 'unchanged: no write');
    assert.equal(stack.magento.counters.sum('PUT '), 0);
  });

  test('a worker killed between pages resumes from its cursor without redoing finished pages', async () => {
    stack.magento.counters.reset();
    // slow pages down so the test can stop the worker in the middle of the run
    stack.magento.faults.set([{ route: 'POST /V1/inventory/source-items', latencyMs: 150 }]);
    pageCalls.length = 0;
    const handle = await start({ stream: 'stock', full: true, pageSize: 50 });
    let callsBefore: number;
    let mid: SyncProgress | undefined;
    try {
      for (let i = 0; i < 200; i++) {
        const p = await handle.query(progressQuery).catch(() => undefined);
        mid = p ?? mid;
        if (p && p.pages >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      // Graceful shutdown: the page in flight finishes and is recorded; no worker is left.
      await stopWorker();
      callsBefore = pageCalls.length;
      // (queries need a worker; describe does not)
      const described = await handle.describe();
      await startWorker();
      assert.equal(described.status.name, 'RUNNING', 'stopped mid-run');
    }
    assert.ok(callsBefore >= 3, `${callsBefore} pages ran before the worker stopped`);
    // the progress of a run in flight: counts that add up, a rate, an ETA from the known total
    assert.ok(mid && mid.state === 'running' && mid.total !== null && mid.done > 0 && mid.done < mid.total, JSON.stringify(mid));
    assert.equal(mid.written + mid.unchanged + mid.failed.count, mid.done);
    assert.ok(mid.ratePerSecond > 0 && mid.etaSeconds !== null && mid.etaSeconds >= 0);
    const result = await handle.result();
    stack.magento.faults.set([]);

    assert.equal(result.state, 'completed');
    assert.ok(pageCalls.length > callsBefore, 'the new worker ran the remaining pages');
    const cursors = pageCalls.map((c) => c.cursor ?? 'start');
    assert.equal(new Set(cursors).size, cursors.length, `no page ran twice: ${cursors.join(', ')}`);
    assert.equal(pageCalls.length, result.pages);
    // a full run writes every page once: one batch per page, none repeated
    assert.equal(stack.magento.counters.get('POST /V1/inventory/source-items'), result.pages);
    assert.equal(result.written, result.done);
  });

  test('CLI: sync run waits with a progress bar; sync status shows the last run per stream', async () => {
    const lines: string[] = [];
    const code = await runOne(env.client, config, channel, 'catalog', false, (line) => lines.push(line));
    assert.equal(code, 0, lines.join('\n'));
    assert.equal(lines[0], `catalog sync of channel ${channel}: workflow sync-catalog-${channel}`);
    assert.match(lines.join('\n'), /\[#{30}\] 100% {2}\d+\/\d+ {2}written 0/);
    assert.match(lines.at(-1) ?? '', /^done: \d+ read, 0 written, \d+ unchanged, 0 failed, 0 skipped$/);
    // visibility is eventually consistent: wait for the run to be listed
    let table = '';
    for (let i = 0; i < 50 && !/COMPLETED/.test(table); i++) {
      table = await syncStatusTable(env.client, channel);
      if (!/catalog\s+COMPLETED/.test(table)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.match(table, new RegExp(`${channel}\\s+catalog\\s+COMPLETED`));
    assert.match(table, new RegExp(`${channel}\\s+stock\\s+`));
  });

  test('records left out on purpose are counted apart from failures: progress, memo and CLI say "skipped", and the run exits 0', async () => {
    skipOnPage = [{ key: 'KIT-1', reason: 'Magento bundle product "KIT-1" skipped: no Odoo shape' }];
    try {
      const lines: string[] = [];
      const code = await runOne(env.client, config, channel, 'catalog', false, (line) => lines.push(line));
      assert.equal(code, 0, lines.join('\n'));
      const out = lines.join('\n');
      assert.match(out, /0 failed, [1-9]\d* skipped/);
      assert.match(out, /skipped:\n.*KEY.*REASON[\s\S]*KIT-1 .*no Odoo shape/);
      assert.doesNotMatch(out, /^failed:/m);
      const handle = env.client.workflow.getHandle(`sync-catalog-${channel}`);
      const progress = await handle.result();
      assert.equal(progress.failed.count, 0);
      assert.equal(progress.skipped?.count, progress.pages, 'one skipped record per page, summed over the run');
      assert.equal(progress.skipped?.last.at(-1)?.key, 'KIT-1');
      const { memo } = await handle.describe();
      assert.match(String((memo as { summary?: string } | undefined)?.summary), /0 failed, [1-9]\d* skipped$/);
    } finally {
      skipOnPage = null;
    }
  });

  test('a page that cannot succeed fails the run with a readable reason', async () => {
    const handle = await start({ stream: 'stock', channel: `${channel}x` });
    await assert.rejects(handle.result(), (err: Error & { cause?: Error }) => {
      assert.match(err.cause?.message ?? err.message, /no warehouse with code "NOPE"/);
      return true;
    });
    const progress = await handle.query(progressQuery);
    assert.equal(progress.state, 'failed');
    assert.match(progress.error ?? '', /NOPE/);
  });
});

import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { triggerOrder } from '../../client/order-trigger';
import type { OrderSpec } from '../../sandbox/magento';
import type { orderWorkflow } from '../../workflows/order';
import { orderWorkflowId } from '../../workflows/order-messages';
import { ChannelSchema, ConfigSchema, OdooSchema, type ChannelConfig } from '../../config/schema';
import { createOdooTransport, OdooClient } from '../../integrations/odoo';
import type { OdooTransport } from '../../integrations/odoo/transport';
import { MagentoClient } from '../../integrations/magento';
import { buildDemoWorld, type DemoWorld, type DemoWorldOptions } from '../../sandbox/demo-world';
import { startMagentoSandbox, type MagentoSandbox, type MagentoSandboxOptions } from '../../sandbox/magento';
import { createWorkers, type Workers } from '../../workers/create-workers';
import { copyTemplate, type OdooDatabase, type RealOdooTarget } from '../../scripts/real-odoo';
import { createScratchDatabase } from './database';
import { connectTestEnvironment, uniqueTaskQueue } from './temporal';
import type { TestConnector } from './connector';

/**
 * The real-Odoo tier: `npm test` starts one real Odoo server per version and runs the files in
 * test/real-odoo/ once per version, describing the server in REAL_ODOO. Each file gets a database
 * of its own, copied from the template the launcher built.
 */
export function realOdooTarget(): RealOdooTarget | null {
  const raw = process.env.REAL_ODOO;
  return raw ? (JSON.parse(raw) as RealOdooTarget) : null;
}

/** the describe() title and skip reason of a real-tier file */
export function realTier(what: string): { title: string; skip: string | false } {
  const target = realOdooTarget();
  if (!target) return { title: `real Odoo: ${what}`, skip: 'not in a real-Odoo tier run (npm test runs these once per available Odoo version)' };
  return { title: `real Odoo ${target.version}: ${what}`, skip: false };
}

let copies = 0;
export async function freshOdooDatabase(): Promise<OdooDatabase> {
  const target = realOdooTarget();
  if (!target) throw new Error('REAL_ODOO is not set: run this file through `npm test`');
  const flavour = target.version >= 19 ? 'json2' : 'jsonrpc';
  const base = { version: target.version, url: target.url, login: target.login, apiKey: target.apiKey, flavour } as const;
  if (target.database) return { ...base, database: target.database, async drop() {} };
  const database = `${target.prefix}${process.pid}_${++copies}`;
  await copyTemplate({ template: target.template as string, dataDir: target.dataDir as string }, database);
  return {
    ...base,
    database,
    // The run drops every copy at its end; a file drops its own when it is done with it.
    async drop() {},
  };
}

export function odooConfigFor(db: OdooDatabase): ChannelConfig['odoo'] {
  return OdooSchema.parse({ url: db.url, database: db.database, login: db.login, apiKey: db.apiKey, flavour: db.flavour, timeoutMs: 120_000 });
}

/**
 * Raw ORM calls for setting up the merchant's Odoo as a person would in the UI. The connector's
 * own client only offers the calls the connector makes.
 */
export class OdooSetup {
  constructor(private readonly transport: OdooTransport) {}

  static for(db: OdooDatabase): OdooSetup {
    return new OdooSetup(createOdooTransport(odooConfigFor(db)));
  }

  call(model: string, method: string, options: { ids?: number[]; kwargs?: Record<string, unknown>; context?: Record<string, unknown> } = {}): Promise<unknown> {
    return this.transport.call({ model, method, ...options });
  }

  async create(model: string, vals: Record<string, unknown>, context?: Record<string, unknown>): Promise<number> {
    const ids = (await this.call(model, 'create', { kwargs: { vals_list: [vals] }, context })) as number[] | number;
    return Array.isArray(ids) ? (ids[0] as number) : ids;
  }

  searchRead(
    model: string,
    domain: unknown[],
    fields: string[],
    extra: Record<string, unknown> = {},
  ): Promise<Array<Record<string, unknown> & { id: number }>> {
    return this.call(model, 'search_read', { kwargs: { domain, fields, ...extra } }) as Promise<Array<Record<string, unknown> & { id: number }>>;
  }

  async write(model: string, ids: number[], vals: Record<string, unknown>): Promise<void> {
    await this.call(model, 'write', { ids, kwargs: { vals } });
  }
}

export interface SeededOdoo {
  world: DemoWorld;
  stockLocationId: number;
  saleTaxId: number;
  productIds: Map<string, number>;
}

/**
 * The demo merchant's Odoo side on a real server: the catalog (categories, attributes, simple and
 * configurable products with their SKUs), stock on hand, carriers and one "Magento <method>" bank
 * journal per payment method. Taxes are not seeded: the reference sync makes them from Magento's
 * rates, as it would for a merchant.
 */
export async function seedRealOdoo(setup: OdooSetup, options: DemoWorldOptions = {}): Promise<SeededOdoo> {
  const world = buildDemoWorld(options);
  const [warehouse] = await setup.searchRead('stock.warehouse', [], ['lot_stock_id'], { limit: 1 });
  const stockLocationId = (warehouse?.lot_stock_id as [number, string])[0];
  const [saleTax] = await setup.searchRead(
    'account.tax',
    [
      ['type_tax_use', '=', 'sale'],
      ['amount', '=', 15],
    ],
    ['id'],
    { limit: 1 },
  );
  const saleTaxId = saleTax?.id as number;
  const [root] = await setup.searchRead('product.category', [['parent_id', '=', false]], ['id'], { limit: 1, order: 'id asc' });

  const categories = new Map<string, number>();
  for (const cat of world.categories) {
    categories.set(cat.key, await setup.create('product.category', { name: cat.name, parent_id: cat.parentKey ? categories.get(cat.parentKey) : root?.id }));
  }
  const attributes = new Map<string, { id: number; values: Map<string, number> }>();
  for (const attr of world.attributes) {
    const id = await setup.create('product.attribute', {
      name: attr.label,
      create_variant: 'always',
      display_type: attr.code === 'color' ? 'color' : 'radio',
      value_ids: attr.values.map((v) => [0, 0, { name: v }]),
    });
    const values = await setup.searchRead('product.attribute.value', [['attribute_id', '=', id]], ['name']);
    attributes.set(attr.code, { id, values: new Map(values.map((v) => [String(v.name), v.id])) });
  }

  const productIds = new Map<string, number>();
  const quantities: Array<{ productId: number; qty: number }> = [];
  for (const product of world.products) {
    const base = {
      name: product.name,
      type: 'consu',
      is_storable: true,
      categ_id: categories.get(product.categoryKey) ?? root?.id,
      list_price: product.price,
      weight: product.weight,
      invoice_policy: product.invoicePolicy,
      description_sale: product.description,
      taxes_id: [[6, 0, [saleTaxId]]],
      active: product.active,
    };
    if (product.kind === 'simple') {
      const tmpl = await setup.create('product.template', { ...base, default_code: product.sku });
      const [variant] = await setup.searchRead('product.product', [['product_tmpl_id', '=', tmpl]], ['id']);
      productIds.set(product.sku, variant!.id);
      quantities.push({ productId: variant!.id, qty: product.variants[0]?.qtyOnHand ?? 0 });
      continue;
    }
    const codes = Object.keys(product.variants[0]?.attributes ?? {});
    const lines = codes.map((code) => {
      const attr = attributes.get(code)!;
      const used = [...new Set(product.variants.map((v) => v.attributes[code] as string))];
      return [0, 0, { attribute_id: attr.id, value_ids: [[6, 0, used.map((u) => attr.values.get(u))]] }];
    });
    const tmpl = await setup.create('product.template', { ...base, attribute_line_ids: lines });
    const variants = await setup.searchRead('product.product', [['product_tmpl_id', '=', tmpl]], ['product_template_attribute_value_ids']);
    const ptavs = await setup.searchRead('product.template.attribute.value', [['product_tmpl_id', '=', tmpl]], ['product_attribute_value_id']);
    const valueOf = new Map(ptavs.map((p) => [p.id, (p.product_attribute_value_id as [number, string])[0]]));
    for (const variant of product.variants) {
      const wanted = new Set(codes.map((code) => attributes.get(code)!.values.get(variant.attributes[code] as string)));
      const match = variants.find((v) => {
        const got = (v.product_template_attribute_value_ids as number[]).map((id) => valueOf.get(id));
        return got.length === wanted.size && got.every((g) => wanted.has(g));
      });
      if (!match) continue;
      await setup.write('product.product', [match.id], { default_code: variant.sku });
      productIds.set(variant.sku, match.id);
      quantities.push({ productId: match.id, qty: variant.qtyOnHand });
    }
  }
  for (const { productId, qty } of quantities) {
    if (qty <= 0) continue;
    await setup.create('stock.quant', { product_id: productId, location_id: stockLocationId, inventory_quantity_auto_apply: qty }, { inventory_mode: true });
  }

  const [deliveriesCategory] = await setup.searchRead('product.category', [], ['id'], { limit: 1, order: 'id asc' });
  for (const carrier of world.carriers) {
    for (const method of carrier.methods) {
      const name = carrier.methods.length > 1 ? `${carrier.title} (${method})` : carrier.title;
      const tmpl = await setup.create('product.template', {
        name,
        type: 'service',
        default_code: `SHIP-${carrier.magentoCode}-${method}`.toUpperCase(),
        categ_id: deliveriesCategory?.id,
        list_price: 0,
        taxes_id: [[6, 0, []]],
      });
      const [product] = await setup.searchRead('product.product', [['product_tmpl_id', '=', tmpl]], ['id']);
      await setup.create('delivery.carrier', { name, delivery_type: 'fixed', product_id: product!.id, fixed_price: 0 });
    }
  }
  let n = 0;
  for (const method of world.paymentMethods) {
    await setup.create('account.journal', { name: `Magento ${method.title}`, code: `MG${++n}`, type: 'bank' });
  }
  return { world, stockLocationId, saleTaxId, productIds };
}

export interface RealOdooConnector extends TestConnector {
  db: Awaited<ReturnType<typeof createScratchDatabase>>;
  odooDatabase: OdooDatabase;
  setup: OdooSetup;
  seeded: SeededOdoo;
  magentoSandbox: MagentoSandbox;
}

/**
 * The connector against the Magento sandbox and a real Odoo database seeded with the same demo
 * world: the real worker on the dev server `npm test` started, and a scratch PostgreSQL database.
 */
export async function startRealOdooConnector(options: {
  code: string;
  magento?: MagentoSandboxOptions;
  world?: DemoWorldOptions;
  channel?: Record<string, unknown>;
  /** false: no in-process worker (a test that runs the worker as a process of its own) */
  workers?: boolean;
}): Promise<RealOdooConnector> {
  const env = await connectTestEnvironment();
  const odooDatabase = await freshOdooDatabase();
  const setup = OdooSetup.for(odooDatabase);
  const [db, magentoSandbox, seeded] = await Promise.all([
    createScratchDatabase(),
    startMagentoSandbox({ ...options.magento, world: { ...options.world, ...options.magento?.world } }),
    seedRealOdoo(setup, options.world),
  ]);
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = magentoSandbox.credentials;
  const channel = ChannelSchema.parse({
    code: options.code,
    magento: {
      baseUrl: magentoSandbox.url,
      storeCode: 'default',
      timeoutMs: 5000,
      auth: { mode: 'oauth1', consumerKey, consumerSecret, accessToken, accessTokenSecret },
    },
    odoo: {
      url: odooDatabase.url,
      database: odooDatabase.database,
      login: odooDatabase.login,
      apiKey: odooDatabase.apiKey,
      flavour: odooDatabase.flavour,
      timeoutMs: 120_000,
    },
    ...options.channel,
  });
  const config = ConfigSchema.parse({
    temporal: { taskQueues: { orders: uniqueTaskQueue(`${options.code}-orders`), bulk: uniqueTaskQueue(`${options.code}-bulk`) } },
  });
  config.channels.push(channel);
  let workers: Workers | undefined;
  let running: Promise<unknown> | undefined;
  const stack = {
    magento: magentoSandbox,
    channel,
    // The real-tier files use the real Odoo through `odoo`/`setup`; there is no Odoo sandbox.
    odoo: undefined as never,
    async stop() {
      await magentoSandbox.close();
    },
  };
  const connector: RealOdooConnector = {
    env,
    db,
    stack,
    config,
    odooDatabase,
    setup,
    seeded,
    magentoSandbox,
    odoo: new OdooClient(channel.odoo),
    magento: new MagentoClient(channel.magento),
    async startWorkers() {
      workers = await createWorkers(config, db.pool, env.nativeConnection, env.client);
      running = Promise.all([workers.orders.run(), workers.bulk.run()]);
    },
    async stopWorkers() {
      workers?.orders.shutdown();
      workers?.bulk.shutdown();
      await running;
      workers = undefined;
    },
    async stop() {
      await connector.stopWorkers().catch(() => undefined);
      await magentoSandbox.close();
      await db.drop();
      await odooDatabase.drop();
      await env.teardown();
    },
  };
  if (options.workers !== false) await connector.startWorkers();
  return connector;
}

export type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

/** The customer places an order in the Magento sandbox and the order event starts its workflow. */
export async function placeOrder(
  c: RealOdooConnector,
  channel: string,
  spec: OrderSpec,
): Promise<{ handle: OrderHandle; incrementId: string; entityId: number }> {
  const placed = c.magentoSandbox.createOrder(spec) as { entity_id: number; increment_id: string };
  assert.equal(await triggerOrder(c.env.client, c.config.temporal.taskQueues.orders, { channel, incrementId: placed.increment_id }), 'accepted');
  return {
    handle: c.env.client.workflow.getHandle(orderWorkflowId(channel, placed.increment_id)),
    incrementId: placed.increment_id,
    entityId: placed.entity_id,
  };
}

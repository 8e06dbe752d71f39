import { createRecords } from '../../sandbox/odoo/orm';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createChannelClients } from '../../integrations/channel-clients';
import { createCustomersStream } from '../../activities/sync/customers';
import { createReferenceStream } from '../../activities/sync/reference';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import type { Json } from '../../sandbox/magento/state';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createMappingStore } from '../../store/mappings';
import { createScratchDatabase } from '../support/database';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createWatermarkStore } from '../../store/watermarks';
import { workflowBundle } from '../../workers/create-workers';
import { bulkSync } from '../../workflows/bulkSync';
import { syncWorkflowId } from '../../workflows/sync-messages';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal';
import { runAllPages } from '../support/sync-pages';

// The customers and reference streams against both sandboxes over HTTP and a real PostgreSQL,
// called page by page the way the bulk-sync page activity calls them. Odoo's request counters
// prove "no write" and "exactly one write".

const CHANNEL = 'cust';

const runAll = (stream: SyncStream, options: { since?: string | null; full?: boolean; pageSize?: number } = {}) => runAllPages(stream, { channel: CHANNEL, pageSize: 4, ...options });

function config(stack: DemoStack): Config {
  const parsed = ConfigSchema.parse({ channels: [] });
  parsed.channels.push(stack.channel);
  return parsed;
}

describe('customers stream: Magento customers → Odoo partners with child contacts', () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stream: SyncStream;
  let odoo: OdooClient;
  let bindings: BindingStore;
  const writes = () => stack.odoo.counters.get('res.partner.create') + stack.odoo.counters.get('res.partner.write');

  /** a registered customer with three addresses: default billing, default shipping, another */
  function addCustomer(email: string, addresses: Array<Partial<Json>> = [{}, {}, {}]): Json {
    const state = stack.magento.state;
    const id = state.nextId('customer');
    const rows = addresses.map((over, i) => ({
      id: state.nextId('customer_address'), customer_id: id, region: { region_code: null, region: null, region_id: 0 }, region_id: 0,
      country_id: 'DE', street: [`Hauptstraße ${i + 1}`], telephone: `+49 30 ${1000 + i}`, postcode: `1011${i}`, city: ['Berlin', 'Hamburg', 'München'][i % 3],
      firstname: 'Ada', lastname: 'Lovelace', ...over,
    }));
    const customer: Json = {
      id, group_id: 1, default_billing: String(rows[0]?.id), default_shipping: String(rows[1]?.id ?? rows[0]?.id),
      created_at: state.now(), updated_at: state.now(), email, firstname: 'Ada', lastname: 'Lovelace', store_id: 1, website_id: 1, addresses: rows,
    };
    state.customers.push(customer);
    return customer;
  }
  const partnerOf = async (customerId: number) => (await bindings.find(CHANNEL, 'customer', String(customerId)))?.odooId;
  const contactsOf = async (partnerId: number) =>
    odoo.searchRead('res.partner', [['parent_id', '=', partnerId]], { fields: ['type', 'city', 'street', 'country_id'], order: 'id asc' });

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, magento: { world: { customers: 6 } }, odoo: { demo: { customers: 6 } } }), createScratchDatabase()]);
    const cfg = config(stack);
    bindings = createBindingStore(db.pool);
    const deps: StreamDeps = { config: cfg, pool: db.pool, clientsFor: createChannelClients(cfg), bindings };
    stream = createCustomersStream(deps);
    odoo = new OdooClient(stack.channel.odoo);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('a customer with 3 addresses arrives as one partner with invoice, delivery and other contacts; a second run writes nothing', async () => {
    const ada = addCustomer('ada@example.com');
    const first = await runAll(stream);
    assert.deepEqual(first.failed, []);
    assert.equal(first.processed, stack.magento.state.customers.length);
    assert.equal(first.written, stack.magento.state.customers.length);

    const partnerId = await partnerOf(ada.id as number);
    assert.ok(partnerId);
    const [partner] = await odoo.read('res.partner', [partnerId], ['name', 'email', 'parent_id', 'city']);
    assert.equal(partner?.name, 'Ada Lovelace');
    assert.equal(partner?.email, 'ada@example.com');
    assert.equal(partner?.parent_id, false);
    assert.equal(partner?.city, 'Berlin', 'the partner carries the default billing address');
    const contacts = await contactsOf(partnerId);
    assert.deepEqual(contacts.map((c) => [c.type, c.city]), [['invoice', 'Berlin'], ['delivery', 'Hamburg'], ['other', 'München']]);
    assert.equal(await bindings.count(CHANNEL), stack.magento.state.customers.length + stack.magento.state.customers.reduce((n, c) => n + ((c.addresses as Json[]).length), 0));

    stack.odoo.counters.reset();
    const second = await runAll(stream);
    assert.equal(second.written, 0);
    assert.equal(second.unchanged, stack.magento.state.customers.length);
    assert.equal(writes(), 0, 'no Odoo write on an unchanged run');
    assert.equal(stack.odoo.counters.get('res.partner.search_read') + stack.odoo.counters.get('res.partner.read'), 0, 'not even a read');
  });

  test('editing one address updates exactly that contact, from the watermark on', async () => {
    const before = await runAll(stream);
    const ada = stack.magento.state.customers.find((c) => c.email === 'ada@example.com')!;
    const other = (ada.addresses as Json[])[2]!;
    other.city = 'Köln';
    other.street = ['Domplatz 1'];
    ada.updated_at = '2099-01-01 00:00:00';
    stack.odoo.counters.reset();
    const run = await runAll(stream, { since: before.watermark });
    // `since` is inclusive (gteq): customers stamped in the watermark's own second are read
    // again, and skipped by their hash; older ones are not read at all.
    const atWatermark = stack.magento.state.customers.filter((c) => c.updated_at === before.watermark).length;
    assert.equal(run.processed, atWatermark + 1, 'the edited customer plus those of the watermark second');
    assert.equal(run.written, 1);
    assert.equal(stack.odoo.counters.get('res.partner.write'), 1);
    assert.equal(stack.odoo.counters.get('res.partner.create'), 0);
    const contactId = (await bindings.find(CHANNEL, 'address', `${ada.id}:${other.id}`))!.odooId;
    const contacts = await contactsOf((await partnerOf(ada.id as number))!);
    assert.equal(contacts.length, 3);
    assert.deepEqual(contacts.find((c) => c.id === contactId)?.city, 'Köln');
    assert.deepEqual(contacts.filter((c) => c.id !== contactId).map((c) => c.city), ['Berlin', 'Hamburg']);
  });

  test('a run restarted after a failure goes on after the last customer applied, not from the start of its second', async () => {
    await runAll(stream);
    // Ten customers saved in one second (an import), long ago.
    const second = '2001-02-03 04:05:06';
    const batch = Array.from({ length: 10 }, (_, i) => addCustomer(`batch${i}@example.com`, [{}]));
    for (const c of batch) c.updated_at = second;
    const from = '2001-01-01 00:00:00';
    // The first run applies one page of 4, then fails: its watermark is the 4th customer.
    const first = await stream.syncPage({ channel: CHANNEL, stream: 'customers', cursor: null, since: from, full: false, pageSize: 4 });
    assert.equal(first.processed, 4);
    assert.equal(first.watermark, `${second}|${batch[3]!.id}`);
    const reads = stack.magento.counters.get('GET /V1/customers/search');
    const restarted = await runAll(stream, { since: first.watermark });
    const atOrAfter = stack.magento.state.customers.filter((c) => String(c.updated_at) > second || (c.updated_at === second && Number(c.id) > Number(batch[3]!.id))).length;
    assert.equal(restarted.processed, atOrAfter, 'the 6 left of that second and what came later, not the 4 again');
    assert.ok(restarted.processed >= 6);
    assert.ok(stack.magento.counters.get('GET /V1/customers/search') > reads);
    // A second that is not over yet stays a plain timestamp: a customer saved later in it is not skipped.
    const now = stack.magento.state.now();
    const recent = addCustomer('recent@example.com', [{}]);
    recent.updated_at = now;
    const run = await runAll(stream, { since: `${second}|${batch[9]!.id}` });
    const newest = stack.magento.state.customers.map((c) => String(c.updated_at)).sort().at(-1);
    assert.ok(newest! >= now);
    assert.equal(run.watermark, newest, 'the second alone, no id');
  });

  test('a partner made earlier for a guest with the same e-mail is reused, not duplicated', async () => {
    const [guestPartner] = (await odoo.create('res.partner', [{ name: 'grace hopper (guest)', email: 'Grace@Example.com', customer_rank: 1 }])) as [number];
    const grace = addCustomer('grace@example.com', [{ firstname: 'Grace', lastname: 'Hopper' }]);
    grace.firstname = 'Grace';
    grace.lastname = 'Hopper';
    await runAll(stream);
    assert.equal(await partnerOf(grace.id as number), guestPartner);
    const sameEmail = await odoo.searchRead('res.partner', [['email', '=ilike', 'grace@example.com'], ['parent_id', '=', false]], { fields: ['name'] });
    assert.deepEqual(sameEmail.map((p) => [p.id, p.name]), [[guestPartner, 'Grace Hopper']], 'one partner, renamed to the registered name');
  });

  test('an address in a country Odoo does not know is reported with its key; the rest of the customer and the page sync', async () => {
    const bad = addCustomer('atlantis@example.com', [{}, { country_id: 'ZZ' }]);
    const good = addCustomer('fine@example.com');
    const run = await runAll(stream);
    const badAddress = (bad.addresses as Json[])[1]!;
    assert.deepEqual(run.failed.map((f) => f.key), [`${bad.id}:${badAddress.id}`]);
    assert.match(run.failed[0]!.reason, /country_id "ZZ" is not a country in Odoo/);
    assert.equal((await contactsOf((await partnerOf(good.id as number))!)).length, 3);
    assert.equal((await contactsOf((await partnerOf(bad.id as number))!)).length, 1, 'the good address of the bad customer synced');
    // Still reported on the next run (its hash was not stored), and nothing is written twice.
    stack.odoo.counters.reset();
    const again = await runAll(stream);
    assert.equal(again.failed.length, 1);
    assert.equal(stack.odoo.counters.get('res.partner.create'), 0);
  });
  test('a contact deleted in Odoo is reported with its key instead of failing the page', async () => {
    const lin = addCustomer('lin@example.com');
    await runAll(stream);
    const second = (lin.addresses as Json[])[1]!;
    stack.odoo.state.db.remove('res.partner', (await bindings.find(CHANNEL, 'address', `${lin.id}:${second.id}`))!.odooId);
    second.city = 'Dresden';
    const run = await runAll(stream);
    assert.deepEqual(run.failed.map((f) => f.key).filter((k) => k.startsWith(`${lin.id}:`)), [`${lin.id}:${second.id}`]);
    assert.match(run.failed.find((f) => f.key === `${lin.id}:${second.id}`)!.reason, /no longer exists/);
  });

  test('a page of chosen keys (the real-time path) syncs just those customers', async () => {
    const ada = stack.magento.state.customers.find((c) => c.email === 'ada@example.com')!;
    (ada.addresses as Json[])[1]!.city = 'Bremen';
    stack.odoo.counters.reset();
    const r = await stream.syncPage({ channel: CHANNEL, stream: 'customers', cursor: null, since: null, full: false, pageSize: 4, keys: [String(ada.id)] });
    assert.deepEqual([r.processed, r.written, r.nextCursor], [1, 1, null]);
    assert.equal(stack.odoo.counters.get('res.partner.write'), 1);
  });
});

describe('reference stream: stores, groups, tax rates, attribute sets, carrier and payment mappings', () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stream: SyncStream;

  before(async () => {
    // A fresh Odoo: one country-less 15% tax, one carrier and journals not named like Magento's.
    [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, odoo: { seed: 'fresh' }, channel: { reference: { paymentMethods: ['purchaseorder'] } } }), createScratchDatabase()]);
    const cfg = config(stack);
    const deps: StreamDeps = { config: cfg, pool: db.pool, clientsFor: createChannelClients(cfg), bindings: createBindingStore(db.pool) };
    stream = createReferenceStream(deps);
    stack.magento.createOrder({ paymentMethod: 'checkmo', shippingMethod: 'ups_GND' });
    stack.magento.createOrder({ paymentMethod: 'braintree', shippingMethod: 'flatrate_flatrate' });
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  test('tax rates become one Odoo sale tax each (rate and country); a second run creates none', async () => {
    const rates = stack.magento.state.taxRates;
    // As on a real Odoo: a US company cannot invoice German or French VAT, so those rates are
    // reported (no tax made) until it holds a foreign VAT number there (a fiscal position).
    const foreign = rates.filter((r) => r.tax_country_id !== 'US');
    assert.ok(foreign.length > 0);
    const before = await runAll(stream);
    assert.equal(stack.odoo.counters.get('account.tax.create'), rates.length - foreign.length);
    for (const rate of foreign) {
      const reported = before.failed.find((f) => f.key === rate.code);
      assert.match(reported?.reason ?? '', new RegExp(`${String(rate.tax_country_id)} is neither the company's fiscal country.*fiscal position for ${String(rate.tax_country_id)}`));
    }
    const env = stack.odoo.state.env();
    for (const code of new Set(foreign.map((r) => String(r.tax_country_id)))) {
      const country = env.db.where('res.country', (c) => c.code === code)[0]!;
      createRecords(env, 'account.fiscal.position', [{ name: `${code} (OSS)`, country_id: country.id, foreign_vat: `${code}000000000` }]);
    }
    stack.odoo.counters.reset();
    const run = await runAll(stream);
    assert.equal(stack.odoo.counters.get('account.tax.create'), foreign.length, 'the foreign rates are made once the positions exist');
    // Each new tax has a tax group of its own country (made when the country had none).
    for (const rate of rates) {
      const tax = env.db.where('account.tax', (t) => t.name === rate.code)[0];
      if (!tax) continue;
      const group = env.db.must('account.tax.group', tax.tax_group_id as number);
      assert.equal(group.country_id, tax.country_id, `tax group of ${String(rate.code)}`);
    }
    const mappings = createMappingStore(db.pool);
    const odoo = new OdooClient(stack.channel.odoo);
    for (const rate of rates) {
      const mapped = await mappings.find(CHANNEL, 'tax', String(rate.code));
      assert.ok(mapped?.odooId, `tax ${String(rate.code)} is mapped`);
      const [tax] = await odoo.searchRead('account.tax', [['id', '=', mapped.odooId]], { fields: ['amount', 'country_id', 'type_tax_use'] });
      const [country] = await odoo.searchRead('res.country', [['code', '=', rate.tax_country_id]], { fields: ['code'] });
      assert.equal(tax?.amount, Number(rate.rate));
      assert.deepEqual([(tax?.country_id as [number, string])[0], tax?.type_tax_use], [country?.id, 'sale']);
    }
    // Websites, store views and customer groups are recorded for `mappings list`.
    assert.ok((await mappings.list(CHANNEL, 'website')).some((m) => m.magentoKey === 'base'));
    assert.equal((await mappings.list(CHANNEL, 'customer_group')).length, stack.magento.state.customerGroups.length);
    assert.ok((await mappings.list(CHANNEL, 'attribute_set')).length > 0);

    // Carriers and payment methods: none is named like Magento's titles in a fresh Odoo, so each is
    // reported as unmapped, from the orders seen and from the config.
    const unmapped = run.failed.map((f) => f.key).sort();
    assert.deepEqual(unmapped, ['carrier:flatrate_flatrate', 'carrier:ups_GND', 'payment_method:braintree', 'payment_method:checkmo', 'payment_method:purchaseorder']);
    for (const f of run.failed) assert.match(f.reason, /^unmapped .*; fix: mappings set/);
    assert.equal((await mappings.find(CHANNEL, 'carrier', 'ups_GND'))?.odooId, null, 'never guessed');

    stack.odoo.counters.reset();
    const again = await runAll(stream);
    assert.equal(stack.odoo.counters.get('account.tax.create'), 0);
    assert.equal(again.failed.length, 5, 'still unmapped, still reported');
  });

  test('an existing tax of the same rate and country is reused; an ops mapping is kept', async () => {
    const mappings = createMappingStore(db.pool);
    const odoo = new OdooClient(stack.channel.odoo);
    const [germany] = await odoo.searchRead('res.country', [['code', '=', 'DE']], { fields: ['code'] });
    stack.magento.state.taxRates.push({ id: 900, tax_country_id: 'DE', tax_region_id: 0, tax_postcode: '*', rate: 19, code: 'DE-BERLIN-VAT', titles: [] });
    await mappings.set({ channel: CHANNEL, kind: 'carrier', magentoKey: 'ups_GND', odooId: 1, source: 'ops' });
    stack.odoo.counters.reset();
    const run = await runAll(stream);
    assert.equal(stack.odoo.counters.get('account.tax.create'), 0, 'the DE 19% tax made for DE-*-*-VAT is reused');
    assert.equal((await mappings.find(CHANNEL, 'tax', 'DE-BERLIN-VAT'))?.odooId, (await mappings.find(CHANNEL, 'tax', 'DE-*-*-VAT'))?.odooId);
    assert.ok(germany);
    assert.equal((await mappings.find(CHANNEL, 'carrier', 'ups_GND'))?.odooId, 1);
    assert.ok(!run.failed.some((f) => f.key === 'carrier:ups_GND'), 'a mapped carrier is no longer reported');
  });
});

describe('reference stream against the demo Odoo: carriers and journals named like Magento are mapped', () => {
  test('by the same lookup the order import uses', async () => {
    const [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL }), createScratchDatabase()]);
    try {
      const cfg = config(stack);
      const stream = createReferenceStream({ config: cfg, pool: db.pool, clientsFor: createChannelClients(cfg), bindings: createBindingStore(db.pool) });
      stack.magento.createOrder({ paymentMethod: 'checkmo', shippingMethod: 'ups_GND' });
      const run = await runAll(stream);
      assert.deepEqual(run.failed, []);
      assert.equal(stack.odoo.counters.get('account.tax.create'), 0, 'the demo Odoo already has every rate');
      const mappings = createMappingStore(db.pool);
      const carrier = await mappings.find(CHANNEL, 'carrier', 'ups_GND');
      assert.equal(carrier?.source, 'name');
      const [row] = await new OdooClient(stack.channel.odoo).searchRead('delivery.carrier', [['id', '=', carrier!.odooId]], { fields: ['name'] });
      assert.equal(row?.name, 'United Parcel Service (GND)');
    } finally {
      await stack.stop();
      await db.drop();
    }
  });
});

describe('customers and reference through the bulkSync workflow (registry wiring, real Temporal)', () => {
  test('reference then customers run to completion; the watermark moves; a second customers run writes nothing', async () => {
    const env = await connectTestEnvironment();
    const [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, magento: { world: { customers: 5 } }, odoo: { demo: { customers: 5 } } }), createScratchDatabase()]);
    const cfg = config(stack);
    const taskQueue = uniqueTaskQueue('cust-ref');
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(),
      activities: createActivities({ config: cfg, pool: db.pool, temporal: () => env.client }),
    });
    const running = worker.run();
    let n = 0;
    const sync = (stream: 'customers' | 'reference') =>
      env.client.workflow.execute(bulkSync, { taskQueue, workflowId: `${syncWorkflowId(stream, CHANNEL)}-${process.pid}-${++n}`, args: [{ channel: CHANNEL, stream, pageSize: 2 }] });
    try {
      const reference = await sync('reference');
      assert.equal(reference.state, 'completed');
      assert.equal(reference.failed.count, 0);
      const customers = await sync('customers');
      assert.deepEqual([customers.state, customers.done, customers.written, customers.failed.count], ['completed', 5, 5, 0]);
      assert.ok(await createWatermarkStore(db.pool).get(CHANNEL, 'customers'));
      stack.odoo.counters.reset();
      const again = await sync('customers');
      assert.equal(again.written, 0);
      assert.equal(stack.odoo.counters.get('res.partner.create') + stack.odoo.counters.get('res.partner.write'), 0);
    } finally {
      worker.shutdown();
      await running;
      await stack.stop();
      await db.drop();
      await env.teardown();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createChannelClients } from '../../integrations/channel-clients';
import { createContactsStream } from '../../activities/sync/contacts';
import { createCustomersStream } from '../../activities/sync/customers';
import { createReferenceStream } from '../../activities/sync/reference';
import type { StreamDeps } from '../../activities/sync/registry';
import type { SyncStream } from '../../activities/sync/stream';
import { ConfigSchema, type Config } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { createRecords } from '../../sandbox/odoo/orm';
import type { Json } from '../../sandbox/magento/state';
import { createBindingStore, type BindingStore } from '../../store/bindings';
import { createMappingStore } from '../../store/mappings';
import { createScratchDatabase } from '../support/database';
import { runAllPages } from '../support/sync-pages';

// Contacts both ways, against both sandboxes over HTTP and a real PostgreSQL: the customers
// stream (Magento → Odoo) and the contacts stream (Odoo → Magento) on one channel. Assertions
// are on the sandboxes' state and request counters.

const CHANNEL = 'twoway';

const runAll = (stream: SyncStream, options: { since?: string | null; pageSize?: number; channel?: string } = {}) => runAllPages(stream, { channel: CHANNEL, pageSize: 25, ...options });

describe('contacts both ways: Odoo edits reach Magento, Magento edits reach Odoo, nothing ping-pongs', { timeout: 120_000 }, () => {
  let stack: DemoStack;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let odoo: OdooClient;
  let bindings: BindingStore;
  let customers: SyncStream;
  let contacts: SyncStream;
  let deps: StreamDeps;
  let ada: Json;
  const magentoWrites = () => stack.magento.counters.get('PUT /V1/customers/:customerId');
  const odooWrites = () => stack.odoo.counters.get('res.partner.write') + stack.odoo.counters.get('res.partner.create');
  const address = (i: number) => (ada.addresses as Json[])[i] as Json;
  const contactOf = async (i: number): Promise<number> => {
    const bound = await bindings.find(CHANNEL, 'address', `${String(ada.id)}:${String(address(i).id)}`);
    assert.ok(bound, `address ${i} is bound`);
    return bound.odooId;
  };
  const partnerId = async (): Promise<number> => (await bindings.find(CHANNEL, 'customer', String(ada.id)))!.odooId;
  /** what Magento customers and the admin do: change the record and its updated_at */
  const editInMagento = (change: (customer: Json) => void) => {
    change(ada);
    ada.updated_at = stack.magento.state.now();
  };

  before(async () => {
    [stack, db] = await Promise.all([
      startDemoStack({ code: CHANNEL, magento: { world: { customers: 2 } }, odoo: { demo: { customers: 2 } }, channel: { customers: { odooToMagento: true } } }),
      createScratchDatabase(),
    ]);
    const config: Config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel, { ...stack.channel, code: 'oneway', customers: { odooToMagento: false } });
    bindings = createBindingStore(db.pool);
    deps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings };
    customers = createCustomersStream(deps);
    contacts = createContactsStream(deps);
    odoo = new OdooClient(stack.channel.odoo);
    const state = stack.magento.state;
    const id = state.nextId('customer');
    const rows = ['Berlin', 'Hamburg'].map((city, i) => ({
      id: state.nextId('customer_address'), customer_id: id, region: { region_code: null, region: null, region_id: 0 }, region_id: 0,
      country_id: 'DE', street: [`Hauptstraße ${i + 1}`], telephone: `+49 30 ${1000 + i}`, postcode: `1011${i}`, city, firstname: 'Ada', lastname: 'Lovelace',
    }));
    ada = {
      id, group_id: 1, default_billing: String(rows[0]!.id), default_shipping: String(rows[1]!.id),
      created_at: state.now(), updated_at: state.now(), email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', store_id: 1, website_id: 1, addresses: rows,
    };
    state.customers.push(ada);
    const first = await runAll(customers);
    assert.deepEqual(first.failed, []);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });
  beforeEach(() => {
    stack.magento.counters.reset();
    stack.odoo.counters.reset();
  });

  test('right after the customers run there is nothing to carry back', async () => {
    const run = await runAll(contacts);
    assert.deepEqual(run.failed, []);
    assert.equal(run.written, 0);
    assert.equal(magentoWrites(), 0);
  });

  test('a street and phone fixed in Odoo reach that Magento address, in one write; nothing comes back', async () => {
    const delivery = await contactOf(1);
    await odoo.write('res.partner', [delivery], { street: 'Elbchaussee 12', phone: '+49 40 555' });
    const run = await runAll(contacts);
    assert.deepEqual(run.failed, []);
    assert.equal(run.written, 1);
    assert.equal(magentoWrites(), 1);
    assert.deepEqual(address(1).street, ['Elbchaussee 12']);
    assert.equal(address(1).telephone, '+49 40 555');
    assert.equal(address(1).city, 'Hamburg', 'fields Odoo did not change stay');
    assert.deepEqual(address(0).street, ['Hauptstraße 1'], 'the other address is kept (PUT with a subset would delete it)');
    assert.equal((ada.addresses as Json[]).length, 2);

    stack.odoo.counters.reset();
    stack.magento.counters.reset();
    const customersAfter = await runAll(customers);
    assert.equal(customersAfter.written, 0);
    assert.equal(odooWrites(), 0, 'the customers stream does not carry it back');
    assert.equal(stack.odoo.counters.get('res.partner.read'), 0, 'it does not even look: the content hash is up to date');
    const again = await runAll(contacts);
    assert.equal(again.written, 0);
    assert.equal(magentoWrites(), 0, 'the same page twice writes once');
  });

  test('Odoo changes the phone, Magento the city of the same address: both edits survive, whichever stream runs first', async () => {
    const billing = await contactOf(0);
    await odoo.write('res.partner', [billing], { phone: '+49 30 999' });
    editInMagento(() => { address(0).city = 'Potsdam'; });
    // customers first: it writes the city and leaves Odoo's pending phone alone
    const forward = await runAll(customers);
    assert.deepEqual(forward.failed, []);
    const [contact] = await odoo.read('res.partner', [billing], ['city', 'phone']);
    assert.deepEqual([contact?.city, contact?.phone], ['Potsdam', '+49 30 999']);
    // then contacts: the phone reaches Magento, the city stays
    const back = await runAll(contacts);
    assert.deepEqual(back.failed, []);
    assert.equal(address(0).telephone, '+49 30 999');
    assert.equal(address(0).city, 'Potsdam');

    // and the other order: contacts first
    await odoo.write('res.partner', [billing], { zip: '14467' });
    editInMagento(() => { address(0).street = ['Am Neuen Markt 1']; });
    await runAll(contacts);
    await runAll(customers);
    const [after] = await odoo.read('res.partner', [billing], ['zip', 'street']);
    assert.deepEqual([after?.zip, after?.street], ['14467', 'Am Neuen Markt 1']);
    assert.deepEqual([address(0).postcode, address(0).street], ['14467', ['Am Neuen Markt 1']]);
  });

  test('the same field changed on both sides is reported with both values; Magento wins', async () => {
    const delivery = await contactOf(1);
    await odoo.write('res.partner', [delivery], { city: 'Altona' });
    editInMagento(() => { address(1).city = 'Lübeck'; });
    const run = await runAll(contacts);
    assert.equal(run.failed.length, 1);
    assert.equal(run.failed[0]!.key, `contact:${delivery}`);
    assert.match(run.failed[0]!.reason, /changed in both Odoo and Magento.*city \(Odoo "Altona", Magento "Lübeck"\); Magento's version is kept/);
    assert.equal(address(1).city, 'Lübeck');
    await runAll(customers);
    const [contact] = await odoo.read('res.partner', [delivery], ['city']);
    assert.equal(contact?.city, 'Lübeck');
  });

  test('a name changed on the customer in Odoo becomes Magento first and last name', async () => {
    await odoo.write('res.partner', [await partnerId()], { name: 'Augusta Ada King' });
    const run = await runAll(contacts);
    assert.deepEqual(run.failed, []);
    assert.deepEqual([ada.firstname, ada.lastname], ['Augusta Ada', 'King']);
    stack.odoo.counters.reset();
    await runAll(customers);
    assert.equal(odooWrites(), 0);

    await odoo.write('res.partner', [await partnerId()], { name: 'Ada' });
    const bad = await runAll(contacts);
    assert.equal(bad.failed.length, 1);
    assert.match(bad.failed[0]!.reason, /name "Ada" is one word; Magento needs a first and a last name/);
    assert.equal(ada.lastname, 'King', 'nothing half-written');
    await odoo.write('res.partner', [await partnerId()], { name: 'Augusta Ada King' });
    assert.deepEqual((await runAll(contacts)).failed, [], 'fixed in Odoo: nothing left to report');
  });

  test('a delivery address added in Odoo becomes a Magento address, bound, once', async () => {
    const partner = await partnerId();
    const [germany] = await odoo.searchRead('res.country', [['code', '=', 'DE']], { fields: ['id'] });
    const [added] = (await odoo.create('res.partner', [{ parent_id: partner, type: 'delivery', name: 'Ada Lovelace, Analytical Engines Ltd', street: 'Kantstraße 5', city: 'Berlin', zip: '10623', country_id: germany!.id }])) as [number];
    const run = await runAll(contacts);
    assert.deepEqual(run.failed, []);
    const addresses = ada.addresses as Json[];
    assert.equal(addresses.length, 3);
    const created = addresses[2]!;
    assert.deepEqual([created.firstname, created.lastname, created.company, created.street, created.city, created.country_id], ['Ada', 'Lovelace', 'Analytical Engines Ltd', ['Kantstraße 5'], 'Berlin', 'DE']);
    assert.equal(created.telephone, address(0).telephone, 'no phone in Odoo: the billing phone, which Magento requires');
    assert.equal((await bindings.find(CHANNEL, 'address', `${String(ada.id)}:${String(created.id)}`))?.odooId, added);

    stack.magento.counters.reset();
    stack.odoo.counters.reset();
    await runAll(contacts);
    await runAll(customers);
    assert.equal(magentoWrites(), 0);
    assert.equal(stack.odoo.counters.get('res.partner.create'), 0, 'the customers stream does not add it to Odoo again');
  });

  test('a run that dies after the Magento write but before binding does not add the address twice', async () => {
    const [germany] = await odoo.searchRead('res.country', [['code', '=', 'DE']], { fields: ['id'] });
    const [added] = (await odoo.create('res.partner', [{ parent_id: await partnerId(), type: 'other', name: 'Ada Lovelace', street: 'Unter den Linden 1', city: 'Berlin', zip: '10117', phone: '+49 30 7', country_id: germany!.id }])) as [number];
    const count = (ada.addresses as Json[]).length;
    // the worker dies right after Magento answered the PUT: the binding is never written
    const dying = createContactsStream({ ...deps, bindings: { ...bindings, bind: async () => { throw new Error('worker killed'); } } });
    await assert.rejects(runAll(dying), /worker killed/);
    assert.equal((ada.addresses as Json[]).length, count + 1, 'Magento has the address');
    // the retried page adopts it instead of adding another
    const retried = await runAll(contacts);
    assert.deepEqual(retried.failed, []);
    assert.equal((ada.addresses as Json[]).length, count + 1, 'still one');
    const last = (ada.addresses as Json[]).at(-1)!;
    assert.equal((await bindings.find(CHANNEL, 'address', `${String(ada.id)}:${String(last.id)}`))?.odooId, added);
  });

  test('a new contact Magento cannot take (no street) is reported by its id; nothing is written', async () => {
    const [germany] = await odoo.searchRead('res.country', [['code', '=', 'DE']], { fields: ['id'] });
    const [bad] = (await odoo.create('res.partner', [{ parent_id: await partnerId(), type: 'other', name: 'Ada Lovelace', city: 'Bonn', zip: '53111', country_id: germany!.id }])) as [number];
    const run = await runAll(contacts);
    assert.deepEqual(run.failed.map((f) => f.key), [`contact:${bad}`]);
    assert.match(run.failed[0]!.reason, /street is empty/);
    assert.equal(magentoWrites(), 0);
    await odoo.write('res.partner', [bad], { active: false });
    assert.deepEqual((await runAll(contacts)).failed, [], 'an archived contact is not carried back');
  });

  test("one contact Magento cannot take does not hold back the same customer's other contacts", async () => {
    const [billing, delivery] = [await contactOf(0), await contactOf(1)];
    const phone = address(1).telephone;
    await odoo.write('res.partner', [billing], { phone: '+49 30 5151' });
    await odoo.write('res.partner', [delivery], { phone: false, city: 'Wedel' });
    const run = await runAll(contacts);
    assert.deepEqual(run.failed.map((f) => f.key), [`contact:${delivery}`]);
    assert.match(run.failed[0]!.reason, /phone is empty; Magento requires it/);
    assert.equal(address(0).telephone, '+49 30 5151', 'the good one went through');
    assert.deepEqual([address(1).telephone, address(1).city], [phone, 'Lübeck'], 'the bad one is left exactly as it was');
    // fixed in Odoo: goes through on the next run
    await odoo.write('res.partner', [delivery], { phone: '+49 40 1' });
    assert.deepEqual((await runAll(contacts)).failed, []);
    assert.deepEqual([address(1).telephone, address(1).city], ['+49 40 1', 'Wedel']);
  });

  test('a page of chosen partner ids (the real-time path, after an Odoo webhook) reads and writes just those', async () => {
    const billing = await contactOf(0);
    await odoo.write('res.partner', [billing], { phone: '+49 30 4242' });
    const run = await contacts.syncPage({ channel: CHANNEL, stream: 'contacts', cursor: null, since: null, full: false, pageSize: 1, keys: [String(billing)] });
    assert.deepEqual([run.processed, run.written, run.nextCursor, run.failed], [1, 1, null, []]);
    assert.equal(address(0).telephone, '+49 30 4242');
    assert.equal(magentoWrites(), 1);
  });

  test("a state changed in Odoo becomes Magento's region, with Magento's region id", async () => {
    const state = stack.magento.state;
    const id = state.nextId('customer');
    const row = {
      id: state.nextId('customer_address'), customer_id: id, region: { region_code: 'TX', region: 'Texas', region_id: 57 }, region_id: 57,
      country_id: 'US', street: ['1 Main Street'], telephone: '+1 555 0100', postcode: '73301', city: 'Austin', firstname: 'Grace', lastname: 'Hopper',
    };
    const grace: Json = {
      id, group_id: 1, default_billing: String(row.id), default_shipping: String(row.id), created_at: state.now(), updated_at: state.now(),
      email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', store_id: 1, website_id: 1, addresses: [row],
    };
    state.customers.push(grace);
    await runAll(customers);
    const contact = (await bindings.find(CHANNEL, 'address', `${id}:${row.id}`))!.odooId;
    const [oregon] = await odoo.searchRead('res.country.state', [['code', '=', 'OR']], { fields: ['id'] });
    await odoo.write('res.partner', [contact], { state_id: oregon!.id, city: 'Portland', zip: '97201' });
    stack.magento.counters.reset();
    const run = await runAll(contacts);
    assert.deepEqual(run.failed, []);
    const saved = (grace.addresses as Json[])[0]!;
    assert.deepEqual([saved.city, saved.postcode, saved.country_id, saved.region_id], ['Portland', '97201', 'US', 49]);
    assert.equal((saved.region as Json).region_code, 'OR');
    stack.odoo.counters.reset();
    await runAll(customers);
    assert.equal(odooWrites(), 0, 'Oregon maps back to the same Odoo state');
  });

  test('a channel without customers.odooToMagento refuses to run the stream, plainly', async () => {
    await assert.rejects(
      contacts.syncPage({ channel: 'oneway', stream: 'contacts', cursor: null, since: null, full: false, pageSize: 10 }),
      (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && /contact changes from Odoo are not enabled \(customers\.odooToMagento\)/.test(err.message),
    );
  });
});

describe('customer groups → pricelists', { timeout: 60_000 }, () => {
  test('a group with a same-named pricelist is mapped; its customers get that pricelist in Odoo', async () => {
    const [stack, db] = await Promise.all([startDemoStack({ code: 'groups', magento: { world: { customers: 3 } }, odoo: { demo: { customers: 3 } } }), createScratchDatabase()]);
    try {
      const config: Config = ConfigSchema.parse({ channels: [] });
      config.channels.push(stack.channel);
      const bindings = createBindingStore(db.pool);
      const deps: StreamDeps = { config, pool: db.pool, clientsFor: createChannelClients(config), bindings };
      const odoo = new OdooClient(stack.channel.odoo);
      const wholesale = stack.magento.state.customerGroups.find((g) => g.code === 'Wholesale');
      assert.ok(wholesale, 'the demo store has a Wholesale group');
      // the connector never creates pricelists (the merchant does, in Odoo)
      const [pricelist] = createRecords(stack.odoo.state.env(), 'product.pricelist', [{ name: 'Wholesale' }]) as [number];
      const buyer = stack.magento.state.customers[0] as Json;
      buyer.group_id = wholesale.id;

      await runAll(createReferenceStream(deps), { channel: 'groups' });
      const mapping = await createMappingStore(db.pool).find('groups', 'customer_group', String(wholesale.id));
      assert.deepEqual([mapping?.odooId, mapping?.source], [pricelist, 'name']);

      await runAll(createCustomersStream(deps), { channel: 'groups' });
      const partner = (await bindings.find('groups', 'customer', String(buyer.id)))!.odooId;
      const [row] = await odoo.read('res.partner', [partner], ['property_product_pricelist']);
      assert.equal((row?.property_product_pricelist as [number, string])[0], pricelist);
      const other = (await bindings.find('groups', 'customer', String((stack.magento.state.customers[1] as Json).id)))!.odooId;
      const [otherRow] = await odoo.read('res.partner', [other], ['property_product_pricelist']);
      assert.notEqual((otherRow?.property_product_pricelist as [number, string])[0], pricelist, 'an unmapped group keeps the default');
    } finally {
      await stack.stop();
      await db.drop();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MagentoClient } from '../../integrations/magento/client';
import { IntegrationError } from '../../integrations/errors';
import { SearchCriteria } from '../../integrations/magento/search-criteria';
import type { CategoryTree, Customer } from '../../integrations/magento/schemas';
import type { MagentoSandbox } from '../../sandbox/magento/server';
import { rejection, startHarness } from './magento-harness';

/**
 * The four write operations added for catalog and customer sync (category move, attribute create,
 * attribute-set assignment, customer update), over real HTTP through the real client against the
 * Magento sandbox.
 */

let sandbox: MagentoSandbox;
let client: MagentoClient;
let now = new Date('2024-05-01T10:00:00Z');

before(async () => {
  // The sandbox clock is fixed (to check updated_at exactly), which OAuth's timestamp window would
  // refuse: these tests authenticate with the bearer token instead.
  ({ sandbox, client } = await startHarness({ seed: 42, clock: () => now, allowBearer: true }, 'bearer'));
});
after(() => sandbox.close());

function later(minutes: number): string {
  now = new Date(now.getTime() + minutes * 60_000);
  return now.toISOString().slice(0, 19).replace('T', ' ');
}

function findNode(tree: CategoryTree, name: string): CategoryTree | undefined {
  if (tree.name === name) return tree;
  for (const child of tree.children_data ?? []) {
    const found = findNode(child, name);
    if (found) return found;
  }
  return undefined;
}

async function categoryId(name: string): Promise<number> {
  const found = await client.catalog.searchCategories(SearchCriteria.empty().where('name', 'eq', name));
  assert.equal(found.total_count, 1, name);
  return found.items[0]!.id!;
}

describe('PUT /V1/categories/:categoryId/move', () => {
  test('re-parents the category and its subtree; the tree shows it under the new parent', async () => {
    sandbox.reset();
    const [apparel, gear, bags] = [await categoryId('Apparel'), await categoryId('Gear'), await categoryId('Bags')];
    const stamp = later(5);
    assert.equal(await client.catalog.moveCategory(gear, apparel), true);
    assert.equal(sandbox.counters.get('PUT /V1/categories/:categoryId/move'), 1);

    const movedGear = await client.catalog.getCategory(gear);
    assert.equal(movedGear.parent_id, apparel);
    assert.equal(movedGear.path, `1/2/${apparel}/${gear}`);
    assert.equal(movedGear.level, 3);
    assert.equal(movedGear.updated_at, stamp);
    // descendants follow: path and level
    const movedBags = await client.catalog.getCategory(bags);
    assert.equal(movedBags.path, `1/2/${apparel}/${gear}/${bags}`);
    assert.equal(movedBags.level, 4);
    assert.equal(movedBags.updated_at, stamp);

    const tree = await client.catalog.categoryTree();
    assert.deepEqual(tree.children_data?.map((c) => c.name), ['Apparel']);
    const apparelNode = findNode(tree, 'Apparel')!;
    // no afterId: after the last child of the new parent
    assert.deepEqual(apparelNode.children_data?.map((c) => c.name), ['Tops', 'Bottoms', 'Gear']);
    assert.deepEqual(findNode(tree, 'Gear')!.children_data?.map((c) => c.name), ['Bags', 'Bottles & Flasks']);
    assert.equal(findNode(tree, 'Bags')!.level, 4);
    assert.equal((await client.catalog.getCategory(apparel)).children, [await categoryId('Tops'), await categoryId('Bottoms'), gear].join(','));
  });

  test('afterId 0 puts it first; afterId places it after that sibling', async () => {
    sandbox.reset();
    const [apparel, tops, bottoms, bags] = [await categoryId('Apparel'), await categoryId('Tops'), await categoryId('Bottoms'), await categoryId('Bags')];
    await client.catalog.moveCategory(bags, apparel, 0);
    let node = findNode(await client.catalog.categoryTree(), 'Apparel')!;
    assert.deepEqual(node.children_data?.map((c) => c.name), ['Bags', 'Tops', 'Bottoms']);
    await client.catalog.moveCategory(bags, apparel, tops);
    node = findNode(await client.catalog.categoryTree(), 'Apparel')!;
    assert.deepEqual(node.children_data?.map((c) => c.name), ['Tops', 'Bags', 'Bottoms']);
    assert.deepEqual(node.children_data?.map((c) => c.position), [1, 2, 3]);
    assert.equal((await client.catalog.getCategory(bottoms)).parent_id, apparel);
  });

  test('refuses a move under itself or a descendant (400); unknown ids are not_found', async () => {
    sandbox.reset();
    const [apparel, tops] = [await categoryId('Apparel'), await categoryId('Tops')];
    for (const target of [tops, apparel]) {
      const err = await rejection<IntegrationError>(client.catalog.moveCategory(apparel, target));
      assert.ok(err instanceof IntegrationError);
      assert.equal(err.kind, 'validation');
      assert.equal(err.details.status, 400);
      assert.match(err.message, /Operation do not allow to move a parent category to any of children category/);
    }
    assert.equal((await client.catalog.getCategory(apparel)).path, `1/2/${apparel}`);

    const noParent = await rejection<IntegrationError>(client.catalog.moveCategory(apparel, 999));
    assert.equal(noParent.kind, 'not_found');
    assert.match(noParent.message, /No such entity with id = 999/);
    const noCategory = await rejection<IntegrationError>(client.catalog.moveCategory(998, apparel));
    assert.equal(noCategory.kind, 'not_found');
    assert.match(noCategory.message, /No such entity with id = 998/);
  });
});

describe('POST /V1/products/attributes', () => {
  test('creates the attribute with its options; GET returns the same', async () => {
    sandbox.reset();
    const created = await client.catalog.createAttribute({
      attribute_code: 'material',
      frontend_input: 'select',
      default_frontend_label: 'Material',
      frontend_labels: [{ store_id: 1, label: 'Matière' }],
      scope: 'global',
      is_required: false,
      is_user_defined: true,
      options: [{ label: 'Cotton' }, { label: 'Wool', is_default: true }, { label: 'Linen', store_labels: [{ store_id: 1, label: 'Lin' }] }],
    });
    assert.ok(Number.isInteger(created.attribute_id));
    assert.equal(created.attribute_code, 'material');
    assert.equal(created.frontend_input, 'select');
    assert.equal(created.backend_type, 'int');
    assert.equal(created.is_user_defined, true);
    assert.deepEqual(created.frontend_labels, [{ store_id: 1, label: 'Matière' }]);
    assert.equal(created.options?.[0]?.value, '');
    const options = created.options!.slice(1);
    assert.deepEqual(options.map((o) => o.label), ['Cotton', 'Wool', 'Linen']);
    for (const o of options) assert.match(o.value!, /^\d+$/);
    assert.equal(created.default_value, options[1]!.value);

    const fetched = await client.catalog.getAttribute('material');
    assert.deepEqual(fetched, created);
    assert.deepEqual((await client.catalog.attributeOptions('material')).map((o) => o.label), [' ', 'Cotton', 'Wool', 'Linen']);
    const selects = await client.catalog.searchAttributes(SearchCriteria.empty().where('frontend_input', 'eq', 'select'));
    assert.deepEqual(selects.items.map((a) => a.attribute_code), ['color', 'size', 'material']);
  });

  test('a taken code is refused; a missing label names frontend_label', async () => {
    sandbox.reset();
    const dup = await rejection<IntegrationError>(client.catalog.createAttribute({ attribute_code: 'color', frontend_input: 'select', default_frontend_label: 'Colour' }));
    assert.equal(dup.kind, 'validation');
    assert.match(dup.message, /HTTP 400: Attribute with the same code already exists\./);
    const noLabel = await rejection<IntegrationError>(client.catalog.createAttribute({ attribute_code: 'fabric', frontend_input: 'select' }));
    assert.equal(noLabel.kind, 'validation');
    assert.match(noLabel.message, /"frontend_label" is required\. Enter and try again\./);
    const badInput = await rejection<IntegrationError>(client.catalog.createAttribute({ attribute_code: 'fabric', frontend_input: 'dropdown', default_frontend_label: 'Fabric' }));
    assert.match(badInput.message, /Invalid value of "dropdown" provided for the frontend_input field\./);
    const unknownField = await rejection<IntegrationError>(
      client.catalog.createAttribute({ attribute_code: 'fabric', frontend_input: 'text', default_frontend_label: 'Fabric', frontend_label: 'x' } as never),
    );
    assert.match(unknownField.message, /"FrontendLabel" is not supported/);
    await assert.rejects(client.catalog.getAttribute('fabric'), (err: IntegrationError) => err.kind === 'not_found');
  });

  test('without attribute_code Magento derives the code from the label', async () => {
    sandbox.reset();
    const created = await client.catalog.createAttribute({ frontend_input: 'text', default_frontend_label: 'Care Instructions' } as never);
    assert.equal(created.attribute_code, 'care_instructions');
    assert.equal(created.backend_type, 'varchar');
    assert.deepEqual(created.options, []);
  });
});

describe('POST /V1/products/attribute-sets/attributes', () => {
  test('returns the entity attribute id; assigning again is accepted; the set filter of the attribute list sees it', async () => {
    sandbox.reset();
    const material = await client.catalog.createAttribute({ attribute_code: 'material', frontend_input: 'select', default_frontend_label: 'Material', options: [{ label: 'Cotton' }] });
    // the demo's color and size are seeded in set 4 already
    const rowsOf = () => sandbox.state.entityAttributes.filter((e) => e.attribute_id === material.attribute_id);
    const groups = await client.catalog.searchAttributeGroups(SearchCriteria.empty().where('attribute_set_id', 'eq', 4));
    const details = Number(groups.items.find((g) => g.extension_attributes?.attribute_group_code === 'product-details')!.attribute_group_id);
    const content = Number(groups.items.find((g) => g.extension_attributes?.attribute_group_code === 'content')!.attribute_group_id);

    const first = await client.catalog.assignAttributeToSet({ attributeSetId: 4, attributeGroupId: details, attributeCode: 'material', sortOrder: 10 });
    assert.ok(Number.isInteger(first) && first > 0);
    const second = await client.catalog.assignAttributeToSet({ attributeSetId: 4, attributeGroupId: content, attributeCode: 'material' });
    assert.ok(Number.isInteger(second) && second > 0);
    assert.equal(sandbox.counters.get('POST /V1/products/attribute-sets/attributes'), 2);
    assert.equal(rowsOf().filter((e) => e.attribute_set_id === 4).length, 1, 'still one row for (attribute, set)');
    assert.equal(rowsOf()[0]!.attribute_group_id, content);

    const inSet = await client.catalog.searchAttributes(SearchCriteria.empty().where('attribute_set_id', 'eq', 4));
    assert.deepEqual(inSet.items.map((a) => a.attribute_code).sort(), ['color', 'material', 'size']);
    assert.equal('attribute_set_id' in inSet.items[0]!, false);
    const inGroup = await client.catalog.searchAttributes(SearchCriteria.empty().where('attribute_group_id', 'eq', details));
    assert.deepEqual(inGroup.items.map((a) => a.attribute_code).sort(), ['color', 'size'], 'material moved to Content');
  });

  test('unknown set, group or attribute are refused like Magento', async () => {
    sandbox.reset();
    const noSet = await rejection<IntegrationError>(client.catalog.assignAttributeToSet({ attributeSetId: 99, attributeGroupId: 7, attributeCode: 'color' }));
    assert.equal(noSet.kind, 'not_found');
    assert.match(noSet.message, /The AttributeSet with a "99" ID doesn't exist/);
    const noGroup = await rejection<IntegrationError>(client.catalog.assignAttributeToSet({ attributeSetId: 4, attributeGroupId: 999, attributeCode: 'color' }));
    assert.equal(noGroup.kind, 'not_found');
    assert.match(noGroup.message, /The group with the "999" ID doesn't exist/);
    const noAttribute = await rejection<IntegrationError>(client.catalog.assignAttributeToSet({ attributeSetId: 4, attributeGroupId: 7, attributeCode: 'nope' }));
    assert.equal(noAttribute.kind, 'not_found');
    assert.match(noAttribute.message, /The attribute with a "nope" attributeCode doesn't exist/);
    assert.equal(sandbox.state.entityAttributes.length, 2, 'only the seeded color and size');
  });
});

describe('PUT /V1/customers/:customerId', () => {
  async function customer2(): Promise<Customer> {
    const page = await client.customers.search(SearchCriteria.empty().where('email', 'eq', 'customer2@example.com'));
    return page.items[0]!;
  }
  const required = (c: Customer) => ({ email: c.email!, firstname: c.firstname!, lastname: c.lastname!, website_id: c.website_id! });

  test('changes fields, keeps the rest, bumps updated_at; omitting addresses keeps them all', async () => {
    sandbox.reset();
    const before = await customer2();
    assert.equal(before.addresses?.length, 3);
    const stamp = later(7);
    const saved = await client.customers.update(before.id, { ...required(before), id: 12345, firstname: 'Renamed', taxvat: 'FR123' });
    assert.equal(saved.id, before.id, 'the URL id wins');
    assert.equal(saved.firstname, 'Renamed');
    assert.equal(saved.taxvat, 'FR123');
    assert.equal(saved.updated_at, stamp);
    assert.match(saved.updated_at!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(saved.created_at, before.created_at);
    assert.equal(saved.group_id, before.group_id);
    assert.deepEqual(saved.addresses, before.addresses);
    assert.equal(saved.default_billing, before.default_billing);
    assert.deepEqual(await client.customers.get(before.id), saved);
    assert.equal(sandbox.counters.get('PUT /V1/customers/:customerId'), 1);
  });

  test('a customer as read can be sent back: addresses and defaults stay as they were', async () => {
    sandbox.reset();
    const read = await client.customers.get((await customer2()).id);
    const saved = await client.customers.update(read.id, { ...read, lastname: 'Round-Trip' });
    assert.equal(saved.lastname, 'Round-Trip');
    assert.deepEqual(saved.addresses, read.addresses);
    assert.equal(saved.default_billing, read.default_billing);
    assert.equal(saved.default_shipping, read.default_shipping);
    assert.deepEqual(saved.extension_attributes, read.extension_attributes);
  });

  test('a sent address list replaces the addresses: listed ids updated in place, new ones created, the rest deleted', async () => {
    sandbox.reset();
    const before = await customer2();
    const keep = before.addresses!.find((a) => String(a.id) === before.default_billing)!;
    const saved = await client.customers.update(before.id, {
      ...required(before),
      addresses: [
        { id: keep.id, city: 'Austin' },
        { firstname: 'Ann', lastname: 'Other', street: ['1 New St'], city: 'Portland', postcode: '97201', telephone: '555-0100', country_id: 'US', region_id: 49, default_shipping: true },
      ],
    });
    assert.equal(saved.addresses?.length, 2);
    const updated = saved.addresses!.find((a) => a.id === keep.id)!;
    assert.equal(updated.city, 'Austin');
    assert.deepEqual(updated.street, keep.street, 'fields not sent are kept');
    const created = saved.addresses!.find((a) => a.id !== keep.id)!;
    assert.ok(Number.isInteger(created.id));
    assert.equal(created.customer_id, before.id);
    assert.equal(created.region?.region_code, null);
    assert.equal(saved.default_billing, String(keep.id));
    assert.equal(saved.default_shipping, String(created.id));
    assert.equal(created.default_shipping, true);
    assert.equal(updated.default_billing, true);
    assert.equal(updated.default_shipping, undefined);
    assert.deepEqual((await client.customers.get(before.id)).addresses, saved.addresses);

    // an empty list deletes every address, and the defaults with them
    const emptied = await client.customers.update(before.id, { ...required(before), addresses: [] });
    assert.deepEqual(emptied.addresses ?? [], []);
    assert.equal(emptied.default_billing, undefined);
    assert.equal(emptied.default_shipping, undefined);
  });

  test('a missing lastname is a 400 naming it; an unknown id is not_found', async () => {
    sandbox.reset();
    const before = await customer2();
    const { lastname: _lastname, ...withoutLastname } = required(before);
    const err = await rejection<IntegrationError>(client.customers.update(before.id, withoutLastname));
    assert.equal(err.kind, 'validation');
    assert.equal(err.details.status, 400);
    assert.match(err.message, /"Last Name" is a required value\./);
    assert.equal((await client.customers.get(before.id)).lastname, before.lastname);

    const noEmail = await rejection<IntegrationError>(client.customers.update(before.id, { firstname: 'A', lastname: 'B', website_id: 1 }));
    assert.match(noEmail.message, /The customer email is missing\. Enter and try again\./);
    const taken = await rejection<IntegrationError>(client.customers.update(before.id, { ...required(before), email: 'customer1@example.com' }));
    assert.match(taken.message, /A customer with the same email address already exists in an associated website\./);
    const badAddress = await rejection<IntegrationError>(client.customers.update(before.id, { ...required(before), addresses: [{ firstname: 'X', lastname: 'Y', street: ['1 St'], city: 'Z', telephone: '1', postcode: '1', country_id: 'FR' }, { city: 'Nowhere' }] }));
    assert.match(badAddress.message, /"firstname" is required\. Enter and try again\./);

    const missing = await rejection<IntegrationError>(client.customers.update(9999, required(before)));
    assert.equal(missing.kind, 'not_found');
    assert.match(missing.message, /No such entity with customerId = 9999/);
  });
});

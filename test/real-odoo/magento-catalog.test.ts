// The real-Odoo tier, catalog with Magento as master: the bulk sync's catalog stream on the real
// worker reads the Magento sandbox and writes a real Odoo (18 over JSON-RPC, 19 over JSON-2) that
// already holds the merchant's older catalog: existing products are adopted by SKU and updated
// to Magento's values (no duplicate), a new Magento product is created with all its fields,
// variant prices become value extras, and Magento's stock is applied once as an inventory.
// Virtual and downloadable products are real Odoo services (never stocked, ordered without a
// delivery), grouped and bundle products are reported as skipped, attribute sets are product tags.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkSync } from '../../workflows/bulkSync';
import { createMappingStore } from '../../store/mappings';
import { solidPng } from '../support/png';
import { realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('catalog from Magento');

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rm${process.pid}`;
  let runs = 0;
  const sync = (full = false) =>
    c.env.client.workflow.execute(bulkSync, { taskQueue: c.config.temporal.taskQueues.bulk, workflowId: `real-mcat-${channel}-${++runs}`, args: [{ channel, stream: 'catalog', full, pageSize: 5 }] });
  const variant = async (sku: string) => {
    const rows = await c.odoo.searchRead('product.product', [['default_code', '=', sku]], { fields: ['product_tmpl_id', 'lst_price', 'weight', 'active', 'qty_available'], context: { active_test: false } });
    assert.equal(rows.length, 1, `one Odoo product with SKU ${sku}`);
    return rows[0]!;
  };

  before(async () => {
    c = await startRealOdooConnector({ code: channel, world: { simpleProducts: 6, configurableProducts: 1, customers: 1 }, channel: { catalog: { master: 'magento', initialStock: 'apply', images: true } } });
  });
  after(async () => c?.stop());

  test('adopts the existing catalog, creates the new product, prices variants by extras, applies the stock once', async () => {
    const state = c.magentoSandbox.state;
    // Magento is the master now: its prices differ from what Odoo had, the XL children cost 2.50 more.
    const parent = state.products.find((p) => p.type_id === 'configurable')!;
    const childIds = (parent.extension_attributes as { configurable_product_links: number[] }).configurable_product_links;
    const children = state.products.filter((p) => childIds.includes(p.id as number));
    for (const child of children) child.price = Number(parent.price) + (String(child.sku).endsWith('-XL') ? 2.5 : 0);
    const simple = state.products.find((p) => p.type_id === 'simple' && p.visibility === 4)!;
    simple.price = 123.45;
    // and a product Odoo never had
    const fresh = await c.magento.catalog.saveProduct({
      sku: 'NEW-LAMP', name: 'Desk Lamp', type_id: 'simple', attribute_set_id: 4, price: 39.9, weight: 1.75, status: 1, visibility: 4,
      custom_attributes: [{ attribute_code: 'description', value: '<p>A <strong>bright</strong> lamp</p>' }],
    } as never);
    await c.magento.stock.saveSourceItems([{ sku: 'NEW-LAMP', sourceCode: 'default', quantity: 7 }]);
    const lampImage = solidPng(4, 3, [200, 160, 40]);
    await c.magento.media.create('NEW-LAMP', { label: 'lamp', position: 1, types: ['image', 'small_image', 'thumbnail'], base64: lampImage.toString('base64'), mimeType: 'image/png', fileName: 'new-lamp.png' });
    const templatesBefore = await c.odoo.searchCount('product.template', [['type', '=', 'consu']]);

    const result = await sync();
    assert.equal(result.state, 'completed');
    assert.deepEqual(result.failed.last, []);
    assert.equal(await c.odoo.searchCount('product.template', [['type', '=', 'consu']]), templatesBefore + 1, 'only the new product is a new template');

    const lamp = await variant('NEW-LAMP');
    const [lampTmpl] = await c.odoo.read('product.template', [(lamp.product_tmpl_id as [number, string])[0]], ['name', 'list_price', 'weight', 'description', 'active']);
    assert.deepEqual([lampTmpl?.name, lampTmpl?.list_price, lampTmpl?.weight, lampTmpl?.active], ['Desk Lamp', 39.9, 1.75, true]);
    assert.match(String(lampTmpl?.description), /bright/);
    const [withImage] = await c.odoo.read('product.template', [(lamp.product_tmpl_id as [number, string])[0]], ['image_1920', 'write_date']);
    assert.ok(typeof withImage?.image_1920 === 'string' && withImage.image_1920.length > 0, 'the Magento main image on the Odoo template');
    assert.equal(lamp.qty_available, 7, 'the Magento quantity applied in Odoo');
    assert.equal(Number((await variant(simple.sku as string)).lst_price).toFixed(2), '123.45');
    for (const child of children) {
      const v = await variant(child.sku as string);
      assert.equal(Number(v.lst_price).toFixed(2), Number(child.price).toFixed(2), `${child.sku}: template price + value extra = the Magento child's price`);
    }
    assert.ok(fresh.id);

    // Nothing changed: a second run writes nothing; Odoo's later stock moves are never overwritten.
    await c.setup.create('stock.quant', { product_id: lamp.id, location_id: c.seeded.stockLocationId, inventory_quantity_auto_apply: 3 }, { inventory_mode: true });
    const again = await sync();
    assert.equal(again.written, 0);
    const [sameImage] = await c.odoo.read('product.template', [(lamp.product_tmpl_id as [number, string])[0]], ['write_date']);
    assert.equal(sameImage?.write_date, withImage?.write_date, 'the image is not written again');
    assert.equal(again.failed.count, 0);
    const full = await sync(true);
    assert.equal(full.failed.count, 0);
    assert.equal((await variant('NEW-LAMP')).qty_available, 3, 'Odoo stays the stock master');
    assert.equal(await c.odoo.searchCount('product.template', [['type', '=', 'consu']]), templatesBefore + 1);
  });

  test('tier and special prices as pricelist items that real Odoo prices orders by; weights of a store in lbs as kg', async () => {
    const state = c.magentoSandbox.state;
    const wholesale = await c.setup.create('product.pricelist', { name: `Wholesale ${channel}` });
    const mappings = createMappingStore(c.db.pool);
    await mappings.set({ channel, kind: 'customer_group', magentoKey: '2', odooId: wholesale, source: 'ops' });

    const simple = state.products.find((p) => p.sku === 'NEW-LAMP')!;
    simple.tier_prices = [
      { customer_group_id: 2, qty: 10, value: 35 },
      { customer_group_id: 32000, qty: 50, value: 0, extension_attributes: { percentage_value: 20 } },
    ];
    (simple.custom_attributes as Array<{ attribute_code: string; value: unknown }>).push({ attribute_code: 'special_price', value: '38.5' });
    const parent = state.products.find((p) => p.type_id === 'configurable')!;
    const childId = (parent.extension_attributes as { configurable_product_links: number[] }).configurable_product_links[0]!;
    const child = state.productById(childId)!;
    child.tier_prices = [{ customer_group_id: 2, qty: 3, value: Number(child.price) - 2 }];
    child.weight = 2.5;
    state.weightUnit = 'lbs';

    const result = await sync(true);
    assert.equal(result.state, 'completed');
    assert.deepEqual(result.failed.last, []);

    // what a sale order on the wholesale pricelist costs in real Odoo, by quantity
    const partner = await c.setup.create('res.partner', { name: 'Trade buyer' });
    const unitPrice = async (sku: string, qty: number) => {
      const [p] = await c.setup.searchRead('product.product', [['default_code', '=', sku]], ['id']);
      const order = await c.setup.create('sale.order', { partner_id: partner, pricelist_id: wholesale, order_line: [[0, 0, { product_id: p!.id, product_uom_qty: qty }]] });
      const [line] = await c.setup.searchRead('sale.order.line', [['order_id', '=', order]], ['price_unit']);
      return Number(line!.price_unit);
    };
    assert.equal(await unitPrice('NEW-LAMP', 1), 38.5, 'the special price (no dates), below the 39.90 list price');
    assert.equal(await unitPrice('NEW-LAMP', 10), 35, 'the wholesale tier from 10');
    assert.equal(await unitPrice('NEW-LAMP', 60), 31.92, 'ALL GROUPS −20 % from 50: 39.90 × 0.8');
    assert.equal(await unitPrice(child.sku as string, 3), Number((Number(child.price) - 2).toFixed(2)), 'a child’s tier on its variant');
    assert.equal(await unitPrice(child.sku as string, 1), Number(Number(child.price).toFixed(2)), 'below the tier: the variant’s own price');

    const [weighed] = await c.setup.searchRead('product.product', [['default_code', '=', child.sku]], ['weight']);
    assert.equal(weighed!.weight, 1.13, '2.5 lb in kg, at Odoo’s Stock Weight precision');
    const [lamp] = await c.setup.searchRead('product.product', [['default_code', '=', 'NEW-LAMP']], ['weight']);
    assert.equal(lamp!.weight, 0.79, '1.75 lb');

    const items = await c.setup.searchRead('product.pricelist.item', [['pricelist_id', '=', wholesale]], ['id']);
    const again = await sync(true);
    assert.deepEqual(again.failed.last, []);
    assert.deepEqual((await c.setup.searchRead('product.pricelist.item', [['pricelist_id', '=', wholesale]], ['id'])).map((i) => i.id), items.map((i) => i.id), 'a second run makes no item twice');
    state.weightUnit = 'kgs';
  });

  test('virtual and downloadable products as services Odoo sells without a delivery; grouped and bundle skipped; attribute sets as product tags, renamed in place', async () => {
    const state = c.magentoSandbox.state;
    const setId = state.nextId('attribute_set');
    state.attributeSets.push({ attribute_set_id: setId, attribute_set_name: 'Gifts', sort_order: 2, entity_type_id: 4 });
    await c.magento.catalog.saveProduct({ sku: 'RO-GIFT', name: 'Gift wrapping', type_id: 'virtual', attribute_set_id: setId, price: 4.95, status: 1, visibility: 4 } as never);
    await c.magento.catalog.saveProduct({ sku: 'RO-EBOOK', name: 'Care guide (PDF)', type_id: 'downloadable', attribute_set_id: 4, price: 9.99, status: 1, visibility: 4 } as never);
    await c.magento.stock.saveSourceItems([{ sku: 'RO-GIFT', sourceCode: 'default', quantity: 10 }]);
    await c.magento.catalog.saveProduct({ sku: 'RO-PART', name: 'Kit part', type_id: 'simple', attribute_set_id: 4, price: 12.5, weight: 0.4, status: 1, visibility: 1 } as never);
    await c.magento.catalog.saveProduct({
      sku: 'RO-GROUP', name: 'Starter set', type_id: 'grouped', attribute_set_id: 4, status: 1, visibility: 4,
      product_links: [{ sku: 'RO-GROUP', link_type: 'associated', linked_product_sku: 'RO-PART', linked_product_type: 'simple', position: 1 }],
    } as never);
    await c.magento.catalog.saveProduct({
      sku: 'RO-KIT', name: 'Kit', type_id: 'bundle', attribute_set_id: 4, status: 1, visibility: 4,
      extension_attributes: { bundle_product_options: [{ option_id: 1, title: 'Part', type: 'select', required: true, product_links: [{ sku: 'RO-PART', qty: 1 }] }] },
    } as never);

    const result = await sync();
    assert.equal(result.state, 'completed');
    // skipped on purpose, not failed: the run counts no failure, and the CLI's exit code stays 0
    assert.equal(result.failed.count, 0);
    assert.equal(result.skipped?.count, 2);
    assert.deepEqual(result.skipped?.last.map((f: { key: string }) => f.key).sort(), ['RO-GROUP', 'RO-KIT']);
    assert.equal(await c.odoo.searchCount('product.product', [['default_code', 'in', ['RO-GROUP', 'RO-KIT']]]), 0);
    const templateOf = async (sku: string) => {
      const [v] = await c.setup.searchRead('product.product', [['default_code', '=', sku]], ['product_tmpl_id', 'qty_available']);
      assert.ok(v, sku);
      const [t] = await c.setup.searchRead('product.template', [['id', '=', (v.product_tmpl_id as [number, string])[0]]], ['type', 'is_storable', 'list_price', 'product_tag_ids', 'write_date']);
      const tags = await c.setup.searchRead('product.tag', [['id', 'in', t!.product_tag_ids as number[]]], ['name']);
      return { variant: v, template: t!, tags: tags.map((g) => g.name) };
    };
    for (const [sku, price, set] of [['RO-GIFT', 4.95, 'Gifts'], ['RO-EBOOK', 9.99, 'Default']] as const) {
      const { variant: v, template: t, tags } = await templateOf(sku);
      assert.deepEqual([t.type, t.is_storable, t.list_price, v.qty_available], ['service', false, price, 0], `${sku}: a service in real Odoo, its Magento stock not applied`);
      assert.deepEqual(tags, [`Magento set: ${set}`]);
    }
    const part = await templateOf('RO-PART');
    assert.deepEqual([part.template.type, part.template.is_storable, part.tags], ['consu', true, ['Magento set: Default']], 'the grouped / bundle child: a storable product of its own');

    // Odoo's side of an order for a virtual product: confirmed, invoiceable, nothing to deliver
    const partner = await c.setup.create('res.partner', { name: 'Gift buyer' });
    const order = await c.setup.create('sale.order', { partner_id: partner, order_line: [[0, 0, { product_id: (await templateOf('RO-GIFT')).variant.id, product_uom_qty: 2 }]] });
    await c.setup.call('sale.order', 'action_confirm', { ids: [order] });
    const [confirmed] = await c.setup.searchRead('sale.order', [['id', '=', order]], ['state', 'picking_ids', 'amount_untaxed']);
    assert.deepEqual([confirmed!.state, confirmed!.picking_ids, confirmed!.amount_untaxed], ['sale', [], 9.9]);

    // a renamed set: the same tag renamed, no product written, and then nothing at all
    const giftTagBefore = await c.setup.searchRead('product.tag', [['name', '=', 'Magento set: Gifts']], ['id']);
    const before = (await templateOf('RO-GIFT')).template.write_date;
    state.attributeSets.find((s) => s.attribute_set_id === setId)!.attribute_set_name = 'Gift services';
    const renamed = await sync();
    assert.equal(renamed.state, 'completed');
    assert.deepEqual(await c.setup.searchRead('product.tag', [['name', '=', 'Magento set: Gift services']], ['id']), giftTagBefore, 'the same tag, renamed');
    const after = await templateOf('RO-GIFT');
    assert.deepEqual(after.tags, ['Magento set: Gift services']);
    assert.equal(after.template.write_date, before, 'the product is not written for a rename');
    const again = await sync();
    assert.equal(again.written, 0);
    assert.deepEqual(await c.setup.searchRead('product.tag', [['name', 'like', 'Magento set:']], ['id']).then((r) => r.length), 2);
  });
});

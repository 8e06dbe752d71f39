// The same ORM scenarios against real Odoo and against the Odoo sandbox of the same version: every
// rule where real Odoo once answered differently (sandbox/README.md lists them) must answer the
// same on both, so the fast sandbox suite keeps catching what only real Odoo showed first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OdooSchema } from '../../config/schema';
import { createOdooTransport } from '../../integrations/odoo';
import { IntegrationError } from '../../integrations/errors';
import { startOdooSandbox, type OdooSandbox } from '../../sandbox/odoo/server';
import { freshOdooDatabase, OdooSetup, realOdooTarget, realTier } from '../support/real-odoo';

const tier = realTier('the Odoo sandbox answers as real Odoo does');

interface Side { name: string; odoo: OdooSetup }

describe(tier.title, { skip: tier.skip, timeout: 300_000 }, () => {
  let sandbox: OdooSandbox;
  const sides: Side[] = [];

  before(async () => {
    const version = realOdooTarget()!.version as 18 | 19;
    const real = await freshOdooDatabase();
    sandbox = await startOdooSandbox({ version, seed: 'fresh' });
    const sandboxConfig = OdooSchema.parse({ url: sandbox.url, database: sandbox.database, login: sandbox.login, apiKey: sandbox.apiKey, flavour: real.flavour });
    sides.push({ name: `real Odoo ${version}`, odoo: OdooSetup.for(real) }, { name: `sandbox ${version}`, odoo: new OdooSetup(createOdooTransport(sandboxConfig)) });
  });
  after(async () => sandbox?.close());

  /** runs one scenario on both sides; the answers must be equal */
  async function same<T>(scenario: (odoo: OdooSetup) => Promise<T>): Promise<T> {
    const [real, fake] = [await scenario(sides[0]!.odoo), await scenario(sides[1]!.odoo)];
    assert.deepEqual(fake, real, `${sides[1]!.name} answered differently from ${sides[0]!.name}`);
    return real;
  }

  const product = (odoo: OdooSetup, name: string) => odoo.create('product.product', { name, list_price: 10, taxes_id: [[6, 0, []]] });

  test('a line discount is stored rounded to 2 decimals and the line total follows the rounded one', async () => {
    const answer = await same(async (odoo) => {
      const partner = await odoo.create('res.partner', { name: 'Parity discounts' });
      const productId = await product(odoo, 'Parity discounted');
      const orderId = await odoo.create('sale.order', {
        partner_id: partner,
        order_line: [
          [0, 0, { product_id: productId, product_uom_qty: 3, price_unit: 33.33, discount: 12.345 }],
          [0, 0, { product_id: productId, product_uom_qty: 1, price_unit: 10, discount: 7.004 }],
        ],
      });
      const lines = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], ['discount', 'price_subtotal'], { order: 'id asc' });
      return lines.map((l) => [l.discount, l.price_subtotal]);
    });
    assert.deepEqual(answer, [[12.35, 87.64], [7, 9.3]]);
  });

  test('web_save creates and answers in web_read shape: a many2one as its id or {id, display_name}, an x2many as ids or rows', async () => {
    const answer = await same(async (odoo) => {
      const saved = (await odoo.call('res.partner', 'web_save', {
        ids: [],
        kwargs: {
          vals: { name: 'Parity web_save', email: 'parity@example.com', child_ids: [[0, 0, { type: 'invoice', name: 'Billing' }], [0, 0, { type: 'delivery', name: 'Shipping' }]] },
          specification: { name: {}, parent_id: {}, child_ids: { fields: { type: {}, parent_id: {} } } },
        },
      })) as Array<{ id: number; name: string; parent_id: unknown; child_ids: Array<{ id: number; type: string; parent_id: unknown }> }>;
      const [partner] = saved;
      const order = (await odoo.call('sale.order', 'web_save', {
        ids: [],
        kwargs: { vals: { partner_id: partner!.id }, specification: { partner_id: { fields: { display_name: {} } }, picking_ids: {}, amount_total: {}, state: {} } },
      })) as Array<Record<string, unknown> & { id: number }>;
      // ids differ between the two servers: what is compared is how each answer refers to them
      const children = [...partner!.child_ids].sort((a, b) => a.type.localeCompare(b.type));
      return {
        rows: saved.length,
        partner: { name: partner!.name, parent_id: partner!.parent_id, childTypes: children.map((c) => c.type), childParentIsPartner: children.every((c) => c.parent_id === partner!.id) },
        order: { ...order[0], id: typeof order[0]!.id, partner_id: order[0]!.partner_id && { ...(order[0]!.partner_id as object), id: (order[0]!.partner_id as { id: number }).id === partner!.id } },
      };
    });
    assert.deepEqual(answer.partner, { name: 'Parity web_save', parent_id: false, childTypes: ['delivery', 'invoice'], childParentIsPartner: true });
    assert.equal((answer.order as Record<string, unknown>).state, 'draft');
  });

  test('a tax without a tax group gets a group of its country; one of a country with no group is refused', async () => {
    const answer = await same(async (odoo) => {
      const [us] = await odoo.searchRead('res.country', [['code', '=', 'US']], ['id']);
      const home = await odoo.create('account.tax', { name: `Parity 8.25%`, amount: 8.25, amount_type: 'percent', type_tax_use: 'sale', country_id: us!.id });
      const [made] = await odoo.searchRead('account.tax', [['id', '=', home]], ['tax_group_id']);
      const [de] = await odoo.searchRead('res.country', [['code', '=', 'DE']], ['id']);
      let refused = '';
      try {
        await odoo.create('account.tax', { name: 'Parity DE 19%', amount: 19, amount_type: 'percent', type_tax_use: 'sale', country_id: de!.id });
      } catch (err) {
        refused = err instanceof IntegrationError ? err.kind : String(err);
      }
      return { homeHasGroup: Array.isArray(made?.tax_group_id), foreignRefusedAs: refused };
    });
    assert.deepEqual(answer, { homeHasGroup: true, foreignRefusedAs: 'validation' });
  });

  test("a delivery's origin names its sale order as this version does (18: with the client reference)", async () => {
    await same(async (odoo) => {
      const partner = await odoo.create('res.partner', { name: 'Parity delivery' });
      const productId = await product(odoo, 'Parity shipped');
      const orderId = await odoo.create('sale.order', { partner_id: partner, client_order_ref: 'M-000000042', order_line: [[0, 0, { product_id: productId, product_uom_qty: 1, price_unit: 10 }]] });
      await odoo.call('sale.order', 'action_confirm', { ids: [orderId] });
      const [order] = await odoo.searchRead('sale.order', [['id', '=', orderId]], ['name']);
      const pickings = await odoo.searchRead('stock.picking', [['sale_id', '=', orderId]], ['origin']);
      return pickings.map((p) => String(p.origin).replace(String(order!.name), '<order>'));
    });
  });
});

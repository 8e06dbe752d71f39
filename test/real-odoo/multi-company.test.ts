// The real-Odoo tier, several companies (issue 13, part 5): one Odoo database holding two
// companies, each with its own chart of accounts, taxes, warehouse and journals, and a Magento
// store view mapped to the second one (orderDefaults.storeViews.<code>.company). Real Odoo refuses
// a record of one company on a document of another ("Incompatible companies on records"), so each
// lookup the order makes (taxes by rate, warehouse, payment journal) must come from the order's
// company. The API user is allowed both companies, as a merchant's integration user would be.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderSpec } from '../../sandbox/magento';
import { bulkSync } from '../../workflows/bulkSync';
import { odooProgressSignal, retrySignal } from '../../workflows/order-messages';
import { untilStatus } from '../support/order-status';
import { placeOrder, realTier, startRealOdooConnector, type RealOdooConnector } from '../support/real-odoo';

const tier = realTier('two companies in one Odoo');
// Guests check out from Austin, Texas: Magento charges 8.25% tax.
const GUEST = { guest: true, shippingMethod: 'flatrate_flatrate' } as const;
const COMPANY = 'Magento EU Shop';

describe(tier.title, { skip: tier.skip, timeout: 900_000 }, () => {
  let c: RealOdooConnector;
  const channel = `rc${process.pid}`;
  let company: number;
  let warehouse: number;
  let companyTax: number;
  let mainCompany: number;

  before(async () => {
    c = await startRealOdooConnector({
      code: channel,
      world: { simpleProducts: 4, configurableProducts: 0, customers: 1 },
      channel: { orders: { followUpDays: 0 }, orderDefaults: { storeViews: { default: { company: COMPANY, warehouse: 'EU' } } } },
    });
    // The reference sync as a merchant runs it first: the 8.25% tax (in the main company),
    // carriers and the payment journals it maps.
    c.magentoSandbox.createOrder({ ...GUEST, paymentMethod: 'braintree' });
    await c.env.client.workflow.execute(bulkSync, {
      taskQueue: c.config.temporal.taskQueues.bulk,
      workflowId: `real-ref-${channel}`,
      args: [{ channel, stream: 'reference' }],
    });

    // The second company as an accountant sets it up: the generic chart of accounts (journals,
    // accounts, tax groups), its own 8.25% sale tax, its own warehouse, and a payment journal
    // named as the main company's is, since the connector finds journals by name.
    mainCompany = (await c.odoo.whoAmI()).companyId!;
    company = await c.setup.create('res.company', {
      name: COMPANY,
      currency_id: (await c.setup.searchRead('res.currency', [['name', '=', 'USD']], ['id']))[0]!.id,
    });
    const both = { allowed_company_ids: [company, mainCompany] };
    await c.setup.call('account.chart.template', 'try_loading', {
      ids: [],
      kwargs: { template_code: 'generic_coa', company, install_demo: false },
      context: both,
    });
    warehouse = await c.setup.create('stock.warehouse', { name: 'EU Shop', code: 'EU', company_id: company }, both);
    const [mainJournal] = await c.setup.searchRead(
      'account.journal',
      [
        ['name', 'ilike', 'Magento'],
        ['company_id', '=', mainCompany],
      ],
      ['name'],
      { limit: 1, order: 'id desc' },
    );
    await c.setup.create('account.journal', { name: String(mainJournal!.name), code: 'MGEU', type: 'bank', company_id: company }, both);
  });

  /** the second company's own 8.25% sale tax, as its accountant makes it */
  async function makeCompanyTax(): Promise<number> {
    const both = { allowed_company_ids: [company, mainCompany] };
    const [group] = await c.setup.searchRead('account.tax.group', [['company_id', '=', company]], ['id'], { limit: 1, context: both });
    return c.setup.create(
      'account.tax',
      { name: 'EU Shop 8.25%', amount: 8.25, amount_type: 'percent', type_tax_use: 'sale', company_id: company, tax_group_id: group!.id },
      both,
    );
  }
  after(async () => c?.stop());

  const importOrder = (spec: OrderSpec) => placeOrder(c, channel, spec);

  test('the main company’s tax is never put on the second company’s order: with no 8.25% tax of its own the order parks naming company, rate and line; once the tax exists the retry imports it', async () => {
    const { handle } = await importOrder({ ...GUEST, paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0003' }] });
    const parked = await untilStatus(handle, 'parked', (s) => s.phase === 'needs_attention' || s.phase === 'fulfilling', 180_000);
    assert.equal(parked.phase, 'needs_attention');
    assert.match(
      parked.attention?.reason ?? '',
      new RegExp(`order ${parked.incrementId}: unmapped tax 8\\.25% on items\\[0\\]: no Odoo sale tax of company "${COMPANY}" has that rate`),
    );
    assert.equal((await c.odoo.findSaleOrdersByReference(parked.incrementId)).length, 0, 'nothing half made');

    companyTax = await makeCompanyTax();
    await handle.signal(retrySignal);
    const f = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling', 180_000);
    const [so] = await c.odoo.read('sale.order', [f.odooOrderId!], ['company_id']);
    assert.equal((so!.company_id as [number, string])[0], company);
    const taxField = await c.odoo.saleLineTaxField();
    const lines = await c.setup.searchRead(
      'sale.order.line',
      [
        ['order_id', '=', f.odooOrderId!],
        ['is_delivery', '=', false],
        ['display_type', '=', false],
      ],
      [taxField],
    );
    assert.deepEqual(
      lines.map((l) => l[taxField]),
      [[companyTax]],
    );
  });

  test('an order of a store view mapped to the second company: that company’s tax, warehouse and journal; shipped, invoiced and paid there; totals to the cent', async () => {
    const { handle, entityId } = await importOrder({
      ...GUEST,
      paymentMethod: 'braintree',
      lines: [
        { sku: 'GEAR-0001', qty: 2 },
        { sku: 'GEAR-0002', qty: 1 },
      ],
    });
    const f = await untilStatus(handle, 'fulfilling', (s) => s.phase === 'fulfilling' || s.phase === 'needs_attention', 180_000);
    assert.equal(f.phase, 'fulfilling', f.attention?.reason);
    const [so] = await c.odoo.read('sale.order', [f.odooOrderId!], ['company_id', 'warehouse_id', 'amount_total', 'state']);
    assert.deepEqual([(so!.company_id as [number, string])[0], (so!.warehouse_id as [number, string])[0], so!.state], [company, warehouse, 'sale']);
    const mo = await c.magento.orders.get(entityId);
    assert.equal(Number(so!.amount_total).toFixed(2), Number(mo.grand_total).toFixed(2), 'Odoo total = Magento grand total');
    const lines = await c.setup.searchRead(
      'sale.order.line',
      [
        ['order_id', '=', f.odooOrderId!],
        ['is_delivery', '=', false],
        ['display_type', '=', false],
      ],
      ['price_tax'],
    );
    assert.ok(
      lines.every((l) => Number(l.price_tax) > 0),
      'taxed lines',
    );

    const [picking] = (await c.odoo.listPickings(f.odooOrderId!)).filter((p) => p.state !== 'done' && p.state !== 'cancel');
    assert.ok(picking, 'a delivery from the EU warehouse');
    const moves = await c.odoo.listMoves(picking.id);
    await c.odoo.validatePicking(picking.id, { quantities: Object.fromEntries(moves.map((m) => [m.id, m.product_uom_qty])) });
    await handle.signal(odooProgressSignal, {});
    const done = await handle.result();
    assert.equal(done.phase, 'complete', JSON.stringify(done.attention ?? null));
    assert.equal((await c.magento.shipments.forOrder(entityId)).length, 1);
    const invoices = await c.setup.searchRead(
      'account.move',
      [
        ['invoice_origin', '=', f.odooOrderName],
        ['move_type', '=', 'out_invoice'],
      ],
      ['company_id', 'state', 'payment_state', 'amount_total'],
    );
    assert.equal(invoices.length, 1);
    assert.deepEqual([(invoices[0]!.company_id as [number, string])[0], invoices[0]!.state], [company, 'posted']);
    assert.match(String(invoices[0]!.payment_state), /paid|in_payment/);
    assert.equal(Number(invoices[0]!.amount_total).toFixed(2), Number(mo.grand_total).toFixed(2));
  });
});

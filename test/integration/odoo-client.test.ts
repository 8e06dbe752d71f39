import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret } from '../../config/secret';
import type { OdooConfig } from '../../config/schema';
import { IntegrationError } from '../../integrations/errors';
import { OdooClient, createOdooTransport } from '../../integrations/odoo';
import { startOdooSandbox, type OdooSandbox } from '../../sandbox/odoo/server';

function configFor(sandbox: OdooSandbox, flavour: OdooConfig['flavour'], overrides: Partial<Omit<OdooConfig, 'apiKey'>> & { apiKey?: string } = {}): OdooConfig {
  const { apiKey, ...rest } = overrides;
  // These tests look at how one answer is classified: no retry inside the client.
  return { url: sandbox.url, database: sandbox.database, login: sandbox.login, apiKey: new Secret(apiKey ?? sandbox.apiKey), flavour, timeoutMs: 5000, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 }, ...rest };
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof IntegrationError, `expected an IntegrationError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const SETUPS = [
  { version: 18, flavour: 'jsonrpc' },
  { version: 19, flavour: 'json2' },
  { version: 19, flavour: 'jsonrpc' },
] as const;

for (const { version, flavour } of SETUPS) {
  describe(`Odoo client over ${flavour} against a ${version}.0 sandbox`, () => {
    let sandbox: OdooSandbox;
    let client: OdooClient;

    before(async () => {
      sandbox = await startOdooSandbox({ version });
      client = new OdooClient(configFor(sandbox, flavour));
    });
    after(() => sandbox.close());

    test('version() and the test-connection read; credentials are checked once and reused', async () => {
      const { version: v, identity } = await client.testConnection();
      assert.equal(v.major, version);
      assert.equal(v.version, `${version}.0`);
      assert.deepEqual(identity, { uid: 2, login: 'admin', name: 'Administrator', companyId: 1, companyName: 'My Company' });
      await client.whoAmI();
      await client.searchCount('res.partner', []);
      const authCalls = flavour === 'jsonrpc' ? sandbox.counters.get('common.authenticate') : sandbox.counters.get('res.users.context_get');
      assert.equal(authCalls, 1);
      assert.equal(sandbox.counters.get('res.users.read'), 2);
    });

    test('generic ORM calls: search_read with fields/limit/offset/order, search_count, search, read, create, write', async () => {
      const all = await client.searchRead('product.product', [['default_code', '=like', 'GEAR-%']], { fields: ['default_code'], order: 'default_code asc' });
      assert.ok(all.length >= 10);
      const page = await client.searchRead('product.product', [['default_code', '=like', 'GEAR-%']], { fields: ['default_code'], order: 'default_code asc', limit: 3, offset: 2 });
      assert.deepEqual(page.map((r) => r.default_code), all.slice(2, 5).map((r) => r.default_code));
      assert.deepEqual(Object.keys(page[0] ?? {}).sort(), ['default_code', 'id']);
      assert.equal(await client.searchCount('product.product', [['default_code', '=like', 'GEAR-%']]), all.length);
      const ids = await client.search('product.product', [['default_code', '=like', 'GEAR-%']], { limit: 2, order: 'id desc' });
      assert.equal(ids.length, 2);
      assert.ok((ids[0] as number) > (ids[1] as number));
      const created = await client.create('product.category', [{ name: 'Odoo test A', parent_id: 1 }, { name: 'Odoo test B', parent_id: 1 }]);
      assert.equal(created.length, 2);
      await client.write('product.category', created, { name: 'Renamed' });
      const read = await client.read('product.category', [...created, 99999999], ['name', 'complete_name', 'parent_id']);
      assert.deepEqual(read.map((r) => r.name), ['Renamed', 'Renamed']);
      assert.deepEqual(read[0]?.parent_id, [1, 'All']);
      assert.equal(read[0]?.complete_name, 'All / Renamed');
    });

    test('catalog and stock: variants by SKU, absolute on-hand quantity, per-warehouse levels', async () => {
      const [variant] = await client.findVariantsBySku(['TEE-001-BLACK-S']);
      assert.ok(variant);
      assert.equal(variant.default_code, 'TEE-001-BLACK-S');
      const [warehouse] = await client.searchRead('stock.warehouse', [['code', '=', 'WH']], { fields: ['lot_stock_id'] });
      const stockLocation = (warehouse?.lot_stock_id as [number, string])[0];
      const quant = await client.setOnHandQuantity(variant.id, stockLocation, 42);
      assert.equal(await client.setOnHandQuantity(variant.id, stockLocation, 40), quant, 'the same quant is reused');
      const [level] = await client.stockLevels([variant.id], { warehouseId: warehouse?.id as number });
      assert.equal(level?.qty_available, 40);
      assert.equal(level?.free_qty, 40);
    });

    test('order flow: confirm → partial delivery → backorder → rest → invoice → post → payment → credit note', async () => {
      const [partner] = await client.create('res.partner', [{
        name: `Flow ${flavour}`, is_company: true, ref: 'MAGE-CUST-1',
        child_ids: [[0, 0, { type: 'invoice', name: 'Billing' }], [0, 0, { type: 'delivery', name: 'Dock' }]],
      }]);
      const addresses = await client.addressGet(partner as number);
      assert.notEqual(addresses.invoice, partner);
      assert.notEqual(addresses.delivery, partner);
      const [a, b] = await client.findVariantsBySku(['GEAR-0001', 'GEAR-0002']);
      assert.ok(a && b);
      const ref = `MAGE-${flavour}-${version}`;
      assert.equal((await client.findSaleOrdersByReference(ref))[0] ?? null, null);
      const orderId = await client.createSaleOrder({
        partnerId: partner as number, invoiceAddressId: addresses.invoice as number, shippingAddressId: addresses.delivery as number,
        clientOrderRef: ref, origin: `magento:${ref}`,
        lines: [{ productId: a.id, quantity: 3, priceUnit: 95, discount: 5, taxIds: [1] }, { productId: b.id, quantity: 2, priceUnit: 20 }, { note: 'Gift wrap' }],
      });
      await client.addDeliveryLine(orderId, 1, 7.5);
      const draft = (await client.findSaleOrdersByReference(ref))[0] ?? null;
      assert.equal(draft?.id, orderId);
      assert.equal(draft?.state, 'draft');
      assert.equal(draft?.amount_total, 364.86, 'same amounts as the recorded 18.0 and 19.0 servers');

      await client.confirmSaleOrder(orderId);
      const confirmed = await client.readSaleOrder(orderId);
      assert.equal(confirmed?.state, 'sale');
      assert.equal(confirmed?.delivery_status, 'pending');
      assert.equal(confirmed?.invoice_status, 'to invoice');
      assert.equal(confirmed?.picking_ids.length, 1);

      const [picking] = await client.listPickings(orderId);
      assert.equal(picking?.state, 'assigned');
      const moves = await client.listMoves(picking?.id as number);
      assert.equal(moves.length, 2);
      const first = moves.find((m) => m.product_uom_qty === 3);
      const second = moves.find((m) => m.product_uom_qty === 2);
      const { backorderIds } = await client.validatePicking(picking?.id as number, { quantities: { [first?.id as number]: 2, [second?.id as number]: 2 } });
      assert.equal(backorderIds.length, 1);
      await client.setTrackingRef(picking?.id as number, '1Z999');
      const afterPartial = await client.listPickings(orderId);
      assert.deepEqual(afterPartial.map((p) => p.state), ['done', 'assigned']);
      assert.equal(afterPartial[0]?.carrier_tracking_ref, '1Z999');
      assert.equal((await client.readSaleOrder(orderId))?.delivery_status, 'partial');
      const backorderMoves = await client.listMoves(backorderIds[0] as number);
      assert.deepEqual(backorderMoves.map((m) => m.product_uom_qty), [1]);

      assert.deepEqual(await client.validatePicking(backorderIds[0] as number), { backorderIds: [] });
      assert.equal((await client.readSaleOrder(orderId))?.delivery_status, 'full');

      const [invoiceId] = await client.invoiceSaleOrder(orderId);
      assert.ok(invoiceId);
      await client.postMove(invoiceId);
      const [invoice] = await client.readMoves([invoiceId]);
      assert.equal(invoice?.state, 'posted');
      assert.equal(invoice?.ref, ref);
      assert.equal(invoice?.amount_total, 364.86);
      assert.equal(invoice?.payment_state, 'not_paid');
      assert.equal((await client.readSaleOrder(orderId))?.invoice_status, 'invoiced');

      const paymentId = await client.registerPayment(invoiceId, { journalId: 6, memo: `Magento ${ref}` });
      const [payment] = await client.read('account.payment', [paymentId], ['state', 'amount', 'memo']);
      assert.equal(payment?.state, 'paid');
      assert.equal(payment?.amount, 364.86);
      assert.equal((await client.readMoves([invoiceId]))[0]?.payment_state, 'paid');

      const refundId = await client.createCreditNote(invoiceId, { journalId: 1, reason: 'Magento credit memo' });
      const [draftRefund] = await client.readMoves([refundId]);
      assert.equal(draftRefund?.move_type, 'out_refund');
      assert.equal(draftRefund?.state, 'draft');
      assert.deepEqual((draftRefund?.reversed_entry_id as [number, string])[0], invoiceId);
      await client.postMove(refundId);
      const [refund] = await client.readMoves([refundId]);
      assert.equal(refund?.state, 'posted');
      assert.match(String(refund?.name), /^RINV\//);
    });

    test('a line discount is stored rounded to 2 decimals, half up, as real Odoo does (decimal precision "Discount")', async () => {
      const [partner] = await client.create('res.partner', [{ name: 'Discounts' }]);
      const [variant] = await client.findVariantsBySku(['GEAR-0003']);
      const orderId = await client.createSaleOrder({
        partnerId: partner as number, clientOrderRef: `DISCOUNT-${flavour}`,
        lines: [{ productId: variant?.id as number, quantity: 3, priceUnit: 33.33, discount: 12.345 }, { productId: variant?.id as number, quantity: 1, priceUnit: 10, discount: 7.004 }],
      });
      const lines = await client.searchRead('sale.order.line', [['order_id', '=', orderId]], { fields: ['discount', 'price_subtotal'], order: 'id asc' });
      assert.deepEqual(lines.map((l) => l.discount), [12.35, 7]);
      // 3 × 33.33 × (1 − 0.1235) = 87.64, not the 87.65 the unrounded 12.345% gives
      assert.deepEqual(lines.map((l) => l.price_subtotal), [87.64, 9.3]);
    });

    test('cancelling a confirmed order cancels it and its open delivery (through the wizard on 18.0)', async () => {
      const [partner] = await client.create('res.partner', [{ name: 'Cancel me' }]);
      const [variant] = await client.findVariantsBySku(['GEAR-0004']);
      const orderId = await client.createSaleOrder({ partnerId: partner as number, clientOrderRef: `CANCEL-${flavour}`, lines: [{ productId: variant?.id as number, quantity: 1, priceUnit: 10 }] });
      await client.confirmSaleOrder(orderId);
      await client.cancelSaleOrder(orderId);
      const order = await client.readSaleOrder(orderId);
      assert.equal(order?.state, 'cancel');
      const [picking] = await client.listPickings(orderId);
      assert.equal(picking?.state, 'cancel');
      assert.equal(sandbox.counters.get('sale.order.cancel.action_cancel'), version === 18 ? 1 : 0);
    });

    test('Odoo allows cancelling a delivered order: the sandbox does too (the workflow must refuse)', async () => {
      const [partner] = await client.create('res.partner', [{ name: 'Shipped' }]);
      const [variant] = await client.findVariantsBySku(['GEAR-0005']);
      const orderId = await client.createSaleOrder({ partnerId: partner as number, clientOrderRef: `SHIPPED-${flavour}`, lines: [{ productId: variant?.id as number, quantity: 1, priceUnit: 10 }] });
      await client.confirmSaleOrder(orderId);
      const [picking] = await client.listPickings(orderId);
      await client.validatePicking(picking?.id as number);
      await client.cancelSaleOrder(orderId);
      const order = await client.readSaleOrder(orderId);
      assert.equal(order?.state, 'cancel');
      assert.equal(order?.delivery_status, 'full');
      assert.equal((await client.listPickings(orderId))[0]?.state, 'done');
    });

    test('external ids: bind once, find, duplicate is a ValidationError', async () => {
      const name = `sale_order_${flavour}_${version}`;
      assert.equal(await client.findXmlId('magento_connector', name), null);
      await client.bindXmlId('magento_connector', name, 'sale.order', 1);
      assert.deepEqual(await client.findXmlId('magento_connector', name), { model: 'sale.order', resId: 1 });
      const err = await failure(client.bindXmlId('magento_connector', name, 'sale.order', 1));
      assert.equal(err.kind, 'validation');
      assert.equal(err.details.remoteType, 'odoo.exceptions.ValidationError');
      assert.equal(err.retryable, false);
    });

    test('business refusals map to non-retryable errors with Odoo’s message', async () => {
      const [partner] = await client.create('res.partner', [{ name: 'Errors' }]);
      // Invoice policy "delivery" (every third demo SKU): nothing to invoice before delivery.
      const [variant] = await client.findVariantsBySku(['GEAR-0003']);
      const orderId = await client.createSaleOrder({ partnerId: partner as number, clientOrderRef: `ERR-${flavour}`, lines: [{ productId: variant?.id as number, quantity: 1, priceUnit: 10 }] });
      await client.confirmSaleOrder(orderId);
      const nothing = await failure(client.invoiceSaleOrder(orderId));
      assert.equal(nothing.kind, 'validation');
      assert.equal(nothing.details.remoteType, 'odoo.exceptions.UserError');
      assert.match(nothing.message, /No items are available to invoice/);
      assert.equal(nothing.details.operation, 'sale.advance.payment.inv.create_invoices');

      const twice = await failure(client.confirmSaleOrder(orderId));
      assert.equal(twice.kind, 'validation');
      assert.match(twice.message, /Some orders are not in a state requiring confirmation\./);

      const missing = await failure(client.write('res.partner', [99999999], { name: 'x' }));
      assert.equal(missing.kind, 'not_found');
      assert.equal(missing.details.remoteType, 'odoo.exceptions.MissingError');

      const priv = await failure(createOdooTransport(configFor(sandbox, flavour)).call({ model: 'sale.order', method: '_create_invoices', ids: [orderId] }));
      assert.equal(priv.kind, 'forbidden');
      assert.equal(priv.details.remoteType, 'odoo.exceptions.AccessError');

      const badField = await failure(client.searchRead('sale.order', [['no_such_field', '=', 1]]));
      assert.equal(badField.retryable, false);
      assert.equal(badField.details.remoteType, 'builtins.ValueError');
    });

    test('injected faults: 500, 429 with Retry-After, timeout and dropped connection are retryable', async () => {
      await client.whoAmI();
      sandbox.faults.set([{ route: 'res.partner.search_count', fault: 'error500', times: 1 }]);
      const server = await failure(client.searchCount('res.partner', []));
      assert.equal(server.kind, 'server');
      assert.equal(server.retryable, true);
      assert.equal(server.details.status, 500);
      assert.equal(typeof (await client.searchCount('res.partner', [])), 'number', 'the fault fired once');

      sandbox.faults.set([{ route: 'res.partner.search_count', fault: 'rate_limit', retryAfterSeconds: 2, times: 1 }]);
      const limited = await failure(client.searchCount('res.partner', []));
      assert.equal(limited.kind, 'rate_limited');
      assert.equal(limited.details.retryAfterMs, 2000);
      assert.equal(limited.retryable, true);

      sandbox.faults.set([{ route: 'res.partner.search_count', fault: 'drop', times: 1 }]);
      const dropped = await failure(client.searchCount('res.partner', []));
      assert.equal(dropped.kind, 'network');
      assert.equal(dropped.retryable, true);

      sandbox.faults.set([{ route: 'res.partner.search_count', fault: 'timeout', times: 1 }]);
      const impatient = new OdooClient(configFor(sandbox, flavour, { timeoutMs: 300 }));
      await impatient.whoAmI();
      const timedOut = await failure(impatient.searchCount('res.partner', []));
      assert.equal(timedOut.kind, 'timeout');
      assert.equal(timedOut.retryable, true);
      sandbox.faults.clear();
    });

    test('an HTML 200 page, a cut-off body and an empty 200 body are retryable, not protocol errors', async () => {
      await client.whoAmI();
      for (const fault of ['html200', 'truncated', 'empty200'] as const) {
        sandbox.faults.set([{ route: 'res.partner.search_count', fault, times: 1 }]);
        const err = await failure(client.searchCount('res.partner', []));
        assert.deepEqual([fault, err.kind, err.retryable, err.details.status], [fault, 'server', true, 200]);
        assert.match(err.message, /res\.partner\.search_count .*not JSON/);
        assert.equal(typeof (await client.searchCount('res.partner', [])), 'number', 'the next attempt gets the answer');
      }
      sandbox.faults.clear();
    });

    test('a wrong API key is a non-retryable auth error that names the database, not the key', async () => {
      const wrongKey = 'definitely-wrong-key-123';
      const bad = new OdooClient(configFor(sandbox, flavour, { apiKey: wrongKey }));
      const err = await failure(bad.whoAmI());
      assert.equal(err.kind, 'auth');
      assert.equal(err.retryable, false);
      assert.match(err.message, /database "odoo"/);
      assert.ok(!err.message.includes(wrongKey));
      assert.ok(!JSON.stringify(err).includes(wrongKey));
    });

    test('an unknown database is a non-retryable auth error saying so', async () => {
      const bad = new OdooClient(configFor(sandbox, flavour, { database: 'nope' }));
      const err = await failure(bad.whoAmI());
      assert.equal(err.kind, 'auth');
      assert.equal(err.retryable, false);
      assert.match(err.message, /no database "nope"/);
    });
  });
}

describe('Odoo client: wrong API flavour for the server', () => {
  test('json2 against an 18.0 server says to use jsonrpc', async () => {
    const sandbox = await startOdooSandbox({ version: 18, seed: 'fresh' });
    try {
      const client = new OdooClient(configFor(sandbox, 'json2'));
      for (const call of [client.whoAmI(), client.version()]) {
        const err = await failure(call);
        assert.equal(err.kind, 'auth');
        assert.equal(err.retryable, false);
        assert.match(err.message, /no JSON-2 API.*'jsonrpc'/);
      }
    } finally {
      await sandbox.close();
    }
  });

  test('sale order lines use tax_id on 18.0 and tax_ids on 19.0', async () => {
    for (const version of [18, 19] as const) {
      const sandbox = await startOdooSandbox({ version, seed: 'fresh' });
      try {
        const client = new OdooClient(configFor(sandbox, version === 18 ? 'jsonrpc' : 'json2'));
        assert.equal(await client.saleLineTaxField(), version === 18 ? 'tax_id' : 'tax_ids');
      } finally {
        await sandbox.close();
      }
    }
  });
});

describe('Odoo sandbox domains: like and ilike are SQL LIKE, as on a real server', () => {
  test('% and _ are wildcards, a backslash escapes them', async () => {
    const sandbox = await startOdooSandbox({ version: 19, seed: 'fresh' });
    try {
      const client = new OdooClient(configFor(sandbox, 'json2'));
      await client.create('res.partner', [{ name: 'Magento 1 (eu_b)' }, { name: 'Magento 2 (eu-b)' }, { name: 'Magento 3 (EU_B)' }]);
      const names = async (op: string, value: string) =>
        (await client.searchRead('res.partner', [['name', op, value]], { fields: ['name'], order: 'id asc' })).map((r) => String(r.name));
      assert.deepEqual(await names('like', '(eu_b)'), ['Magento 1 (eu_b)', 'Magento 2 (eu-b)'], '_ is any one character');
      assert.deepEqual(await names('like', '(eu\\_b)'), ['Magento 1 (eu_b)'], 'an escaped _ is itself');
      assert.deepEqual(await names('ilike', '(eu\\_b)'), ['Magento 1 (eu_b)', 'Magento 3 (EU_B)']);
      assert.deepEqual(await names('like', 'Magento%(eu'), ['Magento 1 (eu_b)', 'Magento 2 (eu-b)']);
    } finally {
      await sandbox.close();
    }
  });
});

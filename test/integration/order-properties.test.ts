import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { createOrderActivities, type OrderActivities } from '../../activities/orders';
import { ConfigSchema } from '../../config/schema';
import { OdooClient } from '../../integrations/odoo';
import { MagentoClient } from '../../integrations/magento';
import { checkOrder } from '../../integrations/magento/orders';
import { decimal } from '../../integrations/magento/schemas';
import { startDemoStack, type DemoStack } from '../../sandbox/demo-stack';
import { applyRawEdits } from '../../sandbox/magento/render';
import type { Json } from '../../sandbox/magento/state';
import { createScratchDatabase } from '../support/database';

// Property-based tests (fast-check) on the order import and the order schemas: random orders,
// random damage. Whatever comes, an imported order's Odoo total is Magento's grand total to the
// cent, or the order is refused non-retryable with a reason that names it; a damaged body is
// refused naming the order and a field, never with a crash.

const SKUS = ['GEAR-0001', 'GEAR-0002', 'GEAR-0003', 'GEAR-0004', 'GEAR-0005', 'GEAR-0006', 'GEAR-0007', 'GEAR-0008', 'GEAR-0009', 'TEE-001', 'TEE-002', 'TEE-003'];
const CHANNEL = 'props';

describe('order properties (fast-check)', () => {
  let stack: DemoStack;
  let db: { pool: Pool; drop(): Promise<void> };
  let acts: OrderActivities;
  let odoo: OdooClient;
  let magento: MagentoClient;

  before(async () => {
    [stack, db] = await Promise.all([startDemoStack({ code: CHANNEL, magento: { world: { customers: 8 } }, odoo: { demo: { customers: 8 } } }), createScratchDatabase()]);
    const config = ConfigSchema.parse({ channels: [] });
    config.channels.push(stack.channel);
    acts = createOrderActivities({ config, pool: db.pool });
    odoo = new OdooClient(stack.channel.odoo);
    magento = new MagentoClient(stack.channel.magento);
  });
  after(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const orderSpec = fc.record({
    lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), qty: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 4, selector: (l) => l.sku }),
    paymentMethod: fc.constantFrom('checkmo', 'banktransfer', 'braintree'),
    shippingMethod: fc.constantFrom('flatrate_flatrate' as const, 'ups_GND' as const),
    customer: fc.integer({ min: 1, max: 8 }),
    // what a store with odd prices or a third-party discount module leaves in the order
    damage: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('price' as const), line: fc.nat(3), cents: fc.integer({ min: 1, max: 99_999 }) }),
      fc.record({ kind: fc.constant('discount' as const), line: fc.nat(3), cents: fc.integer({ min: 1, max: 2_000 }) }),
    ),
  });

  test('random orders: imported with the Odoo total equal to grand_total to the cent, or refused naming the order', async () => {
    let imported = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(orderSpec, async (spec) => {
        const placed = stack.magento.createOrder({ paymentMethod: spec.paymentMethod, customerEmail: `customer${spec.customer}@example.com`, lines: spec.lines, shippingMethod: spec.shippingMethod }) as { entity_id: number; increment_id: string };
        const stored = stack.magento.state.order(placed.entity_id)!;
        const lines = stored.items.filter((i) => i.parent_item_id === undefined);
        const line = spec.damage.kind === 'none' ? undefined : lines[spec.damage.line % lines.length];
        if (line && spec.damage.kind === 'price') line.price = spec.damage.cents / 100;
        if (line && spec.damage.kind === 'discount') line.discount_amount = Math.min(spec.damage.cents / 100, line.price * line.qty_ordered);
        // Magento's grand total as its API answers it, after the damage
        const grandTotal = (await magento.orders.get(placed.entity_id)).grand_total ?? 0;
        try {
          const result = await acts.importOrder({ channel: CHANNEL, incrementId: placed.increment_id });
          imported += 1;
          const so = await odoo.readSaleOrder(result.odooOrderId!);
          assert.ok(Math.abs(so!.amount_total - grandTotal) <= 0.01 + 1e-9, `order ${placed.increment_id}: Odoo ${so!.amount_total} vs Magento ${grandTotal}`);
        } catch (err) {
          if (err instanceof assert.AssertionError) throw err;
          refused += 1;
          assert.ok(err instanceof ApplicationFailure, `not a classified failure: ${String(err)}`);
          assert.equal(err.nonRetryable, true, err.message);
          assert.ok(err.message.includes(`order ${placed.increment_id}`), `the reason names the order: ${err.message}`);
        }
      }),
      { numRuns: 25, seed: 12 },
    );
    assert.ok(imported > 0, 'some orders were imported');
    assert.ok(imported + refused === 25);
  });

  test('random damage to an order body: refused naming the order and a field of it, or read; never a crash', () => {
    const body = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }, { sku: 'TEE-001' }], shippingMethod: 'flatrate_flatrate' }) as Json;
    const paths = ['items[0].sku', 'items[1].qty_ordered', 'items[0].price', 'items[2].item_id', 'customer_email', 'grand_total', 'status', 'entity_id', 'billing_address.city', 'payment.method', 'extension_attributes.shipping_assignments[0].shipping.address.postcode', 'items'];
    const junk = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...paths), { minLength: 1, maxLength: 3 }), fc.array(junk, { minLength: 3, maxLength: 3 }), fc.boolean(), (chosen, values, remove) => {
        const damaged = applyRawEdits(body, chosen.map((path, i) => (remove ? { path, remove: true } : { path, value: values[i] })));
        const entry = checkOrder(damaged, 'GET /V1/orders/1');
        if (entry.ok) return;
        assert.match(entry.error.message, new RegExp(`^Magento GET /V1/orders/1: order ${String(body.increment_id)} does not match the order contract: [a-z_]`));
        assert.equal(entry.error.retryable, false);
        // the field named is one of those damaged (or inside it)
        const named = /contract: ([^:]+):/.exec(entry.error.message)![1]!;
        assert.ok(chosen.some((p) => named.startsWith(p.replace(/\[\d+\]$/, '')) || p.startsWith(named.replace(/\[\d+\]$/, ''))), `${named} is not one of ${chosen.join(', ')}`);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('decimals: every finite number and numeric string reads as that number; anything else is refused', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => decimal.parse(n) === n));
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 9999 }), (whole, frac) => {
      const text = `${whole}.${String(frac).padStart(4, '0')}`;
      return decimal.parse(text) === Number(text);
    }));
    fc.assert(fc.property(fc.string().filter((s) => !/^-?\d+(\.\d+)?$/.test(s)), (s) => !decimal.safeParse(s).success));
  });
});

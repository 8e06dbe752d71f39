import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chaosFaults } from '../../scripts/chaos';
import { chaosLine, findingOf, tally, type OrderSighting } from '../../scripts/chaos-tally';

const ROOT = join(__dirname, '..', '..');

describe('chaos', () => {
  test('the verdict rules: complete, lost, duplicated, stuck', () => {
    const done: OrderSighting = { incrementId: '1', magentoStatus: 'complete', magentoShipments: 1, magentoInvoices: 1, odooOrders: [{ state: 'sale', amountTotal: 30, pickingsOpen: 0, invoices: [{ state: 'posted', paymentState: 'paid', amountTotal: 30 }] }] };
    assert.equal(findingOf(done), 'complete');
    assert.equal(findingOf({ ...done, odooOrders: [] }), 'lost');
    assert.equal(findingOf({ ...done, odooOrders: [done.odooOrders[0]!, done.odooOrders[0]!] }), 'duplicated');
    assert.equal(findingOf({ ...done, magentoShipments: 2 }), 'duplicated');
    const inv = (amountTotal: number, state = 'posted', paymentState = 'paid') => ({ state, paymentState, amountTotal });
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, invoices: [inv(30), inv(30, 'draft', 'not_paid')] }] }), 'duplicated', 'invoiced twice');
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, invoices: [inv(30), inv(30, 'cancel', 'not_paid')] }] }), 'complete', 'a cancelled invoice is no duplicate');
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, invoices: [inv(20), inv(10)] }] }), 'complete', 'goods invoiced on delivery come in a second invoice');
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, invoices: [inv(20)] }] }), 'stuck', 'not all invoiced yet');
    assert.equal(findingOf({ ...done, magentoStatus: 'processing' }), 'stuck');
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, pickingsOpen: 1 }] }), 'stuck');
    assert.equal(findingOf({ ...done, odooOrders: [{ ...done.odooOrders[0]!, invoices: [inv(30, 'posted', 'not_paid')] }] }), 'stuck');
    const t = tally([done, { ...done, incrementId: '2', odooOrders: [] }]);
    assert.equal(chaosLine(t, 12.4), 'chaos: orders=2 complete=1 lost=1 duplicated=0 stuck=0 seconds=12');
  });

  test('the fault rules add up to the asked rate, each kind an equal share (timeouts a fifth)', () => {
    const rules = chaosFaults(0.3);
    let reaching = 1;
    const fired = rules.map((r) => {
      const p = reaching * r.rate!;
      reaching -= p;
      return p;
    });
    assert.ok(Math.abs(fired.reduce((s, p) => s + p, 0) - 0.3) < 1e-9);
    assert.ok(Math.abs(fired[0]! - fired[3]!) < 1e-9);
    assert.ok(Math.abs(fired[4]! - fired[0]! / 5) < 1e-9);
    assert.deepEqual(chaosFaults(0), []);
  });

  test('20 orders through a worker SIGKILL, a Temporal restart and 30% faults: none lost, duplicated or stuck', { timeout: 240_000 }, async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos.ts', '--orders', '20', '--kills', '1', '--faults', '0.3', '--temporal-restart', '--fault-seconds', '30', '--drain-seconds', '120', '--quiet'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    for (const l of out.split('\n').filter((l) => l.startsWith('chaos: '))) t.diagnostic(l);
    const line = /^chaos: orders=(\d+) complete=(\d+) lost=(\d+) duplicated=(\d+) stuck=(\d+) seconds=(\d+)$/m.exec(out);
    assert.ok(line, `no verdict line:\n${out}`);
    const [, orders, complete, lost, duplicated, stuck] = line.map(Number);
    assert.deepEqual({ orders, complete, lost, duplicated, stuck }, { orders: 20, complete: 20, lost: 0, duplicated: 0, stuck: 0 }, out);
    assert.equal(code, 0, out);
    const drain = Number(/drain=([\d.]+) s/.exec(out)?.[1]);
    assert.ok(drain < 120, `drained in ${drain} s`);
  });
});

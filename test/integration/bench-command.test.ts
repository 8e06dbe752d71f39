// `npm run bench` at toy sizes: the command runs end to end and writes every figure the README
// quotes. Not a timed test: it asserts what the run did (counts, writes, calls), never how fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

test('npm run bench writes the orders, stock, catalog and machine figures', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2o-bench-'));
  const out = join(dir, 'latest.json');
  try {
    const args = ['--import', 'tsx', 'bench/run.ts', '--orders', '3', '--concurrency', '2', '--skus', '40', '--changed', '10',
      '--catalog', '12', '--settle-ms', '0', '--only', 'orders,stock,catalog', '--out', out];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
    assert.match(output, /orders\.lifecyclesPerSecond/, 'the table is printed');

    const r = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(r.orders.orders, 3);
    for (const key of ['lifecyclesPerSecond', 'bareTemporalRatio', 'floorRatio', 'p95Seconds']) {
      assert.ok(Number.isFinite(r.orders[key]) && r.orders[key] > 0, `orders.${key} = ${r.orders[key]}`);
    }
    // a lifecycle is the import (which confirms) and one fulfilment round (fingerprint, shipments,
    // invoices, credit memos, order status in one activity): the histories say so
    assert.equal(r.orders.calls.activities, 2);
    assert.ok(r.orders.calls.magento >= 3 && r.orders.calls.odoo >= 5, JSON.stringify(r.orders.calls));
    assert.equal(r.stock.skus, 40);
    assert.equal(r.stock.changed, 4);
    assert.equal(r.stock.writes, 4, 'exactly the changed SKUs are written');
    assert.equal(r.catalogNoChange.products, 12);
    assert.equal(r.catalogNoChange.writes, 0, 'nothing changed: nothing written');
    assert.ok(r.machine.cores >= 1 && r.machine.loadAverageStart.length === 3 && r.machine.loadAverageEnd.length === 3);
    assert.equal(r.realOdoo, undefined, 'not asked for');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Issue 11's adapter rule: business code (activities/) asks Odoo through named operations of
// integrations/odoo, never through the generic ORM calls (search_read, create, write, ...), so
// each system's wire format (models, domains, field lists) lives in one place. This reads every
// activity file and names each raw call it finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const RAW = /\b(?:odoo|\w+\.odoo)\.(searchRead|searchCount|search|read|create|write|call|unlink)\(/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('no activity calls the Odoo ORM directly: each query and write is a named operation in integrations/odoo', () => {
  const found: string[] = [];
  for (const file of tsFiles(join(ROOT, 'activities'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(RAW)) found.push(`${relative(ROOT, file)}:${i + 1} odoo.${m[1]}(`);
    });
  }
  assert.deepEqual(found, []);
});

test('the rule sees a raw call where there is one', () => {
  // the pattern itself, on the shapes activities used to have
  for (const line of ["await odoo.searchRead('sale.order.line', [])", "await ctx.odoo.create('res.partner', [v])", "run.odoo.write('account.move', [1], {})"]) {
    assert.ok(new RegExp(RAW.source).test(line), line);
  }
  assert.ok(!new RegExp(RAW.source).test('await odoo.outgoingPickings(orderId)'));
});

// The import graph's two rules from the structure drawing: activities never reach the clients or
// the workflow code at run time (the poll activity used to, through client/order-trigger.ts:
// activities → client → workflows → activities), and the Magento sandbox never uses the
// connector's OAuth signer to check the connector's signatures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { orderWorkflow } from '../../workflows/order';
import { ORDER_WORKFLOW_TYPE } from '../../workflows/order-messages';

const ROOT = resolve(__dirname, '..', '..');

/** the run-time relative imports of a file (`import type` is erased and does not count) */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    if (m[2]) continue;
    const base = resolve(dirname(file), m[3] as string);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (target) out.push(target);
  }
  return out;
}

function reachable(start: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...runtimeImports(file));
  }
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('module graph', () => {
  test('no activity reaches client/ or the workflow code at run time', () => {
    const reached = [...reachable(tsFiles(join(ROOT, 'activities')))].map((f) => relative(ROOT, f));
    const bad = reached.filter((f) => f.startsWith('client/') || f === join('workflows', 'order.ts') || f === join('workflows', 'bulkSync.ts'));
    assert.deepEqual(bad, []);
    assert.ok(reached.includes(join('activities', 'triggers', 'order-trigger.ts')), 'the trigger is among the activities');
  });

  test('the trigger starts the workflow by its type name, which is the workflow function\'s name', () => {
    assert.equal(ORDER_WORKFLOW_TYPE, orderWorkflow.name);
  });

  test('an order activity imports no other activity\'s file; only the two steps made of others compose them', () => {
    const dir = join(ROOT, 'activities', 'orders');
    // an activity file is named after the activity it exports (importOrder.ts, syncShipments.ts, …)
    const activityFiles = readdirSync(dir).filter((f) => /^[a-z]+[A-Z]\w*\.ts$/.test(f)).map((f) => join(dir, f));
    assert.ok(activityFiles.length >= 10, activityFiles.join(', '));
    const composers = new Set(['fulfilOrder.ts', 'mirrorOdooCancel.ts']);
    const sideways = activityFiles
      .filter((f) => !composers.has(relative(dir, f)))
      .flatMap((f) => runtimeImports(f).filter((target) => activityFiles.includes(target)).map((target) => `${relative(dir, f)} → ${relative(dir, target)}`));
    assert.deepEqual(sideways, []);
  });

  test('the Magento sandbox does not reach the connector\'s OAuth signer', () => {
    const reached = [...reachable(tsFiles(join(ROOT, 'sandbox', 'magento')))].map((f) => relative(ROOT, f));
    assert.ok(!reached.includes(join('integrations', 'magento', 'oauth1.ts')), reached.filter((f) => f.startsWith('integrations')).join(', '));
  });
});

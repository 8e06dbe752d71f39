// Recorded order histories must replay against the current workflow code. A change to the order
// workflow that is not behind patched() makes Temporal fail every order already running when
// the new worker is deployed; this test makes it fail here first. Fixtures come from
// scripts/record-order-histories.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workers/create-workers';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const DIR = join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('there are recorded order histories to replay', () => {
  assert.ok(fixtures.length >= 2, `fixtures in ${DIR}`);
});

for (const file of fixtures) {
  test(`replays ${file} against the current workflow code`, async () => {
    const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });
}

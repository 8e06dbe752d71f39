import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';

// Worker state changes (INFO) and the activity failures tests provoke on purpose (WARN) drown
// the test report; errors still show. The same for the SDK core's own log (its WARN lines are
// "task not found" after a test terminates a workflow on purpose).
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

/**
 * The dev server that `npm test` started and health-checked. A test file run on its own
 * (node --import tsx --test FILE) needs TEMPORAL_TEST_ADDRESS pointing at a running server,
 * e.g. `npm run temporal` in another terminal and TEMPORAL_TEST_ADDRESS=127.0.0.1:7233.
 */
export async function connectTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run the tests with `npm test`');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
}

let queue = 0;
/** a task queue no other test file polls */
export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${process.pid}-${++queue}`;
}

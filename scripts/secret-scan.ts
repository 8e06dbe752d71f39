import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SANDBOX_CREDENTIALS } from '../sandbox/magento/auth';

/**
 * `npm test`'s secret scan: the credentials the test configs hand to the connector must appear
 * nowhere in what the run recorded, neither in the test output (logs, errors, reports) nor in
 * any workflow history on the run's Temporal server (inputs, results, failures, memos).
 */

// The sandboxes' own credentials (sandbox/magento/auth.ts, sandbox/odoo/server.ts) ...
const SANDBOX_SECRETS = [...Object.values(SANDBOX_CREDENTIALS), 'sandbox-odoo-api-key'];
// ... and the webhook secrets and tokens test files configure as constants.
const CONSTANT = /const [A-Z_]*(?:SIGNING|TOKEN|SECRET|API_KEY)[A-Z_]* = '([^']{12,})'/g;

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : testSources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every secret a test config of this repository configures, plus `extra` (e.g. real Odoo API keys). */
export function configuredTestSecrets(testDir: string, extra: string[] = []): string[] {
  const found = new Set([...SANDBOX_SECRETS, ...extra.filter((s) => s.length >= 8)]);
  for (const file of testSources(testDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(CONSTANT)) found.add(match[1]!);
  }
  return [...found];
}

/** The secrets that occur in `text`; each named by its first four characters only. */
export function leaksIn(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}… (${s.length} chars)`);
}

/** History protos hold payloads as bytes: read as text, so a secret inside a payload is found. */
function historyText(history: unknown): string {
  return JSON.stringify(history, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
}

export async function scanHistories(address: string, secrets: string[]): Promise<{ workflows: number; leaks: string[] }> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    let workflows = 0;
    const leaks: string[] = [];
    for await (const wf of client.workflow.list()) {
      workflows += 1;
      const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory().catch(() => null);
      if (!history) continue;
      for (const leak of leaksIn(historyText(history), secrets)) leaks.push(`${wf.workflowId}: ${leak}`);
    }
    return { workflows, leaks };
  } finally {
    await connection.close();
  }
}

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { configuredTestSecrets, leaksIn } from '../../scripts/secret-scan';
import { SANDBOX_CREDENTIALS } from '../../sandbox/magento/auth';

test('the secret scan knows the sandbox credentials and the secrets test files configure, and names a leak without printing it', () => {
  const secrets = configuredTestSecrets(join(__dirname, '..'), ['real-odoo-key-abcdef', 'short']);
  for (const s of Object.values(SANDBOX_CREDENTIALS)) assert.ok(secrets.includes(s));
  assert.ok(secrets.includes('real-odoo-key-abcdef'));
  assert.ok(!secrets.includes('short'), 'too short to scan for');
  // order-flow.test.ts and webhook-gateway.test.ts configure webhook secrets as constants
  assert.ok(secrets.filter((s) => /signing-secret/.test(s)).length >= 2);
  const leak = SANDBOX_CREDENTIALS.accessTokenSecret;
  const found = leaksIn(`Authorization: OAuth oauth_token_secret=${leak}`, secrets);
  assert.equal(found.length, 1);
  assert.ok(!found[0]!.includes(leak), 'the report names the secret, it does not repeat it');
  assert.deepEqual(leaksIn('Secret([redacted])', secrets), []);
});

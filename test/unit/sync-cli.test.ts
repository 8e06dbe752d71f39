import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncCommand } from '../../client/commands/sync';
import { ConfigSchema } from '../../config/schema';

// The CLI refuses a contacts run where the channel does not send contacts back, before it
// connects anywhere: the Temporal address here answers nothing.
test('sync run contacts on a channel without customers.odooToMagento says so and exits 1', async () => {
  const config = ConfigSchema.parse({
    temporal: { address: '127.0.0.1:1' },
    channels: [{
      code: 'eu',
      magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
      odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
    }],
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    assert.equal(await syncCommand(config, ['run', 'contacts', '--channel', 'eu']), 1);
  } finally {
    console.error = original;
  }
  assert.deepEqual(errors, ['contacts is not enabled on channel eu (customers.odooToMagento)']);
});

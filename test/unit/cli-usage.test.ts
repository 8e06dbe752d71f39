import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/cli';

// Usage errors are answered before the CLI connects anywhere: Temporal, Magento and Odoo here are
// addresses nothing listens on, so a command that tried to connect would fail differently.
describe("CLI usage errors: exit 64 with the command's own usage", () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2o-cli-usage-'));
  const saved = process.env.M2O_CONFIG;
  before(() => {
    const channel = (code: string) => ({
      code,
      magento: { baseUrl: 'http://127.0.0.1:1', auth: { mode: 'bearer', accessToken: 't' } },
      odoo: { url: 'http://127.0.0.1:1', database: 'd', login: 'l', apiKey: 'k', flavour: 'json2' },
    });
    writeFileSync(
      join(dir, 'm2o.json'),
      JSON.stringify({
        temporal: { address: '127.0.0.1:1' },
        database: { url: 'postgres://nobody@127.0.0.1:1/none' },
        channels: [channel('eu'), channel('us')],
      }),
    );
    process.env.M2O_CONFIG = join(dir, 'm2o.json');
  });
  after(() => {
    if (saved === undefined) delete process.env.M2O_CONFIG;
    else process.env.M2O_CONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; err: string }> {
    const lines: string[] = [];
    const original = console.error;
    console.error = (line: string) => lines.push(String(line));
    try {
      return { code: await main(argv), err: lines.join('\n') };
    } finally {
      console.error = original;
    }
  }

  test('--channel naming no configured channel, in every command that takes one', async () => {
    for (const argv of [
      ['orders', 'list'],
      ['orders', 'reconcile'],
      ['orders', 'status', '000000001'],
      ['sync', 'status'],
      ['sync', 'run', 'catalog'],
      ['mappings', 'list'],
    ]) {
      const { code, err } = await run(...argv, '--channel', 'nope');
      assert.equal(code, 64, `${argv.join(' ')}: ${err}`);
      assert.match(err, /^no channel "nope" \(configured: eu, us\)\n\nusage:/, argv.join(' '));
    }
  });

  test("an unknown flag gets the command's own usage", async () => {
    const orders = await run('orders', 'list', '--needs-atention');
    assert.equal(orders.code, 64);
    assert.match(orders.err, /Unknown option '--needs-atention'/);
    assert.match(orders.err, /orders list \[--needs-attention\]/);
    assert.doesNotMatch(orders.err, /mappings list/, 'not the global help');

    const sync = await run('sync', 'run', 'catalog', '--ful');
    assert.equal(sync.code, 64);
    assert.match(sync.err, /Unknown option '--ful'[\s\S]*sync run <stream> \[--full\]/);

    const mappings = await run('mappings', 'list', '--channle', 'eu');
    assert.equal(mappings.code, 64);
    assert.match(mappings.err, /Unknown option '--channle'[\s\S]*mappings set <kind>/);
  });

  test('a flag without its value', async () => {
    const { code, err } = await run('orders', 'cancel', '000000001', '--reason');
    assert.equal(code, 64);
    assert.match(err, /--reason[\s\S]*orders cancel <increment id> --reason/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load';

const channel = {
  code: 'eu',
  magento: {
    baseUrl: 'https://shop.example.com',
    auth: { mode: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs-SECRET', accessToken: 'at', accessTokenSecret: 'ats-SECRET' },
  },
  odoo: { url: 'https://erp.example.com', database: 'prod', login: 'connector', apiKey: 'odoo-key-SECRET', flavour: 'json2' },
};

function withFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2o-config-'));
  writeFileSync(join(dir, 'm2o.config.json'), JSON.stringify(content));
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('configuration was accepted');
}

describe('config', () => {
  test('an empty environment gives working local defaults', () => {
    const config = loadConfig({}, withFile({}));
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.namespace, 'default');
    assert.deepEqual(config.temporal.taskQueues, { orders: 'orders', bulk: 'bulk-sync' });
    assert.equal(config.database.url, undefined);
    assert.equal(config.history.retentionDays, 30);
    assert.deepEqual(config.channels, []);
  });

  test('a channel gets the merchant-facing defaults', () => {
    const config = loadConfig({}, withFile({ channels: [channel] }));
    const eu = config.channels[0]!;
    assert.deepEqual(eu.orders, {
      importStatuses: ['pending', 'processing'], autoConfirm: true, syncCancellations: true,
      syncRefunds: true, syncShipments: true, syncInvoices: true, followUpDays: 30, pricelists: {}, paymentMethods: {}, offlineInvoicing: 'odoo',
    });
    assert.equal(eu.magento.storeCode, 'default');
    assert.equal(eu.inventory.warehouse, 'WH');
    assert.equal(eu.sync.schedules.stock, '5m');
    assert.equal(eu.sync.batchSize, 100);
    assert.equal(eu.sync.stockBatchSize, 1000, 'stock pages sized for 100k SKUs');
  });

  test('every bad field is named, all at once', () => {
    const bad = {
      ...channel,
      magento: { ...channel.magento, baseUrl: 'not a url' },
      odoo: { ...channel.odoo, flavour: 'xmlrpc' },
      sync: { schedules: { stock: 'every five minutes' } },
    };
    const problems = problemsOf(() => loadConfig({ HISTORY_RETENTION_DAYS: '0' }, withFile({ channels: [bad] })));
    const joined = problems.join('\n');
    assert.match(joined, /channels\[0\]\.magento\.baseUrl/);
    assert.match(joined, /channels\[0\]\.odoo\.flavour/);
    assert.match(joined, /channels\[0\]\.sync\.schedules\.stock: expected a duration/);
    assert.match(joined, /history\.retentionDays/);
    assert.equal(problems.length, 4);
  });

  test('a missing secret reference names the field and the variable', () => {
    const file = { channels: [{ ...channel, odoo: { ...channel.odoo, apiKey: 'env:ODOO_KEY_EU' } }] };
    const problems = problemsOf(() => loadConfig({}, withFile(file)));
    assert.deepEqual(problems, ['channels[0].odoo.apiKey: environment variable ODOO_KEY_EU is not set']);
    const config = loadConfig({ ODOO_KEY_EU: 'from-env' }, withFile(file));
    assert.equal(config.channels[0]!.odoo.apiKey.reveal(), 'from-env');
  });

  test('duplicate channel codes are refused', () => {
    const problems = problemsOf(() => loadConfig({}, withFile({ channels: [channel, channel] })));
    assert.deepEqual(problems, ['channels[1].code: duplicate channel code "eu"']);
  });

  test('a config file that is not JSON is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2o-config-'));
    writeFileSync(join(dir, 'broken.json'), '{ nope');
    const problems = problemsOf(() => loadConfig({ M2O_CONFIG: 'broken.json' }, dir));
    assert.match(problems[0]!, /^config file broken\.json: /);
  });

  test('secrets never show up when the config is printed, logged or serialised', () => {
    const config = loadConfig({ TEMPORAL_API_KEY: 'tmprl-SECRET', DATABASE_URL: 'postgres://u:pw-SECRET@db/x' }, withFile({ channels: [channel] }));
    for (const rendered of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.channels[0]!.odoo.apiKey)]) {
      assert.doesNotMatch(rendered, /SECRET/);
    }
    assert.equal(config.temporal.apiKey?.reveal(), 'tmprl-SECRET');
    assert.equal(config.channels[0]!.magento.auth.mode, 'oauth1');
  });

  test('environment variables override the file and define a one-channel setup', () => {
    const config = loadConfig(
      {
        TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'shop', TEMPORAL_TLS: 'true',
        MAGENTO_BASE_URL: 'https://m.example.com', MAGENTO_ACCESS_TOKEN: 'tok',
        ODOO_URL: 'https://o.example.com', ODOO_DATABASE: 'db', ODOO_LOGIN: 'bot', ODOO_API_KEY: 'k', ODOO_API_FLAVOUR: 'jsonrpc',
      },
      withFile({ temporal: { address: 'ignored:1' } }),
    );
    assert.equal(config.temporal.address, 'temporal:7233');
    assert.equal(config.temporal.namespace, 'shop');
    assert.equal(config.temporal.tls.enabled, true);
    assert.equal(config.channels.length, 1);
    assert.equal(config.channels[0]!.code, 'default');
    assert.equal(config.channels[0]!.magento.auth.mode, 'bearer');
    assert.equal(config.channels[0]!.odoo.flavour, 'jsonrpc');
  });
  test('unknown keys are refused, naming the key, where it is and the nearest valid one', () => {
    const problems = problemsOf(() => loadConfig({}, withFile({ retrys: { maximumAttempts: 3 }, channels: [{ ...channel, order: { autoConfirm: false } }] })));
    assert.ok(problems.includes('(root): unknown key "retrys" (did you mean "retries"?); valid keys: temporal, database, retries, history, worker, gateway, ops, channels'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('channels[0]: unknown key "order" (did you mean "orders"?)')), problems.join('\n'));
    assert.equal(problems.length, 2);
    // deep inside, and a word that is no typo gets no suggestion
    const deep = problemsOf(() => loadConfig({}, withFile({ channels: [{ ...channel, orders: { followUpDay: 3 }, magento: { ...channel.magento, colour: 'red' } }] })));
    assert.ok(deep.some((p) => p.startsWith('channels[0].orders: unknown key "followUpDay" (did you mean "followUpDays"?)')), deep.join('\n'));
    assert.ok(deep.some((p) => /^channels\[0\]\.magento: unknown key "colour"; valid keys: baseUrl, /.test(p)), deep.join('\n'));
  });
});

import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { main as cli } from '../../client/cli';
import { MagentoEventSchema, OdooEventSchema } from '../../client/webhook-gateway';
import { ConfigError, loadConfig } from '../../config/load';
import { Secret } from '../../config/secret';
import { IntegrationError } from '../../integrations/errors';
import { formatIssuePath, MagentoHttp } from '../../integrations/magento/http';
import { checkOrder } from '../../integrations/magento/orders';
import { ROUTES } from '../../integrations/magento/routes';
import { StoreViewSchema } from '../../integrations/magento/schemas';
import { JsonRpcTransport } from '../../integrations/odoo';
import { applyRawEdits } from '../../sandbox/magento/render';
import { startMagentoSandbox, type MagentoSandbox } from '../../sandbox/magento/server';
import type { Json, RawEdit } from '../../sandbox/magento/state';

// The bad-input corpus (test/fixtures/bad-input/corpus.json): order bodies, webhook bodies,
// config files, CLI arguments and Magento and Odoo answers that are wrong in one way each. Every
// case asserts the error that names what is wrong, and that the good input next to it is untouched.

interface Corpus {
  orders: Array<{ name: string; edits: RawEdit[]; field: string }>;
  webhooks: Array<{ source: 'magento' | 'odoo'; name: string; body: unknown; field: string }>;
  configs: Array<{ name: string; file: unknown; problems: string[] }>;
  cli: Array<{ name: string; argv: string[]; exit: number; stderr: string }>;
  answers: Array<{ system: 'magento' | 'odoo'; name: string; status: number; contentType: string; body: string; kind: string; retryable: boolean; message: string }>;
}

const corpus = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'bad-input', 'corpus.json'), 'utf8')) as Corpus;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the corpus holds at least 60 cases', () => {
  const count = Object.values(corpus).reduce((s, cases: unknown[]) => s + cases.length, 0);
  assert.ok(count >= 60, `${count} cases`);
});

describe('bad order bodies: the order is named with the field; its neighbours in the page are read', () => {
  let sandbox: MagentoSandbox;
  let good: Json[];
  before(async () => {
    sandbox = await startMagentoSandbox({ host: '127.0.0.1', port: 0 });
    good = [0, 1, 2].map(() => sandbox.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0001' }, { sku: 'GEAR-0002' }], shippingMethod: 'flatrate_flatrate' }) as Json);
  });
  after(() => sandbox?.close());

  for (const c of corpus.orders) {
    test(c.name, () => {
      const [first, middle, last] = good as [Json, Json, Json];
      const page = [first, applyRawEdits(middle, c.edits), last];
      const entries = page.map((raw, i) => checkOrder(raw, 'GET /V1/orders', i));
      const bad = entries[1]!;
      assert.equal(bad.ok, false, 'the broken order is refused');
      if (bad.ok) return;
      assert.match(bad.error.message, new RegExp(`^Magento GET /V1/orders: order ${escape(String(middle.increment_id))} does not match the order contract: ${escape(c.field)}: `));
      assert.deepEqual([bad.error.kind, bad.error.retryable], ['protocol', false]);
      assert.equal(bad.summary?.increment_id, middle.increment_id, 'its workflow can still be started');
      assert.deepEqual(entries.filter((e) => e.ok).map((e) => e.ok && e.order.increment_id), [first.increment_id, last.increment_id], 'the other orders are unaffected');
    });
  }
});

describe('bad webhook bodies: refused naming the field; a good body still passes', () => {
  const goodBodies = { magento: { event: 'order.saved', increment_id: '000000042' }, odoo: { _model: 'sale.order', _id: 5 } };
  for (const c of corpus.webhooks) {
    test(`${c.source}: ${c.name}`, () => {
      const schema = c.source === 'magento' ? MagentoEventSchema : OdooEventSchema;
      const result = schema.safeParse(c.body);
      assert.equal(result.success, false);
      if (result.success) return;
      assert.deepEqual(result.error.issues.map((i) => formatIssuePath(i.path)), [c.field]);
      assert.equal(schema.safeParse(goodBodies[c.source]).success, true);
    });
  }
});

describe('bad config files: exactly the named problems, nothing else', () => {
  for (const c of corpus.configs) {
    test(c.name, () => {
      const dir = mkdtempSync(join(tmpdir(), 'm2o-corpus-'));
      writeFileSync(join(dir, 'm2o.config.json'), JSON.stringify(c.file));
      try {
        loadConfig({}, dir);
        assert.fail('accepted');
      } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        assert.deepEqual(err.problems, c.problems);
        assert.ok(!err.message.includes('corpus-odoo-key-0000') && !err.message.includes('corpus-token-0000'), 'no secret in the error');
      }
    });
  }
});

describe('bad CLI arguments: usage error, exit 64, before any connection', () => {
  for (const c of corpus.cli) {
    test(c.name, async () => {
      const errors: string[] = [];
      const original = console.error;
      console.error = (...parts: unknown[]) => void errors.push(parts.map(String).join(' '));
      const env = { ...process.env };
      // No Temporal answers here: reaching for one would fail the test with a connection error.
      process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
      process.env.M2O_CONFIG = '';
      try {
        assert.equal(await cli(c.argv), c.exit);
      } finally {
        console.error = original;
        process.env = env;
      }
      assert.ok(errors.join('\n').includes(c.stderr), errors.join('\n'));
    });
  }
});

describe('bad answers from Magento and Odoo: classified, named; the next good answer is read', () => {
  let server: Server;
  let url = '';
  let next: { status: number; contentType: string; body: string } | null = null;
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = next ?? { status: 200, contentType: 'application/json', body: req.url?.startsWith('/jsonrpc') ? '{"jsonrpc":"2.0","id":1,"result":7}' : '[]' };
        next = null;
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const c of corpus.answers) {
    test(`${c.system}: ${c.name}`, async () => {
      const retry = { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };
      const magento = new MagentoHttp({ baseUrl: url, storeCode: 'default', timeoutMs: 2000, retry, auth: { mode: 'bearer', accessToken: new Secret('corpus-token-0000') } });
      const odoo = new JsonRpcTransport({ url, database: 'db', login: 'l', apiKey: new Secret('corpus-odoo-key-0000'), flavour: 'jsonrpc', timeoutMs: 2000, retry });
      const call = c.system === 'magento'
        ? () => magento.call(ROUTES.stores.views, {}, z.array(StoreViewSchema))
        : () => odoo.call({ model: 'res.partner', method: 'search_count', kwargs: { domain: [] } });
      await call(); // logged in; the bad answer goes to the call itself
      next = { status: c.status, contentType: c.contentType, body: c.body };
      let err: unknown;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof IntegrationError, `expected an IntegrationError, got ${String(err)}`);
      assert.deepEqual([err.kind, err.retryable], [c.kind, c.retryable], err.message);
      assert.match(err.message, new RegExp(c.message));
      assert.ok(!err.message.includes('corpus-'), 'no credential in the error');
      await call();
    });
  }
});

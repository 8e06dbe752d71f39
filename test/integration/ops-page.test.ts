// The ops page in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
// served by the real gateway, reading the real Temporal dev server, with a real worker, both
// sandboxes and PostgreSQL: load it, see a parked order with its reason, press Retry, see the
// order move on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { runOne } from '../../client/commands/sync';
import { triggerOrder } from '../../client/order-trigger';
import { startWebhookGateway, type Gateway } from '../../client/webhook-gateway';
import { Secret } from '../../config/secret';
import { orderWorkflowId } from '../../workflows/order-messages';
import { startTestConnector, type TestConnector } from '../support/connector';
import { untilStatus } from '../support/order-status';

const CHROMIUM = process.env.CHROMIUM_PATH ?? spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
const TOKEN = `ops-token-${process.pid}-0123456789abcdef`;

describe('ops page in a real browser', { skip: CHROMIUM ? false : 'no chromium on PATH (.ci/run installs it; or set CHROMIUM_PATH)', timeout: 120_000 }, () => {
  let connector: TestConnector;
  let gateway: Gateway;
  let browser: Browser;
  const channel = `ops${process.pid}`;

  before(async () => {
    connector = await startTestConnector({ code: channel });
    connector.config.ops = { token: new Secret(TOKEN), temporalUiUrl: 'http://temporal-ui.test:8233/' };
    gateway = await startWebhookGateway({ config: connector.config, client: connector.env.client, log: () => undefined }, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
    await connector?.stop();
  });

  test('the data needs the token; without one configured there is no page', async () => {
    assert.equal((await fetch(`${gateway.url}/ops/api/snapshot`)).status, 401);
    assert.equal((await fetch(`${gateway.url}/ops/api/snapshot`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status, 401);
    const page = await fetch(`${gateway.url}/ops`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(await page.text(), /parked|ops-token/i, 'the page itself carries no data');
    const saved = connector.config.ops;
    connector.config.ops = { ...saved, token: undefined };
    try {
      assert.equal((await fetch(`${gateway.url}/ops`)).status, 404);
    } finally {
      connector.config.ops = saved;
    }
  });

  test('load, see the parked order with its reason, press Retry, see it move', async () => {
    const { env, stack, odoo, config } = connector;
    const taskQueue = config.temporal.taskQueues.orders;
    const place = (sku: string) =>
      stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    const handleOf = (inc: string) => env.client.workflow.getHandle(orderWorkflowId(channel, inc));

    // a stream with a finished run, so freshness has something to show
    assert.equal(await runOne(env.client, config, channel, 'reference', false, () => undefined), 0);

    const fine = place('GEAR-0001');
    await triggerOrder(env.client, taskQueue, { channel, incrementId: fine.increment_id });
    const [variant] = await odoo.searchRead('product.product', [['default_code', '=', 'GEAR-0008']], { fields: ['id'] });
    await odoo.write('product.product', [variant!.id], { default_code: 'GEAR-0008-RENAMED' });
    const stuck = place('GEAR-0008');
    await triggerOrder(env.client, taskQueue, { channel, incrementId: stuck.increment_id });
    await untilStatus(handleOf(stuck.increment_id), 'parked', (s) => s.phase === 'needs_attention');
    await untilStatus(handleOf(fine.increment_id), 'imported', (s) => s.odooOrderId !== undefined);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${gateway.url}/ops#token=${encodeURIComponent(TOKEN)}`);
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');

    // visibility is eventually consistent; the page refreshes itself every 5 s
    const row = page.locator(`section[data-channel="${channel}"] tr[data-order="${stuck.increment_id}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.locator('.reason').innerText(), /GEAR-0008/);
    assert.equal(
      await row.locator('a').getAttribute('href'),
      await handleOf(stuck.increment_id)
        .describe()
        .then((d) => `http://temporal-ui.test:8233/namespaces/default/workflows/${encodeURIComponent(d.workflowId)}/${d.runId}/history`),
    );
    const section = page.locator(`section[data-channel="${channel}"]`);
    await section.locator('[data-state="needs_attention"]').waitFor();
    assert.match(await section.locator('[data-state="needs_attention"]').innerText(), /^1\s*needs attention$/);
    assert.equal(await section.locator('svg').getAttribute('data-total'), '2', 'both orders in the last 24 h chart');
    const reference = section.locator('tr[data-stream="reference"]');
    assert.match(await reference.innerText(), /completed/);
    assert.match(await reference.innerText(), /\d+ s ago/);
    assert.match(await section.locator('tr[data-stream="catalog"]').innerText(), /never run/);

    // fix what parked it, then Retry: the same `retry` signal as the CLI
    await odoo.write('product.product', [variant!.id], { default_code: 'GEAR-0008' });
    await row.getByRole('button', { name: `Retry order ${stuck.increment_id}` }).click();
    await page.locator('#message', { hasText: `order ${stuck.increment_id}: retry sent` }).waitFor();
    const moved = await untilStatus(handleOf(stuck.increment_id), 'imported after Retry', (s) => s.odooOrderId !== undefined);
    assert.notEqual(moved.phase, 'needs_attention');
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await section.locator('table.parked').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a wrong token shows the token form, not data', async () => {
    const page = await browser.newPage();
    await page.goto(`${gateway.url}/ops#token=not-the-token`);
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.locator('section.channel').count(), 0);
    await page.fill('#token', TOKEN);
    await page.click('#login button');
    await page.locator(`section[data-channel="${channel}"]`).waitFor();
    await page.close();
  });
});

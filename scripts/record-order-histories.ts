// Records the event histories of finished order workflows into test/fixtures/histories/, for the
// replay test: workflow code that changes without patched() no longer replays them. Run it when
// a new path through the workflow deserves a fixture; never regenerate a fixture to make the
// replay test pass (that hides exactly the break it exists to catch).
//   node --import tsx scripts/record-order-histories.ts [fixture name ...]   (default: all of them)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { OdooClient } from '../integrations/odoo';
import { triggerOrder } from '../client/order-trigger';
import { cancelUpdate, odooProgressSignal, orderWorkflowId, statusQuery, type OrderStatus } from '../workflows/order-messages';
import { orderWorkflow } from '../workflows/order';
import { startLocalConnector } from './local-connector';

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  // the connector invoices offline orders itself (as before orders.offlineInvoicing existed), so
  // the offline fixtures need no Odoo user
  const conn = await startLocalConnector({ code: 'fixture', channel: { orders: { followUpDays: 0, offlineInvoicing: 'on_confirm' } } });
  const { stack, config, client, cli } = conn;
  const temporal = { address: conn.temporalAddress };
  const odoo = new OdooClient(stack.channel.odoo);
  const until = async (id: string, ok: (phase: string) => boolean) => {
    for (;;) {
      const status = await client.workflow.getHandle(id).query(statusQuery);
      if (ok(status.phase)) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const wanted = process.argv.slice(2);
  const wants = (name: string) => wanted.length === 0 || wanted.includes(name);
  const untilStatus = async (id: string, ok: (s: OrderStatus) => boolean) => {
    for (;;) {
      // a query that meets a workflow task in flight may fail: ask again
      const status = await client.workflow.getHandle(id).query(statusQuery).catch(() => undefined);
      if (status && ok(status)) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    const record = async (name: string, id: string) => {
      // The CLI's JSON export: the format Worker.runReplayHistory documents.
      const out = spawnSync(cli, ['workflow', 'show', '--workflow-id', id, '--output', 'json', '--address', temporal.address], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      writeFileSync(join(OUT, `${name}.json`), out.stdout);
      console.log(`recorded ${name}`);
    };
    if (wants('order-online-complete')) await onlineComplete();
    // The same order after the 'order-wake-cleared' patch: one round, a wait, the round that completes.
    if (wants('order-online-wake-cleared')) await onlineComplete('order-online-wake-cleared');
    if (wants('order-offline-canceled')) await offlineCanceled();
    if (wants('order-offline-quiet-polls')) await offlineQuietPolls();
    // The same two after the import confirmed, one round became one activity and the publishing
    // went lean ('order-import-confirms', 'order-fulfilment-round', 'order-lean-publish').
    if (wants('order-online-round')) await onlineComplete('order-online-round');
    if (wants('order-offline-round-quiet-polls')) await offlineQuietPolls('order-offline-round-quiet-polls');

    async function onlineComplete(name = 'order-online-complete'): Promise<void> {
    // An online order, shipped and completed.
    const online = stack.magento.createOrder({ paymentMethod: 'braintree', lines: [{ sku: 'GEAR-0001', qty: 2 }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    await triggerOrder(client, config.temporal.taskQueues.orders, { channel: 'fixture', incrementId: online.increment_id });
    const onlineId = orderWorkflowId('fixture', online.increment_id);
    const status = await until(onlineId, (p) => p === 'fulfilling');
    const picking = (await odoo.listPickings(status.odooOrderId!)).find((p) => p.state !== 'done');
    await odoo.setTrackingRef(picking!.id, '1ZFIXTURE');
    await odoo.validatePicking(picking!.id);
    await client.workflow.getHandle(onlineId).signal(odooProgressSignal, {});
    await client.workflow.getHandle(onlineId).result();
    await record(name, onlineId);
    }

    async function offlineCanceled(): Promise<void> {
    // An offline order cancelled before shipment.
    const offline = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0003' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
    await triggerOrder(client, config.temporal.taskQueues.orders, { channel: 'fixture', incrementId: offline.increment_id });
    const offlineId = orderWorkflowId('fixture', offline.increment_id);
    await until(offlineId, (p) => p === 'fulfilling');
    await client.workflow.getHandle(offlineId).executeUpdate(cancelUpdate, { args: [{ reason: 'fixture' }] });
    await client.workflow.getHandle(offlineId).result();
    await record('order-offline-canceled', offlineId);
    }

    // An offline order whose timed polls find nothing new (fingerprint only), then a delivery and
    // a payment that they do notice: short polls so it records in seconds.
    async function offlineQuietPolls(name = 'order-offline-quiet-polls'): Promise<void> {
      const placed = stack.magento.createOrder({ paymentMethod: 'checkmo', lines: [{ sku: 'GEAR-0004' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
      const id = orderWorkflowId('fixture', placed.increment_id);
      await client.workflow.start(orderWorkflow, { taskQueue: config.temporal.taskQueues.orders, workflowId: id, args: [{ channel: 'fixture', incrementId: placed.increment_id, firstPollMs: 300 }] });
      const status = await untilStatus(id, (s) => (s.quietPolls ?? 0) >= 2);
      const picking = (await odoo.listPickings(status.odooOrderId!)).find((p) => p.state !== 'done');
      await odoo.validatePicking(picking!.id);
      await untilStatus(id, (s) => s.invoiceActions.some((a) => /pushed/.test(a)));
      const [invoice] = await odoo.searchRead('account.move', [['invoice_origin', '=', status.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id'] });
      const [journal] = await odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
      await odoo.registerPayment(invoice!.id, { journalId: journal!.id });
      await client.workflow.getHandle(id).result();
      await record(name, id);
    }
  } finally {
    // a worker that stopped on its own must not hide why the recording failed
    await conn.stop().catch((err: Error) => console.error(`stopping the local connector: ${err.message}`));
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

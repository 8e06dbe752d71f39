// The Magento and Odoo calls each stage of an order makes, counted by the sandboxes, for one
// online and one offline order. Prints a table; the figures go into the notes and the README.
//   npm run bench:order-calls
import { OdooClient } from '../integrations/odoo';
import { triggerOrder } from '../client/order-trigger';
import { odooProgressSignal, orderWorkflowId, statusQuery, type OrderStatus } from '../workflows/order-messages';
import { startLocalConnector } from '../scripts/local-connector';
import { createOrderActivities } from '../activities/orders';


async function main(): Promise<void> {
  const conn = await startLocalConnector({ code: 'calls', channel: { orders: { followUpDays: 0, offlineInvoicing: 'on_confirm' } } });
  const { stack, config, client } = conn;
  const odoo = new OdooClient(stack.channel.odoo);
  const acts = createOrderActivities({ config, pool: conn.pool });
  const rows: string[][] = [];
  let last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
  const mark = (kind: string, stage: string) => {
    const now = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
    rows.push([kind, stage, String(now.magento - last.magento), String(now.odoo - last.odoo)]);
    last = now;
  };
  const until = async (id: string, ok: (s: OrderStatus) => boolean) => {
    for (;;) {
      const s = await client.workflow.getHandle(id).query(statusQuery);
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    // Warm the Odoo session (one authenticate per worker process, not per order).
    await odoo.version();
    for (const [kind, spec] of [['online', { paymentMethod: 'braintree' }], ['offline', { paymentMethod: 'checkmo' }]] as const) {
      const placed = stack.magento.createOrder({ ...spec, customerEmail: 'customer3@example.com', lines: [{ sku: 'GEAR-0001', qty: 2 }, { sku: 'TEE-001-BLACK-M' }], shippingMethod: 'flatrate_flatrate' }) as { increment_id: string };
      last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
      await triggerOrder(client, config.temporal.taskQueues.orders, { channel: 'calls', incrementId: placed.increment_id });
      const id = orderWorkflowId('calls', placed.increment_id);
      const status = await until(id, (s) => s.phase === 'fulfilling' && s.steps.at(-1)?.step === 'sync credit memos');
      mark(kind, 'import + confirm + first sync round');
      await client.workflow.getHandle(id).signal(odooProgressSignal, {});
      await until(id, (s) => s.steps.filter((x) => x.step === 'sync credit memos').length >= 2);
      mark(kind, 'a sync round with nothing new');
      // what a timed poll costs while nothing happens: the fingerprint, no round (measured once
      // the workflow has taken its own fingerprint after the round above)
      await new Promise((r) => setTimeout(r, 1500));
      last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
      await acts.orderFingerprint({ channel: 'calls', incrementId: placed.increment_id, magentoOrderId: status.magentoOrderId!, odooOrderId: status.odooOrderId! });
      mark(kind, 'a timed poll with nothing new');
      const picking = (await odoo.listPickings(status.odooOrderId!)).find((p) => p.state !== 'done');
      last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
      await odoo.validatePicking(picking!.id);
      last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
      await client.workflow.getHandle(id).signal(odooProgressSignal, {});
      if (kind === 'offline') {
        await until(id, (s) => s.invoiceActions.some((a) => /pushed/.test(a)));
        mark(kind, 'ship + invoice push round');
        const [invoice] = await odoo.searchRead('account.move', [['invoice_origin', '=', status.odooOrderName], ['move_type', '=', 'out_invoice']], { fields: ['id'] });
        const [journal] = await odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
        await odoo.registerPayment(invoice!.id, { journalId: journal!.id });
        last = { odoo: stack.odoo.counters.sum(''), magento: stack.magento.counters.sum('') };
        await client.workflow.getHandle(id).signal(odooProgressSignal, {});
      }
      await client.workflow.getHandle(id).result();
      mark(kind, kind === 'offline' ? 'payment seen, complete' : 'ship round, complete');
    }
    const width = [8, 38, 8, 6];
    console.log(['ORDER', 'STAGE', 'MAGENTO', 'ODOO'].map((h, i) => h.padEnd(width[i]!)).join(' '));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(width[i]!)).join(' '));
  } finally {
    await conn.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

// How fast orders go from "Magento says it exists" to "confirmed in Odoo" on this machine: the
// real worker and activities, a Temporal dev server started here, the sandboxes over HTTP and the
// PostgreSQL at TEST_DATABASE_ADMIN_URL (a scratch database, dropped at the end).
//   npm run bench:orders -- [orders=200] [concurrency of the worker's activities=20]
// Prints figures; never passes or fails on a time.
import { triggerOrder } from '../client/order-trigger';
import { statusQuery, orderWorkflowId } from '../workflows/order-messages';
import { startLocalConnector } from '../scripts/local-connector';


const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 200);
  const concurrency = Number(process.argv[3] ?? 20);
  const conn = await startLocalConnector(
    { code: 'bench', magento: { world: { simpleProducts: 50 } }, odoo: { demo: { simpleProducts: 50 } } },
    { worker: { maxConcurrentActivities: concurrency } },
  );
  const { stack, config, client } = conn;
  try {
    const skus = stack.magento.world.products.flatMap((p) => p.variants.map((v) => v.sku));
    const placed = Array.from({ length: total }, (_, i) =>
      stack.magento.createOrder({ paymentKind: i % 2 ? 'online' : 'offline', lines: [{ sku: skus[(i * 7) % skus.length]!, qty: 1 + (i % 3) }] }) as { increment_id: string },
    );
    const startedAt = Date.now();
    const triggered = new Map<string, number>();
    for (const order of placed) {
      await triggerOrder(client, config.temporal.taskQueues.orders, { channel: 'bench', incrementId: order.increment_id });
      triggered.set(order.increment_id, Date.now());
    }
    const triggerMs = Date.now() - startedAt;
    const latencies: number[] = [];
    const pending = new Set(placed.map((o) => o.increment_id));
    let lastReport = Date.now();
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const status = await client.workflow.getHandle(orderWorkflowId('bench', id)).query(statusQuery);
        if (status.phase === 'fulfilling' || status.phase === 'complete') {
          pending.delete(id);
          latencies.push(Date.now() - triggered.get(id)!);
        } else if (status.phase === 'needs_attention') {
          throw new Error(`order ${id} parked: ${status.attention?.reason}`);
        }
      }
      if (Date.now() - lastReport > 2000) {
        console.error(`  ${total - pending.size}/${total} confirmed in Odoo…`);
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const elapsed = (Date.now() - startedAt) / 1000;
    latencies.sort((a, b) => a - b);
    const odooCalls = stack.odoo.counters.sum('');
    const magentoCalls = stack.magento.counters.sum('');
    console.log(`orders                 ${total}`);
    console.log(`signal-with-start      ${(total / (triggerMs / 1000)).toFixed(1)} orders/s (${triggerMs} ms for all)`);
    console.log(`imported + confirmed   ${(total / elapsed).toFixed(1)} orders/s (${elapsed.toFixed(1)} s wall)`);
    console.log(`latency to confirmed   min ${latencies[0]} ms, median ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, max ${latencies.at(-1)} ms`);
    console.log(`API calls per order    Odoo ${(odooCalls / total).toFixed(1)}, Magento ${(magentoCalls / total).toFixed(1)}`);
    console.log(`sale orders created    ${stack.odoo.counters.any('sale.order.create', 'sale.order.web_save')} (for ${total} orders)`);
  } finally {
    await conn.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

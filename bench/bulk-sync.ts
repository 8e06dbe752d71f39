// What a stock sync of a big catalog costs on this machine: the real worker, page activities and
// bulkSync workflow, a Temporal dev server started here, the sandboxes over HTTP and a scratch
// database on the PostgreSQL at TEST_DATABASE_ADMIN_URL (dropped at the end).
//   npm run bench:sync -- [skus=10000] [changed percent=1] [page size=500]
//   npm run bench:sync -- 10000 1 500 catalog     also the catalog: first sync, a rerun, 1% of prices changed
//   npm run bench:sync -- 2000 1 100 customers    customers (Magento → Odoo) and contacts (Odoo → Magento)
//                                                 instead: N customers, then 1% of their contacts edited in Odoo
// Prints figures; never passes or fails on a time.
import { OdooClient } from '../integrations/odoo';
import { bulkSync } from '../workflows/bulkSync';
import type { SyncProgress } from '../workflows/sync-messages';
import { startLocalConnector } from '../scripts/local-connector';


async function main(): Promise<void> {
  const skus = Number(process.argv[2] ?? 10_000);
  const percent = Number(process.argv[3] ?? 1);
  const pageSize = Number(process.argv[4] ?? 500);
  const withCatalog = process.argv[5] === 'catalog';
  const customersOnly = process.argv[5] === 'customers';

  const seededAt = Date.now();
  const world = customersOnly ? { simpleProducts: 10, configurableProducts: 0, customers: skus } : { simpleProducts: skus, configurableProducts: 0 };
  const conn = await startLocalConnector({
    code: 'bench', magento: { world }, odoo: { demo: world },
    channel: { sync: { batchSize: pageSize }, customers: { odooToMagento: customersOnly } },
  });
  const { stack, config, client } = conn;
  console.log(`connector up, sandboxes seeded with ${skus} ${customersOnly ? 'customers' : 'SKUs'}, in ${((Date.now() - seededAt) / 1000).toFixed(1)} s`);
  let n = 0;
  const run = async (label: string, stream: 'stock' | 'catalog' | 'customers' | 'contacts', full = false): Promise<SyncProgress> => {
    stack.magento.counters.reset();
    stack.odoo.counters.reset();
    const startedAt = Date.now();
    const result = await client.workflow.execute(bulkSync, {
      taskQueue: config.temporal.taskQueues.bulk, workflowId: `bench-${stream}-${++n}`, args: [{ channel: 'bench', stream, full }],
    });
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(
      `${label.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s  read ${result.done}  written ${result.written}  unchanged ${result.unchanged}  ` +
        `failed ${result.failed.count}  pages ${result.pages}  ${(result.done / seconds).toFixed(0)} records/s  ` +
        `Magento writes ${stack.magento.counters.sum('POST ') + stack.magento.counters.sum('PUT ')} requests  Odoo ${stack.odoo.counters.sum('')} calls`,
    );
    if (customersOnly) console.log(`${''.padEnd(36)}Magento ${JSON.stringify(stack.magento.counters.snapshot())}\n${''.padEnd(36)}Odoo ${JSON.stringify(stack.odoo.counters.snapshot())}`);
    return result;
  };
  try {
    if (customersOnly) {
      await run(`customers, first sync (${skus})`, 'customers');
      await run('customers, nothing changed', 'customers');
      await run('contacts, right after', 'contacts');
      const odoo = new OdooClient(stack.channel.odoo);
      const contacts = (await odoo.searchRead('res.partner', [['parent_id', '!=', false], ['type', '=', 'delivery']], { fields: ['id'], order: 'id asc' })).map((r) => r.id);
      const edited = contacts.filter((_, i) => i % Math.max(1, Math.round(100 / percent)) === 0);
      for (const [i, id] of edited.entries()) await odoo.write('res.partner', [id], { phone: `+1 555 01${String(i).padStart(4, '0')}` });
      await run(`contacts, ${edited.length} phones edited in Odoo`, 'contacts');
      await run('customers, after the contacts push', 'customers');
      return;
    }
    await run(`stock, first push (${skus} SKUs)`, 'stock');
    await run('stock, nothing changed', 'stock');
    const odoo = new OdooClient(stack.channel.odoo);
    const changed = Math.max(1, Math.round((skus * percent) / 100));
    const ids = await odoo.search('product.product', [['default_code', '!=', false], ['is_storable', '=', true]], { limit: changed, order: 'id asc' });
    for (const [i, id] of ids.entries()) await odoo.setOnHandQuantity(id, 8, 1000 + i);
    await run(`stock, ${changed} SKUs (${percent}%) changed`, 'stock');
    if (withCatalog) {
      await run(`catalog, first sync (${skus} products)`, 'catalog');
      await run('catalog, nothing changed', 'catalog');
      const templates = await odoo.search('product.template', [['default_code', '!=', false], ['type', '!=', 'service']], { limit: changed, order: 'id asc' });
      for (const [i, id] of templates.entries()) await odoo.write('product.template', [id], { list_price: 500 + i });
      await run(`catalog, ${templates.length} prices changed`, 'catalog');
    }
  } finally {
    await conn.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

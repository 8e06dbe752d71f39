// The child side of bench/sandbox-process.ts: both sandboxes of one demo channel, answering the
// parent's requests (place an order, counters) over the fork IPC channel until told to stop.
import type { OrderSpec } from '../sandbox/magento/order-factory';
import { sandboxEndpoints, startDemoStack, withLatency } from '../sandbox/demo-stack';
import { finishPicking, syncMoveLine } from '../sandbox/odoo/models/stock';
import type { Env, Rec } from '../sandbox/odoo/orm';
import type { SandboxProcessOptions } from './sandbox-process';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions;
  const stack = await startDemoStack(options.stack);
  if (options.shipOnConfirm) shipOnConfirm(stack.odoo.state.db.models);
  withLatency(stack, options.latencyMs);
  // plain values: the parent makes the same channel of them (secrets do not cross IPC as objects)
  const endpoints = sandboxEndpoints(stack.magento, stack.odoo);
  const skus = stack.magento.world.products.flatMap((p) => p.variants.map((v) => v.sku));
  process.on('message', (message) => {
    const request = message as { id: number; op: string; spec?: OrderSpec };
    const answer = async (): Promise<unknown> => {
      switch (request.op) {
        case 'createOrder':
          return (stack.magento.createOrder(request.spec) as { increment_id: string }).increment_id;
        case 'counters':
          return { magento: stack.magento.counters.snapshot(), odoo: stack.odoo.counters.snapshot() };
        case 'resetCounters':
          stack.magento.counters.reset();
          stack.odoo.counters.reset();
          return null;
        case 'stop':
          await stack.stop();
          setImmediate(() => process.exit(0));
          return null;
        default:
          throw new Error(`unknown request ${request.op}`);
      }
    };
    answer().then(
      (value) => process.send?.({ id: request.id, ok: true, value }),
      (err: unknown) => process.send?.({ id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.send?.({ ready: { endpoints, skus } });
}

/**
 * A warehouse that ships at once: every delivery of a sale order is validated right after the
 * confirm call that made it (inside the sandbox, so it costs no counted API call). Then a
 * lifecycle is import → confirm → one round that ships, invoices and completes, with no waiting
 * on a person, and the same for every order.
 */
function shipOnConfirm(models: Map<string, { afterCreate?: (env: Env, rec: Rec, vals: Record<string, unknown>) => void }>): void {
  const def = models.get('stock.picking');
  if (!def) throw new Error('the Odoo sandbox has no stock.picking');
  const before = def.afterCreate;
  def.afterCreate = (env: Env, rec: Rec, vals: Record<string, unknown>) => {
    before?.(env, rec, vals);
    if (typeof rec.sale_id !== 'number') return;
    setImmediate(() => {
      // everything ordered is picked, whatever was reserved: 200 orders must not run a SKU dry
      // and leave a lifecycle waiting on a backorder
      for (const move of env.db.whereEq('stock.move', 'picking_id', rec.id)) {
        Object.assign(move, { quantity: move.product_uom_qty, picked: true });
        syncMoveLine(env, move);
      }
      finishPicking(env, rec.id, false);
    });
  };
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

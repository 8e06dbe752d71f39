import { OdooClient } from '../integrations/odoo';
import type { DemoStack } from './demo-stack';

/**
 * For `npm start` only: the people around the connector. A customer places an order now and
 * then, the warehouse ships confirmed deliveries (with a tracking number), the accountant
 * invoices confirmed orders in Odoo and records the money for posted invoices, and now and then a sales rep edits a customer's
 * contact in Odoo, so every step of the order flow (and the contacts stream) shows up in the
 * Temporal UI without anyone typing. Each tick does at most one thing of each kind.
 */
export function runDemoShopFloor(stack: DemoStack, everyMs: number, log: (line: string) => void): () => void {
  const odoo = new OdooClient(stack.channel.odoo);
  let tick = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    tick += 1;
    void (async () => {
      const order = stack.magento.createOrder({ paymentKind: tick % 2 ? 'offline' : 'online' }) as { increment_id?: string; payment?: { method?: string } };
      log(`customer placed Magento order ${order.increment_id} (${order.payment?.method})`);
      const [picking] = await odoo.searchRead('stock.picking', [['state', '=', 'assigned'], ['picking_type_code', '=', 'outgoing']], { fields: ['id', 'name', 'origin'], limit: 1, order: 'id asc' });
      if (picking) {
        await odoo.setTrackingRef(picking.id, `1Z${String(100000 + picking.id)}`);
        await odoo.validatePicking(picking.id);
        log(`warehouse shipped ${String(picking.name)} for ${String(picking.origin)}`);
      }
      // Offline orders are invoiced by the accountant in Odoo (orders.offlineInvoicing "odoo");
      // the connector pushes the posted invoice to Magento.
      const [toInvoice] = await odoo.searchRead('sale.order', [['state', '=', 'sale'], ['invoice_status', '=', 'to invoice']], { fields: ['id', 'name'], limit: 1, order: 'id asc' });
      if (toInvoice) {
        const drafts = await odoo.invoiceSaleOrder(toInvoice.id);
        for (const draft of drafts) await odoo.postMove(draft);
        if (drafts.length) log(`accountant invoiced ${String(toInvoice.name)} in Odoo`);
      }
      const [invoice] = await odoo.searchRead('account.move', [['move_type', '=', 'out_invoice'], ['state', '=', 'posted'], ['payment_state', '=', 'not_paid']], { fields: ['id', 'name', 'journal_id'], limit: 1, order: 'id asc' });
      if (invoice) {
        const [journal] = await odoo.searchRead('account.journal', [['type', '=', 'bank']], { fields: ['id'], limit: 1 });
        if (journal) {
          await odoo.registerPayment(invoice.id, { journalId: journal.id, memo: 'demo payment' });
          log(`accountant recorded payment of ${String(invoice.name)}`);
        }
      }
      // Every fifth tick a sales rep fixes a phone number in Odoo: with contacts flowing back
      // (the demo channel enables it), the next contacts run carries it to the Magento account.
      if (tick % 5 === 0) {
        const [contact] = await odoo.searchRead('res.partner', [['type', '=', 'delivery'], ['parent_id', '!=', false]], { fields: ['id', 'name'], limit: 1, order: 'write_date asc, id asc' });
        if (contact) {
          await odoo.write('res.partner', [contact.id], { phone: `+1 555 01${String(tick).padStart(2, '0').slice(-2)}` });
          log(`sales rep updated the phone of ${String(contact.name)} in Odoo`);
        }
      }
    })()
      .catch((err: Error) => log(`demo shop floor: ${err.message}`))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  return () => clearInterval(timer);
}

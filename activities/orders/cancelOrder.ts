import type { MagentoClient, Order } from '../../integrations/magento';
import type { AccountMove, OdooClient, SaleOrder } from '../../integrations/odoo';
import { openCreditNotesOf } from '../../integrations/odoo/accounting';
import type { CancelInput, CancelVerdict } from './contracts';
import { OrderDataError } from './failures';
import { isClosedInMagento, requireOrder } from './magento-order';
import type { OrderActivityContext } from './order-context';
import { paymentStateOf } from './payment-state';
import { saleOrdersOf } from './sale-order-origin';
import { whatShipped } from './shipped-check';

/**
 * Cancels an order on both sides, or refuses. The verdict is worked out from the two systems'
 * current state every time, so a second run reaches the same verdict and, finding everything
 * already done, writes nothing.
 *
 *  - anything shipped (a validated Odoo delivery, any Magento shipment): refused. Odoo would allow
 *    it, so this is the guard;
 *  - anything invoiced (a posted Odoo invoice, any Magento invoice): Magento credit memos for the
 *    invoices, Odoo credit notes for the posted invoices, then the Odoo order is cancelled;
 *  - otherwise both orders are cancelled (only Magento's when the import never got to Odoo).
 *
 * Magento is written first in each case: it is the side that can still say no (an order on hold),
 * and a refusal there leaves Odoo untouched.
 */
export async function cancelOrder(ctx: OrderActivityContext, input: CancelInput): Promise<CancelVerdict> {
  const { magento, odoo, channel } = ctx.clientsFor(input.channel);
  const order = await requireOrder(magento, input.incrementId, input.magentoOrderId);
  const odooOrder = await findOdooOrder(ctx, odoo, input);

  const shipped = await whatShipped(magento, odoo, order, odooOrder);
  if (shipped) return { accepted: false, outcome: 'refused', detail: `order ${input.incrementId} cannot be cancelled: ${shipped}` };

  const odooInvoices = odooOrder ? (await odoo.customerInvoicesOf(odooOrder)).filter((m) => m.state === 'posted') : [];
  const magentoInvoices = (await magento.invoices.forOrder(order.entity_id)).filter((i) => i.state !== 3);
  if (odooInvoices.length === 0 && magentoInvoices.length === 0) {
    await cancelInMagento(magento, order);
    if (odooOrder && odooOrder.state !== 'cancel') await odoo.cancelSaleOrder(odooOrder.id);
    const odooPart = odooOrder ? `Odoo order ${odooOrder.name} cancelled` : 'no Odoo order to cancel';
    return { accepted: true, outcome: 'canceled', detail: `Magento order ${order.increment_id} canceled; ${odooPart}` };
  }

  // Magento: one credit memo per invoice not refunded yet, through the gateway that captured it.
  const memos = (await magento.creditmemos.forOrder(order.entity_id)).filter((c) => c.state !== 3);
  const fullyRefunded = (order.total_refunded ?? 0) >= (order.total_invoiced ?? 0) - 0.01 && (order.total_invoiced ?? 0) > 0;
  const toRefund = magentoInvoices.filter((invoice) => !fullyRefunded && !memos.some((m) => m.invoice_id === invoice.entity_id));
  // Online or offline as import and the invoice sync decided it (Magento's money, the channel's
  // mapping of custom methods), not by the method's name: an offline refund of gateway money
  // never reaches the customer, an online one of a cheque is refused by Magento. Read only when
  // there is something to refund, so a custom method never mapped does not block a plain cancel.
  const online = toRefund.length > 0 && paymentStateOf(order, channel.orders.paymentMethods).kind === 'online';
  for (const invoice of toRefund) {
    await magento.invoices.refund(invoice.entity_id, {
      isOnline: online && Boolean(invoice.transaction_id),
      notify: true,
      comment: { comment: `Order cancelled: ${input.reason}`, isVisibleOnFront: false },
    });
  }
  // Whatever was never invoiced is cancelled; a fully refunded order is closed already.
  await cancelInMagento(magento, await magento.orders.get(order.entity_id), magentoInvoices.length > 0);

  // Odoo: a posted credit note reversing each posted invoice.
  const creditNotes: string[] = [];
  for (const invoice of odooInvoices) creditNotes.push(await ensureCreditNote(odoo, invoice, input.reason));
  if (odooOrder && odooOrder.state !== 'cancel') await odoo.cancelSaleOrder(odooOrder.id);

  const refunded = (await magento.creditmemos.forOrder(order.entity_id)).filter((c) => c.state !== 3).map((c) => c.increment_id ?? String(c.entity_id));
  const parts = [
    refunded.length ? `Magento credit memo ${refunded.join(', ')}` : `Magento order ${order.increment_id} canceled`,
    creditNotes.length ? `Odoo credit note ${creditNotes.join(', ')}` : 'no posted Odoo invoice',
    odooOrder ? `Odoo order ${odooOrder.name} cancelled` : 'no Odoo order',
  ];
  return { accepted: true, outcome: 'credit_memo', detail: parts.join('; ') };
}

async function findOdooOrder(ctx: OrderActivityContext, odoo: OdooClient, input: CancelInput): Promise<SaleOrder | null> {
  if (input.odooOrderId !== undefined) return odoo.readSaleOrder(input.odooOrderId);
  const bound = await ctx.bindings.find(input.channel, 'order', input.incrementId);
  if (bound) return odoo.readSaleOrder(bound.odooId);
  // Parked at import (e.g. a totals mismatch) leaves a draft in Odoo without a binding.
  const [draft] = await saleOrdersOf(odoo, input.channel, input.incrementId);
  return draft ?? null;
}

async function cancelInMagento(magento: MagentoClient, order: Order, refundedBefore = false): Promise<void> {
  if (isClosedInMagento(order)) return;
  if (await magento.orders.cancel(order.entity_id)) return;
  // false: Order::canCancel() said no. Fine if it is canceled or closed by now (an earlier
  // attempt, or the refunds closed it); otherwise ops must act (e.g. release a hold).
  const now = await magento.orders.get(order.entity_id);
  if (isClosedInMagento(now)) return;
  if (refundedBefore && now.state !== 'holded') return;
  throw new OrderDataError('OrderStateConflict', `Magento refused to cancel order ${order.increment_id} (state "${now.state}", status "${now.status}"): release a hold or cancel it in the Magento admin, then retry`);
}

/** The posted credit note reversing `invoice`: found, posted if left in draft, or created. */
async function ensureCreditNote(odoo: OdooClient, invoice: AccountMove, reason: string): Promise<string> {
  let creditNote = (await openCreditNotesOf(odoo, invoice.id))[0];
  if (!creditNote) {
    const id = await odoo.draftFullReversal(invoice.id, `Magento order cancelled: ${reason}`);
    creditNote = { id, state: 'draft', name: false };
  }
  if (creditNote.state === 'draft') await odoo.postMove(creditNote.id);
  const [posted] = await odoo.readMoves([creditNote.id]);
  return String(posted?.name || creditNote.id);
}

/**
 * A draft credit note reversing the whole of `invoiceId`, in the invoice's own journal (the
 * wizard needs one over RPC). Shared with the credit memo sync. Odoo copies `reason` into the
 * credit note's ref ("Reversal of: INV/..., <reason>"), which is how a caller finds it again.
 */

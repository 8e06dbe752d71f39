import type { Creditmemo, MagentoClient, Order } from '../../integrations/magento';
import type { AccountMove, OdooClient, SaleOrder } from '../../integrations/odoo';
import { addRoundingLineToMove, createCreditNoteWithLines, creditNotesReversing, invoiceHead } from '../../integrations/odoo/accounting';
import { many2oneId } from '../../integrations/odoo/many2one';
import { skusOfProducts } from '../../integrations/odoo/product-skus';
import { deliveredQuantitiesOf, invoicingLinesOf, setLineQuantity, type InvoicingLine } from '../../integrations/odoo/sale-lines';
import type { CreditMemoSyncResult, OdooOrderRef } from './contracts';
import { OrderDataError } from './failures';
import { magentoLines, round2 } from './magento-lines';
import type { OrderActivityContext } from './order-context';
import { moveMarker } from './document-markers';
import { creditMemoName as nameOf, creditNoteLinesFor, magentoRefundFor, quantityReleases, TOTAL_TOLERANCE, type MagentoRefund } from './refund-plan';

const EPS = 1e-6;

/**
 * What our Odoo credit notes carry in `ref`, so one whose binding was lost is still found. The
 * reversal wizard copies the reason into ref ("Reversal of: INV/.., <reason>"); a credit note
 * made with explicit lines gets it as its ref directly.
 */
export function creditMemoMarker(creditmemoId: number): string {
  return `(magento creditmemo ${creditmemoId})`;
}

const MARKER_ANYWHERE = /\(magento creditmemo \d+\)/;

export const magentoKey = (creditmemoId: number) => `m:${creditmemoId}`;
export const odooKey = (moveId: number) => `o:${moveId}`;

interface Run {
  ctx: OrderActivityContext;
  ref: OdooOrderRef;
  magento: MagentoClient;
  odoo: OdooClient;
  odooOrder: SaleOrder;
  order: Order;
  actions: string[];
}

/**
 * Keeps refunds the same on both sides, in both directions, once each.
 *
 *  (a) every Magento credit memo becomes a posted Odoo credit note against the invoice it refunds:
 *      a full refund of an invoice is Odoo's own full reversal; anything less (some quantities,
 *      a shipping refund, adjustments) is a credit note with exactly those lines;
 *  (b) with orders.syncRefunds on, every posted Odoo credit note that did not come from (a)
 *      becomes a Magento credit memo (offline refund: the money went back through Odoo).
 *
 * Before each write the other side is searched for our marker (Odoo ref, Magento comment), so a
 * binding lost after a write is rebuilt instead of refunding twice. A credit memo made by (b)
 * carries the Odoo move's marker and is never sent back by (a), and the reverse.
 */
export async function syncCreditMemos(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<CreditMemoSyncResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  const odooOrder = await odoo.readSaleOrder(ref.odooOrderId);
  if (!odooOrder) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  const run: Run = { ctx, ref, magento, odoo, odooOrder, order: await magento.orders.get(ref.magentoOrderId), actions: [] };

  await magentoToOdoo(run);
  if (channel.orders.syncRefunds) await odooToMagento(run);

  run.order = await magento.orders.get(ref.magentoOrderId);
  await releaseRefundedQuantities(run);
  return { actions: run.actions, fullyRefunded: await everythingRefunded(run) };
}

/**
 * Goods refunded before they shipped will not ship: Magento no longer counts them as to ship.
 * Odoo must stop planning them too, or the warehouse ships a refunded item and, since the credit
 * note lowered the line's invoiced quantity, the next invoice run bills it again. So the Odoo
 * line's quantity comes down to what is still sold (ordered − cancelled − refunded beyond what
 * shipped), which lowers its delivery and leaves nothing to invoice. Never below what Odoo has
 * delivered: goods that left the warehouse come back through a return, not through this.
 */
async function releaseRefundedQuantities(run: Run): Promise<void> {
  const lines = magentoLines(run.order);
  // Only refunds beyond the shipped quantity matter: no Odoo call for the usual refund after delivery.
  if (!lines.some((l) => l.qtyRefunded - l.qtyShipped > EPS) || run.odooOrder.state !== 'sale') return;
  const saleLines = await deliveredQuantitiesOf(run.odoo, run.odooOrder.id);
  const skus = await skusOfProducts(run.odoo, saleLines.map((l) => l.productId).filter((id): id is number => id !== null));
  for (const release of quantityReleases(lines, saleLines, skus)) {
    await setLineQuantity(run.odoo, release.lineId, release.to);
    run.actions.push(`refunded before shipment: Odoo order line ${release.lineId} (${release.sku}) lowered from ${release.from} to ${release.to}, so it is neither delivered nor invoiced again`);
  }
}

// ---- (a) Magento credit memo → Odoo credit note ---------------------------------------------------

async function magentoToOdoo(run: Run): Promise<void> {
  const { ctx, ref } = run;
  const memos = (await run.magento.creditmemos.forOrder(run.order.entity_id)).filter((m) => m.state !== 3).sort((a, b) => a.entity_id - b.entity_id);
  for (const memo of memos) {
    if (await ctx.bindings.find(ref.channel, 'creditmemo', magentoKey(memo.entity_id))) continue;
    // Made by (b) from an Odoo credit note: that one is its counterpart, bound under its o: key.
    if (markedMoves(memo).length > 0) continue;
    const refunds = await odooRefundsOf(run);
    let note = refunds.find((r) => String(r.ref || '').includes(creditMemoMarker(memo.entity_id)));
    let how = 'found';
    if (!note) {
      const invoices = (await run.odoo.customerInvoicesOf(run.odooOrder)).filter((m) => m.state === 'posted');
      const invoice = await invoiceRefundedBy(run, memo, invoices, refunds);
      if (!invoice) {
        // Odoo has not posted the invoice this memo refunds yet (syncInvoices brings it): next time.
        run.actions.push(`Magento credit memo ${nameOf(memo)} waits for its invoice to be posted in Odoo`);
        continue;
      }
      const left = round2(invoice.amount_total - reversedAmount(invoice, refunds));
      const full = reversedAmount(invoice, refunds) <= EPS && Math.abs(num(memo.grand_total) - invoice.amount_total) <= TOTAL_TOLERANCE + EPS;
      if (!full && num(memo.grand_total) > left + TOTAL_TOLERANCE + EPS) {
        throw new OrderDataError(
          'TotalsMismatch',
          `order ${ref.incrementId}: Magento credit memo ${nameOf(memo)} refunds ${money(memo.grand_total)} but Odoo invoice ${String(invoice.name || invoice.id)} has only ${left.toFixed(2)} left to reverse: ` +
            `make the Odoo credit note by hand with "${creditMemoMarker(memo.entity_id)}" in its reference, then retry`,
        );
      }
      const reason = `Magento credit memo ${nameOf(memo)} ${creditMemoMarker(memo.entity_id)}`;
      const id = full ? await run.odoo.draftFullReversal(invoice.id, reason) : await createPartialCreditNote(run, memo, invoice, reason);
      [note] = await run.odoo.readMoves([id]);
      if (!note) throw new Error(`Odoo credit note ${id} vanished right after it was created`);
      how = full ? 'full reversal of' : 'partial credit note on';
      how += ` ${String(invoice.name || invoice.id)}`;
    }
    // Checked before posting: a wrong draft stays a draft that ops can fix; a retry re-checks it.
    checkTotals(ref, memo, note);
    if (note.state === 'draft') {
      await run.odoo.postMove(note.id);
      [note] = await run.odoo.readMoves([note.id]);
      if (!note) throw new Error('Odoo credit note vanished while being posted');
    }
    await ctx.bindings.bind({ channel: ref.channel, kind: 'creditmemo', magentoKey: magentoKey(memo.entity_id), odooId: note.id });
    run.actions.push(
      how === 'found'
        ? `bound Magento credit memo ${nameOf(memo)} to Odoo credit note ${String(note.name || note.id)}`
        : `Magento credit memo ${nameOf(memo)} → Odoo credit note ${String(note.name || note.id)} (${how}, ${note.amount_total.toFixed(2)})`,
    );
  }
}

/**
 * The posted Odoo invoice a Magento credit memo refunds: the counterpart of its Magento invoice
 * when it names one (online refunds do), otherwise the oldest invoice with enough left to reverse.
 * undefined when Odoo has no posted invoice yet.
 */
async function invoiceRefundedBy(run: Run, memo: Creditmemo, invoices: AccountMove[], refunds: AccountMove[]): Promise<AccountMove | undefined> {
  if (invoices.length === 0) return undefined;
  if (memo.invoice_id) {
    const bound = await run.ctx.bindings.find(run.ref.channel, 'invoice', String(memo.invoice_id));
    const invoice = bound ? invoices.find((i) => i.id === bound.odooId) : undefined;
    if (invoice) return invoice;
  }
  const total = num(memo.grand_total);
  return invoices.find((i) => i.amount_total - reversedAmount(i, refunds) >= total - TOTAL_TOLERANCE - EPS) ?? invoices[invoices.length - 1];
}

/**
 * A credit note with exactly what the Magento credit memo refunds (refund-plan.ts says which
 * lines). Our operations list has account.move create but no write of its lines (nor any
 * account.move.line access), so instead of editing the wizard's full reversal the credit note is
 * created with its lines, as the Odoo contract documents; the result is the same draft
 * out_refund with reversed_entry_id.
 */
async function createPartialCreditNote(run: Run, memo: Creditmemo, invoice: AccountMove, reason: string): Promise<number> {
  const { odoo, order } = run;
  const saleLines = await invoicingLinesOf(odoo, run.odooOrder.id);
  const skus = await skusOfProducts(odoo, productIdsOf(saleLines));
  const lines = creditNoteLinesFor(memo, magentoLines(order), saleLines, skus, { incrementId: order.increment_id, odooName: run.odooOrder.name });
  const head = await invoiceHead(odoo, invoice.id);
  const id = await createCreditNoteWithLines(odoo, head, invoice.id, reason, lines);
  await absorbRounding(run, memo, id);
  return id;
}

/**
 * Odoo taxes each credit note line on its own; Magento gives a partial refund its share of the
 * row's tax (11.39 over two units: 5.70, then 5.69). A cent or two apart, and with
 * orders.roundingSku set (as for imports), an untaxed "Rounding difference" line makes the credit
 * note Magento's amount exactly; without it the difference stays within TOTAL_TOLERANCE.
 */
async function absorbRounding(run: Run, memo: Creditmemo, moveId: number): Promise<void> {
  const sku = run.ctx.clientsFor(run.ref.channel).channel.orders.roundingSku;
  if (!sku) return;
  const [draft] = await run.odoo.readMoves([moveId]);
  const cents = Math.round((num(memo.grand_total) - Number(draft?.amount_total ?? 0)) * 100);
  if (cents === 0 || Math.abs(cents) > 5) return;
  const [variant] = await run.odoo.findVariantsBySku([sku]);
  if (!variant) throw new OrderDataError('UnknownSku', `channel setting orders.roundingSku "${sku}" is not a product in Odoo: create it (a service without taxes) or unset the key`);
  await addRoundingLineToMove(run.odoo, moveId, variant.id, cents / 100);
}

function checkTotals(ref: OdooOrderRef, memo: Creditmemo, note: AccountMove): void {
  const magentoTotal = num(memo.grand_total);
  if (Math.abs(note.amount_total - magentoTotal) <= TOTAL_TOLERANCE + EPS) return;
  throw new OrderDataError(
    'TotalsMismatch',
    `order ${ref.incrementId}: Magento credit memo ${nameOf(memo)} grand_total ${magentoTotal.toFixed(2)} differs from Odoo credit note ${String(note.name || `${note.id} (draft)`)} amount_total ${note.amount_total.toFixed(2)}: ` +
      (note.state === 'draft' ? 'correct the draft credit note in Odoo, then retry' : 'correct it in Odoo, then retry'),
  );
}

// ---- (b) Odoo credit note → Magento credit memo ---------------------------------------------------

async function odooToMagento(run: Run): Promise<void> {
  const { ctx, ref } = run;
  const refunds = await odooRefundsOf(run);
  let pending: AccountMove[] = [];
  for (const refund of refunds.filter((r) => r.state === 'posted')) {
    if (await ctx.bindings.findByOdooId(ref.channel, 'creditmemo', refund.id)) continue;
    // Ours from (a) whose binding is not there: (a) rebinds it from Magento's side.
    if (MARKER_ANYWHERE.test(String(refund.ref || ''))) continue;
    pending.push(refund);
  }
  if (pending.length === 0) return;

  // Pushed by an attempt that stopped before binding: the Magento comment names the Odoo move.
  const memos = (await run.magento.creditmemos.forOrder(run.order.entity_id)).filter((m) => m.state !== 3);
  for (const refund of pending) {
    const pushed = memos.find((m) => markedMoves(m).includes(refund.id));
    if (!pushed) continue;
    await ctx.bindings.bind({ channel: ref.channel, kind: 'creditmemo', magentoKey: odooKey(refund.id), odooId: refund.id });
    run.actions.push(`bound Odoo credit note ${String(refund.name || refund.id)} to Magento credit memo ${nameOf(pushed)}`);
  }
  pending = pending.filter((r) => !memos.some((m) => markedMoves(m).includes(r.id)));
  if (pending.length === 0) return;

  // What the credit notes refund is read off the sale lines (net invoiced quantities), so every
  // credit note of the order must have settled first, and Odoo must have invoiced what Magento did.
  const draft = refunds.find((r) => r.state === 'draft');
  if (draft) {
    run.actions.push(`Odoo credit note ${draft.id} is still a draft; waiting before pushing refunds to Magento`);
    return;
  }
  const invoices = (await run.odoo.customerInvoicesOf(run.odooOrder)).filter((m) => m.state === 'posted');
  const odooInvoiced = invoices.reduce((s, m) => s + m.amount_total, 0);
  if (odooInvoiced < num(run.order.total_invoiced) - TOTAL_TOLERANCE - EPS) {
    run.actions.push(`Odoo has invoiced ${odooInvoiced.toFixed(2)} of Magento's ${num(run.order.total_invoiced).toFixed(2)}; waiting before pushing refunds to Magento`);
    return;
  }

  const plan = await refundPlan(run, pending);
  const names = pending.map((r) => String(r.name || r.id)).join(', ');
  if (plan.items.length === 0) {
    throw new OrderDataError(
      'OrderStateConflict',
      `order ${ref.incrementId}: Odoo credit note ${names} (${plan.total.toFixed(2)}) refunds no product quantity, only shipping or an adjustment; ` +
        `Magento's refund API cannot make a credit memo without products. Record it in Magento by hand with "${pending.map((r) => moveMarker(r.id)).join(' ')}" in a comment, then retry`,
    );
  }
  const memoId = await run.magento.orders.refund(run.order.entity_id, {
    items: plan.items,
    // Always explicit: left out, Magento refunds all the shipping still refundable.
    shippingAmount: plan.shipping,
    adjustmentPositive: plan.adjustmentPositive,
    adjustmentNegative: plan.adjustmentNegative,
    // The customer hears of the refund from the storefront, as for pushed invoices and shipments.
    notify: true,
    comment: { comment: `Odoo credit note ${pending.map((r) => `${String(r.name || r.id)} ${moveMarker(r.id)}`).join(', ')}`, isVisibleOnFront: false },
  });
  // Bound before the totals check: the memo exists, so a retry must not make a second one.
  for (const refund of pending) await ctx.bindings.bind({ channel: ref.channel, kind: 'creditmemo', magentoKey: odooKey(refund.id), odooId: refund.id });
  const memo = await run.magento.creditmemos.get(memoId);
  run.actions.push(`Odoo credit note ${names} → Magento credit memo ${nameOf(memo)} (${num(memo.grand_total).toFixed(2)})`);
  if (Math.abs(num(memo.grand_total) - plan.total) > TOTAL_TOLERANCE + EPS) {
    throw new OrderDataError(
      'TotalsMismatch',
      `order ${ref.incrementId}: Magento credit memo ${nameOf(memo)} grand_total ${num(memo.grand_total).toFixed(2)} differs from Odoo credit note ${names} amount_total ${plan.total.toFixed(2)}: ` +
        'check the two refunds; a retry accepts them as they are',
    );
  }
}

/** The Magento refund for these credit notes, from the order lines as Odoo invoiced them net of credit notes. */
async function refundPlan(run: Run, refunds: AccountMove[]): Promise<MagentoRefund> {
  const saleLines = await invoicingLinesOf(run.odoo, run.odooOrder.id);
  const skus = await skusOfProducts(run.odoo, productIdsOf(saleLines));
  return magentoRefundFor(run.order, magentoLines(run.order), saleLines, skus, refunds.map((r) => r.amount_total));
}

// ---- shared --------------------------------------------------------------------------------------

/** The order's Odoo credit notes (not cancelled): linked through its sale lines or reversing one of its invoices. */
async function odooRefundsOf(run: Run): Promise<AccountMove[]> {
  const order = (await run.odoo.readSaleOrder(run.odooOrder.id)) ?? run.odooOrder;
  run.odooOrder = order;
  const ids = new Set(order.invoice_ids);
  const invoiceIds = (await run.odoo.readMoves(order.invoice_ids)).filter((m) => m.move_type === 'out_invoice').map((m) => m.id);
  if (invoiceIds.length > 0) {
    for (const id of await creditNotesReversing(run.odoo, invoiceIds)) ids.add(id);
  }
  const moves = await run.odoo.readMoves([...ids]);
  return moves.filter((m) => m.move_type === 'out_refund' && m.state !== 'cancel').sort((a, b) => a.id - b.id);
}

function reversedAmount(invoice: AccountMove, refunds: AccountMove[]): number {
  return refunds.filter((r) => many2oneId(r.reversed_entry_id) === invoice.id).reduce((s, r) => s + r.amount_total, 0);
}

/** the products of the order's lines (not sections, notes or the delivery line), for their SKUs */
function productIdsOf(saleLines: InvoicingLine[]): number[] {
  return saleLines.filter((l) => !l.isDisplay && !l.isDelivery).map((l) => l.productId).filter((id): id is number => id !== null);
}

/** Money back on both sides: Magento refunded all it invoiced, Odoo credited all it invoiced. */
async function everythingRefunded(run: Run): Promise<boolean> {
  const invoiced = num(run.order.total_invoiced);
  if (invoiced <= EPS || num(run.order.total_refunded) < invoiced - TOTAL_TOLERANCE - EPS) return false;
  const invoices = (await run.odoo.customerInvoicesOf(run.odooOrder)).filter((m) => m.state === 'posted');
  const refunds = (await odooRefundsOf(run)).filter((m) => m.state === 'posted');
  const odooInvoiced = invoices.reduce((s, m) => s + m.amount_total, 0);
  return odooInvoiced > EPS && refunds.reduce((s, m) => s + m.amount_total, 0) >= odooInvoiced - TOTAL_TOLERANCE - EPS;
}

function markedMoves(memo: Creditmemo): number[] {
  const text = (memo.comments ?? []).map((c) => c.comment ?? '').join('\n');
  return [...text.matchAll(/\(odoo move (\d+)\)/g)].map((m) => Number(m[1]));
}

function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function money(value: number | null | undefined): string {
  return num(value).toFixed(2);
}

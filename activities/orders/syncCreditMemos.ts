import type { Creditmemo, LineQty, MagentoClient, Order } from '../../integrations/magento';
import type { AccountMove, OdooClient, OdooRecord, SaleOrder } from '../../integrations/odoo';
import type { CreditMemoSyncResult, OdooOrderRef } from './contracts';
import { OrderDataError } from './failures';
import { billsByBundleRow, documentItems } from './bundle-documents';
import { allocate, magentoLines, round2, type MagentoLine } from './magento-lines';
import { many2oneId, skusOfProducts } from './odoo-mappings';
import type { OrderActivityContext } from './order-context';
import { moveMarker } from './document-markers';

// Magento and Odoo round taxes differently (per row vs per line); a cent either way is normal.
const TOTAL_TOLERANCE = 0.01;
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
  const sold = new Map<string, number>();
  for (const l of lines) {
    const key = l.sku.toLowerCase();
    sold.set(key, (sold.get(key) ?? 0) + l.qtyOrdered - l.qtyCanceled - Math.max(0, l.qtyRefunded - l.qtyShipped));
  }
  const saleLines = (await run.odoo.searchRead('sale.order.line', [['order_id', '=', run.odooOrder.id]], {
    fields: ['product_id', 'product_uom_qty', 'qty_delivered', 'is_delivery', 'display_type'], order: 'id asc',
  })).filter((l) => !l.display_type && l.is_delivery !== true);
  const skus = await skusOfProducts(run.odoo, saleLines.map((l) => many2oneId(l.product_id)).filter((id): id is number => id !== null));
  const planned = new Map<string, number>();
  for (const line of saleLines) {
    const sku = skus.get(many2oneId(line.product_id) ?? -1)?.toLowerCase();
    if (sku) planned.set(sku, (planned.get(sku) ?? 0) + Number(line.product_uom_qty ?? 0));
  }
  for (const [sku, target] of sold) {
    let excess = round2((planned.get(sku) ?? 0) - target);
    // the last lines of the SKU give first, each down to what it has delivered
    for (const line of [...saleLines].reverse()) {
      if (excess <= EPS) break;
      if (skus.get(many2oneId(line.product_id) ?? -1)?.toLowerCase() !== sku) continue;
      const qty = Number(line.product_uom_qty ?? 0);
      const lowered = Math.max(Number(line.qty_delivered ?? 0), round2(qty - excess));
      if (lowered >= qty - EPS) continue;
      await run.odoo.write('sale.order.line', [line.id], { product_uom_qty: lowered });
      excess = round2(excess - (qty - lowered));
      run.actions.push(`refunded before shipment: Odoo order line ${line.id} (${skus.get(many2oneId(line.product_id) ?? -1)}) lowered from ${qty} to ${lowered}, so it is neither delivered nor invoiced again`);
    }
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
 * A credit note with exactly what the Magento credit memo refunds. Our operations list has
 * account.move create but no write (nor any account.move.line access), so instead of editing the
 * wizard's full reversal the credit note is created with its lines, as the Odoo contract
 * documents; the result is the same draft out_refund with reversed_entry_id.
 *
 *  - items: the sale line's product, price, discount and taxes at the refunded quantity, linked
 *    to the sale line as Odoo's own reversal would be;
 *  - shipping: one line on the delivery product at the refunded amount, with the delivery line's
 *    taxes, not linked (it refunds an amount, not the delivery's quantity);
 *  - adjustments: untaxed lines without product ("Adjustment refund" positive, "Adjustment fee"
 *    negative), booked on the journal's default income account. Magento adds adjustments to the
 *    grand total without tax, so an untaxed line is the only one that makes both totals agree.
 */
async function createPartialCreditNote(run: Run, memo: Creditmemo, invoice: AccountMove, reason: string): Promise<number> {
  const { odoo, order } = run;
  const taxField = await odoo.saleLineTaxField();
  const saleLines = await saleLinesOf(run, taxField);
  const products = saleLines.filter((l) => !l.display_type && l.is_delivery !== true);
  const skus = await skusOfProducts(odoo, products.map((l) => many2oneId(l.product_id)).filter((id): id is number => id !== null));
  const magentoRows = magentoLines(order);
  const byItem = new Map(magentoRows.map((l) => [l.itemId, l]));
  // A fixed-price bundle is refunded by its bundle row: Odoo has its components, each at its
  // share, so the row becomes its components' lines (units per bundle × bundles refunded). Its
  // component rows in the memo only follow the bundle row and are not counted again.
  const refunded: Array<{ line: MagentoLine; qty: number }> = [];
  for (const item of memo.items) {
    const direct = byItem.get(item.order_item_id);
    if (direct?.bundle && !direct.bundle.dynamic) continue;
    if (direct) refunded.push({ line: direct, qty: num(item.qty) });
    else for (const c of magentoRows.filter((l) => l.bundle && !l.bundle.dynamic && l.bundle.parentItemId === item.order_item_id)) refunded.push({ line: c, qty: num(item.qty) * c.bundle!.perBundle });
  }

  const lines: unknown[] = [];
  for (const { line, qty } of refunded) {
    // Only priced rows: a configurable's child row repeats its parent's quantity at price 0.
    if (qty <= EPS) continue;
    const saleLine = products.find((l) => skus.get(many2oneId(l.product_id) ?? -1)?.toLowerCase() === line.sku.toLowerCase());
    if (!saleLine) {
      throw new OrderDataError('UnknownSku', `order ${order.increment_id}: Magento credit memo ${nameOf(memo)} refunds "${line.sku}", which Odoo sale order ${run.odooOrder.name} has no line for`);
    }
    lines.push([0, 0, {
      product_id: many2oneId(saleLine.product_id),
      name: String(saleLine.name || line.sku),
      quantity: qty,
      price_unit: Number(saleLine.price_unit ?? 0),
      discount: Number(saleLine.discount ?? 0),
      tax_ids: [[6, 0, idsOf(saleLine[taxField])]],
      sale_line_ids: [[6, 0, [saleLine.id]]],
    }]);
  }
  const shipping = num(memo.shipping_amount);
  if (shipping > EPS) {
    const delivery = saleLines.find((l) => l.is_delivery === true);
    if (!delivery) {
      throw new OrderDataError('UnmappedCarrier', `order ${order.increment_id}: Magento credit memo ${nameOf(memo)} refunds shipping ${shipping.toFixed(2)} but Odoo sale order ${run.odooOrder.name} has no delivery line`);
    }
    lines.push([0, 0, { product_id: many2oneId(delivery.product_id), name: `Shipping refund: ${String(delivery.name || 'delivery')}`, quantity: 1, price_unit: shipping, tax_ids: [[6, 0, idsOf(delivery[taxField])]] }]);
  }
  const positive = num(memo.adjustment_positive);
  if (positive > EPS) lines.push([0, 0, { name: `Adjustment refund (Magento credit memo ${nameOf(memo)})`, quantity: 1, price_unit: positive, tax_ids: [[6, 0, []]] }]);
  const negative = num(memo.adjustment_negative);
  if (negative > EPS) lines.push([0, 0, { name: `Adjustment fee (Magento credit memo ${nameOf(memo)})`, quantity: 1, price_unit: -negative, tax_ids: [[6, 0, []]] }]);

  const [head] = await odoo.searchRead('account.move', [['id', '=', invoice.id]], { fields: ['partner_id', 'partner_shipping_id', 'journal_id', 'invoice_origin', 'fiscal_position_id'] });
  const vals: Record<string, unknown> = {
    move_type: 'out_refund',
    partner_id: many2oneId(head?.partner_id),
    reversed_entry_id: invoice.id,
    journal_id: many2oneId(head?.journal_id),
    invoice_origin: head?.invoice_origin || false,
    ref: reason,
    invoice_line_ids: lines,
  };
  const shippingPartner = many2oneId(head?.partner_shipping_id);
  if (shippingPartner !== null) vals.partner_shipping_id = shippingPartner;
  // The invoice's fiscal position: with a foreign VAT it is what lets Odoo post that country's taxes.
  const position = many2oneId(head?.fiscal_position_id);
  if (position !== null) vals.fiscal_position_id = position;
  const [id] = await odoo.create('account.move', [vals]);
  await absorbRounding(run, memo, id as number);
  return id as number;
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
  await run.odoo.write('account.move', [moveId], { invoice_line_ids: [[0, 0, { product_id: variant.id, name: 'Rounding difference', quantity: 1, price_unit: cents / 100, tax_ids: [[6, 0, []]] }]] });
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

interface RefundPlan { items: LineQty[]; shipping: number; adjustmentPositive: number; adjustmentNegative: number; total: number }

/**
 * Turns Odoo credit notes into Magento's refund arguments. Quantities: per SKU, what Magento still
 * counts as invoiced and unrefunded beyond Odoo's net invoiced quantity (Odoo's credit notes lower
 * its sale lines' qty_invoiced), placed on the Magento items (configurable parents) that can take
 * it. Shipping: refunded when the credit notes took back the delivery line, up to what Magento can
 * still refund. Whatever amount is left is a Magento adjustment (refund or fee).
 */
async function refundPlan(run: Run, refunds: AccountMove[]): Promise<RefundPlan> {
  const taxField = await run.odoo.saleLineTaxField();
  const saleLines = await saleLinesOf(run, taxField);
  const products = saleLines.filter((l) => !l.display_type && l.is_delivery !== true);
  const skus = await skusOfProducts(run.odoo, products.map((l) => many2oneId(l.product_id)).filter((id): id is number => id !== null));
  const odooNet = new Map<string, { qty: number; unitTotal: number }>();
  for (const line of products) {
    const sku = skus.get(many2oneId(line.product_id) ?? -1)?.toLowerCase();
    if (!sku) continue;
    const entry = odooNet.get(sku) ?? { qty: 0, unitTotal: 0 };
    entry.qty += Number(line.qty_invoiced ?? 0);
    const ordered = Number(line.product_uom_qty ?? 0);
    if (ordered > EPS) entry.unitTotal = Number(line.price_total ?? 0) / ordered;
    odooNet.set(sku, entry);
  }
  const lines = magentoLines(run.order);
  const magentoNet = new Map<string, number>();
  for (const line of lines) magentoNet.set(line.sku.toLowerCase(), (magentoNet.get(line.sku.toLowerCase()) ?? 0) + line.qtyInvoiced - line.qtyRefunded);
  const beyond = new Map<string, number>();
  let itemsTotal = 0;
  for (const [sku, net] of magentoNet) {
    const odoo = odooNet.get(sku);
    if (!odoo) continue;
    const qty = net - odoo.qty;
    if (qty <= EPS) continue;
    beyond.set(sku, qty);
    itemsTotal += qty * odoo.unitTotal;
  }
  // A fixed-price bundle is refunded by its bundle row, a dynamic one by its components.
  const items = documentItems(lines, allocate(lines, beyond, (l) => l.qtyInvoiced - l.qtyRefunded), billsByBundleRow);

  const total = round2(refunds.reduce((s, r) => s + r.amount_total, 0));
  let shipping = 0;
  let shippingTotal = 0;
  const delivery = saleLines.find((l) => l.is_delivery === true);
  const refundableShipping = round2(num(run.order.shipping_invoiced) - num(run.order.shipping_refunded));
  if (delivery && refundableShipping > EPS && Number(delivery.qty_invoiced ?? 0) < Number(delivery.product_uom_qty ?? 0) - EPS) {
    // Magento takes the shipping refund without tax and adds the tax itself.
    const gross = Number(delivery.price_total ?? 0);
    const ratio = gross > EPS ? Number(delivery.price_subtotal ?? 0) / gross : 1;
    shipping = round2(Math.min(Math.max(total - itemsTotal, 0) * ratio, refundableShipping));
    shippingTotal = ratio > EPS ? shipping / ratio : shipping;
  }
  const rest = round2(total - itemsTotal - shippingTotal);
  return {
    items,
    shipping,
    adjustmentPositive: rest > TOTAL_TOLERANCE ? rest : 0,
    adjustmentNegative: rest < -TOTAL_TOLERANCE ? -rest : 0,
    total,
  };
}

// ---- shared --------------------------------------------------------------------------------------

/** The order's Odoo credit notes (not cancelled): linked through its sale lines or reversing one of its invoices. */
async function odooRefundsOf(run: Run): Promise<AccountMove[]> {
  const order = (await run.odoo.readSaleOrder(run.odooOrder.id)) ?? run.odooOrder;
  run.odooOrder = order;
  const ids = new Set(order.invoice_ids);
  const invoiceIds = (await run.odoo.readMoves(order.invoice_ids)).filter((m) => m.move_type === 'out_invoice').map((m) => m.id);
  if (invoiceIds.length > 0) {
    const reversals = await run.odoo.searchRead('account.move', [['reversed_entry_id', 'in', invoiceIds], ['move_type', '=', 'out_refund']], { fields: ['id'] });
    for (const row of reversals) ids.add(row.id);
  }
  const moves = await run.odoo.readMoves([...ids]);
  return moves.filter((m) => m.move_type === 'out_refund' && m.state !== 'cancel').sort((a, b) => a.id - b.id);
}

function reversedAmount(invoice: AccountMove, refunds: AccountMove[]): number {
  return refunds.filter((r) => many2oneId(r.reversed_entry_id) === invoice.id).reduce((s, r) => s + r.amount_total, 0);
}

async function saleLinesOf(run: Run, taxField: string): Promise<OdooRecord[]> {
  return run.odoo.searchRead('sale.order.line', [['order_id', '=', run.odooOrder.id]], {
    fields: ['product_id', 'name', 'price_unit', 'discount', taxField, 'is_delivery', 'display_type', 'qty_invoiced', 'product_uom_qty', 'price_subtotal', 'price_total'],
    order: 'id asc',
  });
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

function nameOf(memo: Creditmemo): string {
  return memo.increment_id ?? String(memo.entity_id);
}

function idsOf(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function money(value: number | null | undefined): string {
  return num(value).toFixed(2);
}

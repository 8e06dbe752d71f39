import { IntegrationError } from '../../integrations/errors';
import type { Invoice, LineQty, MagentoClient, Order } from '../../integrations/magento';
import type { AccountMove, OdooClient, SaleOrder } from '../../integrations/odoo';
import type { BindingStore } from '../../store/bindings';
import type { InvoiceSyncResult, OdooOrderRef } from './contracts';
import { OrderDataError } from './failures';
import { billsByBundleRow, documentItems } from './bundle-documents';
import { allocate, magentoLines } from './magento-lines';
import { skusOfProducts } from '../../integrations/odoo/product-skus';
import { hasGoodsToInvoice, invoicedQuantitiesOf } from '../../integrations/odoo/sale-lines';
import { resolvePaymentJournal, type OrderCompany } from './odoo-mappings';
import { bookedCompany } from './order-defaults';
import type { OrderActivityContext } from './order-context';
import { moveMarker } from './document-markers';
import { paymentStateOf, type PaymentState } from './payment-state';

const PAID = new Set(['paid', 'in_payment']);
const NOTHING_LEFT = new Set(['invoiced', 'upselling']);

async function hasCreditNote(odoo: OdooClient, order: SaleOrder): Promise<boolean> {
  const moves = await odoo.readMoves(order.invoice_ids);
  return moves.some((m) => m.move_type === 'out_refund' && m.state !== 'cancel');
}

export function isPaid(move: AccountMove): boolean {
  return move.state === 'posted' && PAID.has(move.payment_state);
}

interface Run {
  ctx: OrderActivityContext;
  ref: OdooOrderRef;
  magento: MagentoClient;
  odoo: OdooClient;
  order: Order;
  actions: string[];
  payment: PaymentState;
  journalOverride: number | undefined;
  /** the company the order is booked in, when the channel books store views in companies */
  company: OrderCompany | undefined;
  offlineInvoicing: 'odoo' | 'on_confirm' | 'on_delivery';
}

/**
 * Keeps invoices and payments the same on both sides. Online orders were invoiced by Magento at
 * checkout: those invoices are brought into Odoo and paid there. Offline orders are invoiced in
 * Odoo; each posted Odoo invoice is pushed to Magento. Every write is preceded by a look at both
 * sides (bindings, the order's invoices, markers in the Magento invoice comments).
 */
export async function syncInvoices(ctx: OrderActivityContext, ref: OdooOrderRef): Promise<InvoiceSyncResult> {
  const { magento, odoo, channel } = ctx.clientsFor(ref.channel);
  if (!channel.orders.syncInvoices) return { actions: [], settled: true };
  const odooOrder = await odoo.readSaleOrder(ref.odooOrderId);
  if (!odooOrder) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  // A quotation cannot be invoiced, and a cancelled order is the cancel step's business.
  if (odooOrder.state !== 'sale') return { actions: [], settled: false };
  const order = await magento.orders.get(ref.magentoOrderId);
  const payment = paymentStateOf(order, channel.orders.paymentMethods);
  const run: Run = { ctx, ref, magento, odoo, order, actions: [], payment, journalOverride: channel.orders.paymentMethods[payment.method]?.journal, company: bookedCompany(channel, odooOrder), offlineInvoicing: channel.orders.offlineInvoicing };
  const settled = payment.kind === 'online' ? await importOnlineInvoices(run) : await pushOfflineInvoices(run);
  return { actions: run.actions, settled };
}

// ---- online: Magento invoiced and captured at checkout ------------------------------------------

async function importOnlineInvoices(run: Run): Promise<boolean> {
  const { ctx, ref, odoo, order } = run;
  const magentoInvoices = (await run.magento.invoices.forOrder(order.entity_id)).filter((i) => i.state !== 3).sort((a, b) => a.entity_id - b.entity_id);
  let odooOrder = await mustRead(odoo, ref);
  let journalId: number | undefined;
  const journal = async () => (journalId ??= run.journalOverride ?? (await resolvePaymentJournal(odoo, ctx, ref.channel, order, run.company)));
  let complete = true;

  for (const invoice of magentoInvoices) {
    const key = String(invoice.entity_id);
    let moveId = (await ctx.bindings.find(ref.channel, 'invoice', key))?.odooId;
    // Bound as "the rest" under this Magento invoice ("<id>:<move>"): a delivery validated while
    // an earlier round ran made the goods invoiceable only after its first look. It is this
    // invoice's counterpart; without this the order never counted as invoiced.
    moveId ??= await boundUnder(ctx.bindings, ref.channel, key, await odoo.customerInvoicesOf(odooOrder));
    if (moveId === undefined) {
      // An Odoo invoice of this order bound to nothing: ours from an attempt that stopped before
      // binding it, or one made by hand. Either way it is the counterpart, not a reason for another.
      moveId = await firstUnbound(ctx.bindings, ref.channel, await odoo.customerInvoicesOf(odooOrder));
      if (moveId === undefined) {
        moveId = await invoiceWhatOdooCan(run, odooOrder, `for Magento invoice ${invoice.increment_id ?? key}`);
        odooOrder = await mustRead(odoo, ref);
      }
      if (moveId === undefined) {
        // Products invoiced on delivery: Odoo has nothing to invoice until they ship.
        complete = false;
        continue;
      }
      await ctx.bindings.bind({ channel: ref.channel, kind: 'invoice', magentoKey: key, odooId: moveId });
    }
    await postAndPay(run, moveId, journal, paymentMemo(run, `Magento ${order.increment_id} invoice ${invoice.increment_id ?? key}`));
  }

  // What Odoo invoices beyond the Magento invoices (later deliveries of delivery-policy products)
  // was paid at checkout too: it is invoiced, paid and bound under the last Magento invoice.
  const last = magentoInvoices[magentoInvoices.length - 1];
  if (last && magentoFullyInvoiced(order)) {
    odooOrder = await mustRead(odoo, ref);
    // Odoo 18 puts the lines of a reversed invoice back to "to invoice": after a credit note, what
    // Odoo offers to invoice is the refunded quantity, not goods still owed, so nothing is re-invoiced.
    if (odooOrder.invoice_status === 'to invoice' && !(await hasCreditNote(odoo, odooOrder)) && !(await odoo.customerInvoicesOf(odooOrder)).some((m) => m.state === 'draft')) {
      await invoiceWhatOdooCan(run, odooOrder, `for the rest paid with Magento invoice ${last.increment_id ?? last.entity_id}`);
    }
    for (const move of await odoo.customerInvoicesOf(await mustRead(odoo, ref))) {
      if (await ctx.bindings.findByOdooId(ref.channel, 'invoice', move.id)) continue;
      // A Magento invoice still without a counterpart takes it under its own key.
      const free = await firstUnboundMagentoInvoice(ctx.bindings, ref.channel, magentoInvoices);
      await ctx.bindings.bind({ channel: ref.channel, kind: 'invoice', magentoKey: free ? String(free.entity_id) : `${last.entity_id}:${move.id}`, odooId: move.id });
      await postAndPay(run, move.id, journal, paymentMemo(run, `Magento ${order.increment_id} invoice ${last.increment_id ?? last.entity_id}`));
    }
  }

  odooOrder = await mustRead(odoo, ref);
  const odooInvoices = await odoo.customerInvoicesOf(odooOrder);
  return complete && magentoInvoices.length > 0 && magentoFullyInvoiced(order) && NOTHING_LEFT.has(String(odooOrder.invoice_status)) && odooInvoices.every(isPaid);
}

async function postAndPay(run: Run, moveId: number, journal: () => Promise<number>, memo: string): Promise<void> {
  let [move] = await run.odoo.readMoves([moveId]);
  if (!move) throw new OrderDataError('OrderStateConflict', `order ${run.order.increment_id}: Odoo invoice ${moveId} no longer exists`);
  if (move.state === 'draft') {
    await run.odoo.postMove(moveId);
    [move] = await run.odoo.readMoves([moveId]);
    run.actions.push(`posted Odoo invoice ${String(move?.name || moveId)}`);
  }
  if (!move || move.state !== 'posted' || PAID.has(move.payment_state) || move.amount_residual <= 0.001) return;
  const paymentId = await run.odoo.registerPayment(moveId, { journalId: await journal(), memo });
  run.actions.push(`registered payment ${paymentId} on Odoo invoice ${String(move.name || moveId)} (${memo})`);
}

// ---- offline: Odoo invoices, Magento follows -----------------------------------------------------

async function pushOfflineInvoices(run: Run): Promise<boolean> {
  const { ctx, ref, odoo } = run;
  let odooOrder = await mustRead(odoo, ref);
  let invoices = await odoo.customerInvoicesOf(odooOrder);
  const connectorInvoices = offlineInvoicedByConnector(run, odooOrder);
  // Draft invoices count as invoiced in Odoo, so a draft left by a stopped attempt is posted,
  // not duplicated.
  if (connectorInvoices && odooOrder.invoice_status === 'to invoice' && !invoices.some((m) => m.state === 'draft')) {
    await invoiceWhatOdooCan(run, odooOrder, `for the Magento order (orders.offlineInvoicing ${run.offlineInvoicing}${magentoFullyInvoiced(run.order) ? ', invoiced in Magento' : ''})`);
    odooOrder = await mustRead(odoo, ref);
    invoices = await odoo.customerInvoicesOf(odooOrder);
  }
  // A draft the Odoo user is still editing is theirs to post ("odoo" policy).
  for (const draft of invoices.filter((m) => m.state === 'draft' && connectorInvoices)) {
    await odoo.postMove(draft.id);
    run.actions.push(`posted Odoo invoice ${draft.id}`);
  }
  invoices = await odoo.customerInvoicesOf(odooOrder);
  // Magento already holds the money (cash collected, cheque cashed, invoiced and marked paid
  // there): the Odoo invoice is paid too, or it would stay open forever. Magento also counts an
  // offline invoice as paid the moment it exists, so only an invoice made in Magento (not one this
  // connector pushed from Odoo, which carries its move marker) says the money is in.
  if (run.payment.paid && (await run.magento.invoices.forOrder(run.order.entity_id)).some((i) => i.state !== 3 && !/\(odoo move \d+\)/.test(commentsOf(i)))) {
    let journalId: number | undefined;
    const journal = async () => (journalId ??= run.journalOverride ?? (await resolvePaymentJournal(odoo, ctx, ref.channel, run.order, run.company)));
    for (const move of invoices.filter((m) => m.state === 'posted' && !isPaid(m))) await postAndPay(run, move.id, journal, paymentMemo(run, `Magento ${run.order.increment_id} paid in Magento`));
    invoices = await odoo.customerInvoicesOf(odooOrder);
  }

  const unpushed: AccountMove[] = [];
  for (const move of invoices.filter((m) => m.state === 'posted')) {
    if (!(await ctx.bindings.findByOdooId(ref.channel, 'invoice', move.id))) unpushed.push(move);
  }
  if (unpushed.length > 0) await pushToMagento(run, odooOrder, unpushed);

  const order = await run.magento.orders.get(ref.magentoOrderId);
  const allBound = (await Promise.all(invoices.map((m) => ctx.bindings.findByOdooId(ref.channel, 'invoice', m.id)))).every(Boolean);
  return NOTHING_LEFT.has(String(odooOrder.invoice_status)) && invoices.length > 0 && allBound && invoices.every(isPaid) && magentoFullyInvoiced(order);
}

async function pushToMagento(run: Run, odooOrder: SaleOrder, unpushed: AccountMove[]): Promise<void> {
  const { ctx, ref, magento } = run;
  const magentoInvoices = await magento.invoices.forOrder(run.order.entity_id);
  const left: AccountMove[] = [];
  for (const move of unpushed) {
    // Pushed by an attempt that stopped before binding: our comment names the Odoo move.
    const pushed = magentoInvoices.find((i) => commentsOf(i).includes(moveMarker(move.id)));
    if (pushed) await bindPushed(run, pushed.entity_id, move.id, markedMoves(pushed));
    else left.push(move);
  }
  if (left.length === 0) return;
  const items = await itemsOdooInvoicedBeyondMagento(run, odooOrder);
  if (items.length === 0) {
    // Magento already holds these quantities (invoiced there by hand): pair with an unpaired
    // Magento invoice when there is one, otherwise record the Odoo invoice as needing no push.
    for (const move of left) {
      const free = await firstUnboundMagentoInvoice(ctx.bindings, ref.channel, magentoInvoices);
      await ctx.bindings.bind({ channel: ref.channel, kind: 'invoice', magentoKey: free ? String(free.entity_id) : `${ref.incrementId}:odoo-only:${move.id}`, odooId: move.id });
    }
    return;
  }
  const names = left.map((m) => `${String(m.name || m.id)} ${moveMarker(m.id)}`).join(', ');
  const invoiceId = await magento.orders.invoice(ref.magentoOrderId, {
    // Offline payment: mark the Magento invoice as invoiced without contacting a gateway.
    capture: false,
    items,
    notify: true,
    appendComment: false,
    comment: { comment: `Odoo invoice ${names}`, isVisibleOnFront: false },
  });
  run.actions.push(`pushed Odoo invoice ${left.map((m) => String(m.name || m.id)).join(', ')} to Magento as invoice ${invoiceId}`);
  await bindPushed(run, invoiceId, left[0]!.id, left.map((m) => m.id));
  for (const move of left.slice(1)) await bindPushed(run, invoiceId, move.id, left.map((m) => m.id));
}

/**
 * One Magento invoice may carry several Odoo invoices posted between two runs; the binding key is
 * unique per Magento invoice, so the lowest Odoo move takes the plain key and the others a
 * suffixed one. The same rule applies when re-binding after a crash.
 */
async function bindPushed(run: Run, magentoInvoiceId: number, moveId: number, movesInIt: number[]): Promise<void> {
  const first = Math.min(...movesInIt, moveId);
  const magentoKey = moveId === first ? String(magentoInvoiceId) : `${magentoInvoiceId}:${moveId}`;
  await run.ctx.bindings.bind({ channel: run.ref.channel, kind: 'invoice', magentoKey, odooId: moveId });
}

function commentsOf(invoice: Invoice): string {
  return (invoice.comments ?? []).map((c) => c.comment ?? '').join('\n');
}

function markedMoves(invoice: Invoice): number[] {
  return [...commentsOf(invoice).matchAll(/\(odoo move (\d+)\)/g)].map((m) => Number(m[1]));
}

/** Per Magento item: what Odoo has invoiced (posted or not) that Magento has not. */
async function itemsOdooInvoicedBeyondMagento(run: Run, odooOrder: SaleOrder): Promise<LineQty[]> {
  const products = await invoicedQuantitiesOf(run.odoo, odooOrder.id);
  const skus = await skusOfProducts(run.odoo, products.map((l) => l.productId).filter((id): id is number => id !== null));
  const odooInvoiced = new Map<string, number>();
  for (const line of products) {
    const sku = skus.get(line.productId ?? -1);
    if (sku) odooInvoiced.set(sku, (odooInvoiced.get(sku) ?? 0) + line.qtyInvoiced);
  }
  const magento = magentoLines(run.order);
  const beyond = new Map<string, number>();
  for (const [sku, qty] of odooInvoiced) {
    const inMagento = magento.filter((l) => l.sku.toLowerCase() === sku.toLowerCase()).reduce((s, l) => s + l.qtyInvoiced, 0);
    if (qty - inMagento > 1e-9) beyond.set(sku, qty - inMagento);
  }
  // A fixed-price bundle is invoiced by its bundle row, a dynamic one by its components.
  return documentItems(magento, allocate(magento, beyond, (l) => l.qtyOrdered - l.qtyInvoiced - l.qtyCanceled), billsByBundleRow);
}

/**
 * Whether the connector makes the Odoo invoice of an offline order now (orders.offlineInvoicing).
 * Whatever the policy, an order Magento already invoiced (in the admin, or a virtual order
 * complete at checkout) gets its Odoo invoice: that invoice exists, Odoo must show it too.
 */
function offlineInvoicedByConnector(run: Run, odooOrder: SaleOrder): boolean {
  // Fully, not partly: a part invoiced in Magento may be an Odoo invoice this connector pushed.
  if (magentoFullyInvoiced(run.order)) return true;
  if (run.offlineInvoicing === 'on_confirm') return true;
  if (run.offlineInvoicing === 'on_delivery') return odooOrder.delivery_status === 'partial' || odooOrder.delivery_status === 'full';
  return false;
}

// ---- shared --------------------------------------------------------------------------------------

/** The Odoo payment's memo: the gateway's transaction id when Magento has one (last_trans_id). */
function paymentMemo(run: Run, fallback: string): string {
  return run.payment.transactionId ? `${fallback} (transaction ${run.payment.transactionId})` : fallback;
}

/** Invoices what Odoo can invoice now; undefined when nothing is invoiceable yet. */
async function invoiceWhatOdooCan(run: Run, odooOrder: SaleOrder, why: string): Promise<number | undefined> {
  if (odooOrder.invoice_status !== 'to invoice') return undefined;
  // Goods invoiced on delivery leave only the shipping line invoiceable before anything ships;
  // an invoice for the shipping alone is one no merchant wants (and it would turn a plain cancel
  // into a credit memo). Wait until some goods are invoiceable.
  if (!(await hasGoodsToInvoice(run.odoo, odooOrder.id))) return undefined;
  try {
    const ids = await run.odoo.invoiceSaleOrder(odooOrder.id);
    if (ids.length > 0) run.actions.push(`created Odoo invoice ${ids.join(', ')} ${why}`);
    return ids[0];
  } catch (err) {
    // "No items are available to invoice": delivery-policy products not delivered yet.
    if (err instanceof IntegrationError && err.kind === 'validation' && /No items are available to invoice/i.test(err.message)) return undefined;
    throw err;
  }
}

async function firstUnbound(bindings: BindingStore, channel: string, moves: AccountMove[]): Promise<number | undefined> {
  for (const move of moves) if (!(await bindings.findByOdooId(channel, 'invoice', move.id))) return move.id;
  return undefined;
}

/** The order's Odoo invoice bound under "<magentoKey>:<move id>", if any. */
async function boundUnder(bindings: BindingStore, channel: string, magentoKey: string, moves: AccountMove[]): Promise<number | undefined> {
  for (const move of moves) {
    if ((await bindings.findByOdooId(channel, 'invoice', move.id))?.magentoKey === `${magentoKey}:${move.id}`) return move.id;
  }
  return undefined;
}

async function firstUnboundMagentoInvoice(bindings: BindingStore, channel: string, invoices: Invoice[]): Promise<Invoice | undefined> {
  for (const invoice of invoices) if (invoice.state !== 3 && !(await bindings.find(channel, 'invoice', String(invoice.entity_id)))) return invoice;
  return undefined;
}

function magentoFullyInvoiced(order: Order): boolean {
  return magentoLines(order).every((l) => l.qtyInvoiced + l.qtyCanceled >= l.qtyOrdered - 1e-9);
}

async function mustRead(odoo: OdooClient, ref: OdooOrderRef): Promise<SaleOrder> {
  const order = await odoo.readSaleOrder(ref.odooOrderId);
  if (!order) throw new OrderDataError('OrderStateConflict', `order ${ref.incrementId}: Odoo sale order ${ref.odooOrderId} no longer exists`);
  return order;
}

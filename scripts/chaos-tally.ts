/**
 * The verdict of a chaos run, from what both systems' APIs say about each order placed: pure, so
 * the rules are the same for the command and its test.
 *   complete    Magento: status complete, one shipment, one invoice. Odoo: one sale order,
 *               confirmed, every delivery done, one customer invoice, posted and paid.
 *   lost        no Odoo sale order at all
 *   duplicated  more than one Odoo sale order, Magento shipment or Magento invoice, or Odoo
 *               invoices worth more than the sale order (two Odoo invoices for one Magento invoice
 *               are normal: goods invoiced on delivery are invoiced after the others)
 *   stuck       none of the above: imported, but not (yet) complete
 */
export interface OrderSighting {
  incrementId: string;
  magentoStatus: string | null;
  magentoShipments: number;
  magentoInvoices: number;
  odooOrders: Array<{ state: string; amountTotal: number; pickingsOpen: number; invoices: Array<{ state: string; paymentState: string; amountTotal: number }> }>;
}

export interface ChaosTally {
  orders: number;
  complete: number;
  lost: number;
  duplicated: number;
  stuck: number;
  /** increment ids per finding, for the report */
  lostIds: string[];
  duplicatedIds: string[];
  stuckIds: string[];
}

const PAID = new Set(['paid', 'in_payment']);

export type Finding = 'complete' | 'lost' | 'duplicated' | 'stuck';

export function findingOf(o: OrderSighting): Finding {
  if (o.odooOrders.length === 0) return 'lost';
  const odooInvoices = o.odooOrders.flatMap((s) => s.invoices.filter((i) => i.state !== 'cancel'));
  const [so] = o.odooOrders;
  const invoiced = odooInvoices.reduce((s, i) => s + i.amountTotal, 0);
  if (o.odooOrders.length > 1 || invoiced > so!.amountTotal + 0.01 || o.magentoShipments > 1 || o.magentoInvoices > 1) return 'duplicated';
  const done = o.magentoStatus === 'complete' && o.magentoShipments === 1 && o.magentoInvoices === 1
    && so!.state === 'sale' && so!.pickingsOpen === 0 && Math.abs(invoiced - so!.amountTotal) <= 0.01
    && odooInvoices.length > 0 && odooInvoices.every((i) => i.state === 'posted' && PAID.has(i.paymentState));
  return done ? 'complete' : 'stuck';
}

export function tally(sightings: OrderSighting[]): ChaosTally {
  const t: ChaosTally = { orders: sightings.length, complete: 0, lost: 0, duplicated: 0, stuck: 0, lostIds: [], duplicatedIds: [], stuckIds: [] };
  for (const o of sightings) {
    const finding = findingOf(o);
    t[finding] += 1;
    if (finding === 'lost') t.lostIds.push(o.incrementId);
    if (finding === 'duplicated') t.duplicatedIds.push(o.incrementId);
    if (finding === 'stuck') t.stuckIds.push(o.incrementId);
  }
  return t;
}

export function chaosLine(t: ChaosTally, seconds: number): string {
  return `chaos: orders=${t.orders} complete=${t.complete} lost=${t.lost} duplicated=${t.duplicated} stuck=${t.stuck} seconds=${Math.round(seconds)}`;
}

import type { Order, OrderItem } from '../../integrations/magento';
import type { LineAmounts } from '../../integrations/odoo/sale-lines';
import { OrderDataError } from './failures';
import type { MagentoLine } from './magento-lines';

/**
 * Magento order → the money of its Odoo sale order, exact to the cent in the order's currency.
 * Pure: no I/O, so every rule here is unit-tested (test/unit/order-values.test.ts).
 *
 * Odoo stores price_unit and discount with 2 decimals (decimal precisions "Product Price" and
 * "Discount") and computes a line as round(price_unit × (1 − discount/100) × qty) plus, per line
 * (round_per_line, the default), round(that × rate). A discount percentage taken straight from
 * Magento's discount amount is rounded by Odoo and moves the line by cents; with catalog prices
 * including tax, Magento's discount_amount also includes tax. So each line's target is Magento's
 * own net row (after discount, tax taken out) and its tax, and the unit price and discount are
 * searched among the 2-decimal values Odoo can store for one whose Odoo arithmetic lands exactly.
 */

export interface OdooLineValues {
  /** index in order.items (for messages) */
  index: number;
  sku: string;
  quantity: number;
  priceUnit: number;
  discount: number;
  taxPercent: number;
  /** what Odoo will compute for this line */
  subtotal: number;
  tax: number;
}

export interface OrderValues {
  /** ISO code of the order's own currency (order_currency_code, not base) */
  currency: string;
  lines: OdooLineValues[];
  /** the delivery line's price (net of the shipping discount, tax excluded) */
  shippingPrice: number;
  /** Magento's grand_total in the order currency */
  grandTotal: number;
  /** grand_total minus what Odoo computes for the lines and the shipping: 0 unless no stored
   * price/discount could absorb Magento's rounding; the importer then adds a rounding line */
  roundingDifference: number;
}

const cents = (value: number): number => Math.round(value * 100);
const n = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Odoo's arithmetic for one line, in cents (price_unit and discount as Odoo stores them). */
export function odooLineCents(priceUnitCents: number, discount: number, quantity: number, taxPercent: number): { subtotal: number; tax: number } {
  const raw = (priceUnitCents / 100) * (1 - discount / 100) * quantity;
  return { subtotal: halfUpCents(raw), tax: halfUpCents((raw * taxPercent) / 100) };
}

// Odoo's float_round (HALF-UP with a small epsilon so 2.675 stored as 2.67499… still goes up).
function halfUpCents(value: number): number {
  const scaled = value * 100;
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

/** The order's currency: order_currency_code; empty or not a 3-letter code is refused by name. */
export function orderCurrency(order: Order): string {
  const code = (order.order_currency_code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new OrderDataError('UnknownCurrency', `order ${order.increment_id}: order_currency_code ${code ? `"${order.order_currency_code}"` : 'is empty'}${code ? ' is not a currency code' : ''}: fix the order's currency in Magento, then retry`);
  }
  return code;
}

/**
 * Magento's net row after discount and its tax, in cents. REST renders row_total_incl_tax after
 * the discount (ChangeOutputArray); with it, net = row_total_incl_tax − tax_amount, which holds in
 * both tax modes. Without it, net = price × qty − discount_amount + discount_tax_compensation_amount
 * (the compensation is the tax share of a tax-inclusive discount).
 */
export function magentoRowCents(item: OrderItem): { net: number; tax: number } {
  const tax = cents(n(item.tax_amount));
  const fromParts = cents(n(item.price) * n(item.qty_ordered)) - cents(n(item.discount_amount)) + cents(n(item.discount_tax_compensation_amount));
  if (typeof item.row_total_incl_tax === 'number') {
    const rest = cents(item.row_total_incl_tax) - tax;
    // A body that kept the pre-discount row (not what 2.4.7 REST renders) is recognised by the
    // discount still being in it; per-unit rounding of tax-inclusive prices moves rows by cents only.
    const qtyCents = Math.max(2, Math.ceil(n(item.qty_ordered)) + 1);
    const discountNet = cents(n(item.discount_amount)) - cents(n(item.discount_tax_compensation_amount));
    if (discountNet > 0 && Math.abs(rest - discountNet - fromParts) <= qtyCents && Math.abs(rest - fromParts) > qtyCents) return { net: rest - discountNet, tax };
    return { net: rest, tax };
  }
  return { net: fromParts, tax };
}

interface Candidate { priceUnit: number; discount: number; subtotal: number; tax: number }

/**
 * Stored price_unit (cents) and discount (2 decimals) for which Odoo computes exactly `net`
 * (and, when `gross` is given, exactly net + tax = gross, net allowed to move by a few cents).
 * Tries Magento's own unit price first so the discount stays visible on the line.
 */
export function solveLine(priceCents: number, quantity: number, taxPercent: number, target: { net: number; tax?: number; gross?: number }): Candidate | null {
  const fits = (c: Candidate): boolean => (target.gross !== undefined ? c.subtotal + c.tax === target.gross : c.subtotal === target.net);
  if (target.net <= 0 && target.gross === undefined) {
    // Fully discounted: Magento price at 100%, or a zero price.
    return { priceUnit: Math.max(priceCents, 0), discount: priceCents > 0 ? 100 : 0, subtotal: 0, tax: 0 };
  }
  // Without a discount the Magento price usually fits as it is.
  const plain = { priceUnit: priceCents, discount: 0, ...odooLineCents(priceCents, 0, quantity, taxPercent) };
  if (fits(plain) && (target.tax === undefined || plain.tax === target.tax)) return plain;
  // The nets to aim at: Magento's, or (for a gross target) the nearby ones whose tax completes it.
  const nets = target.gross === undefined ? [target.net] : nearbyNets(target.net, target.gross, taxPercent);
  const found: Candidate[] = [];
  // Magento's unit price first, then prices a cent further each time: with a quantity above 1 a
  // 0.01% discount step moves the row by more than a cent, and another price shifts the lattice.
  for (let delta = 0; delta <= 60 && found.length === 0; delta++) {
    for (const pu of delta === 0 ? [priceCents] : [priceCents + delta, priceCents - delta]) {
      if (pu <= 0) continue;
      const gross = (pu / 100) * quantity;
      for (const net of nets) {
        const ideal = gross > 0 ? (1 - net / 100 / gross) * 100 : 0;
        const centre = Math.round(ideal * 100);
        for (const k of [centre, centre - 1, centre + 1, centre - 2, centre + 2]) {
          const discount = k / 100;
          if (discount < 0 || discount >= 100) continue;
          const c = { priceUnit: pu, discount, ...odooLineCents(pu, discount, quantity, taxPercent) };
          if (fits(c)) found.push(c);
        }
      }
    }
  }
  // No stored discount lands on the row: a unit price that does (exact when net/qty is in cents).
  for (const net of nets) {
    if (found.length > 0 || !Number.isInteger(net / quantity)) continue;
    const c = { priceUnit: net / quantity, discount: 0, ...odooLineCents(net / quantity, 0, quantity, taxPercent) };
    if (fits(c)) found.push(c);
  }
  if (found.length === 0) return fits(plain) ? plain : null;
  // Prefer the result whose tax is Magento's, then the smallest change of the net and of the price.
  const score = (c: Candidate) => (target.tax !== undefined && c.tax !== target.tax ? 1_000_000 : 0) + Math.abs(c.subtotal - target.net) * 1000 + Math.abs(c.priceUnit - priceCents);
  return found.sort((a, b) => score(a) - score(b))[0] ?? null;
}

/** Nets within a few cents of `net` whose tax at `taxPercent` makes `gross`, nearest first. */
function nearbyNets(net: number, gross: number, taxPercent: number): number[] {
  const out: number[] = [];
  const centre = Math.round(gross / (1 + taxPercent / 100));
  for (let d = 0; d <= 4; d++) {
    for (const candidate of d === 0 ? [centre] : [centre - d, centre + d]) {
      if (candidate > 0 && candidate + halfUpCents((candidate / 100) * (taxPercent / 100)) === gross) out.push(candidate);
    }
  }
  return out.sort((a, b) => Math.abs(a - net) - Math.abs(b - net));
}

/** Shipping after its discount, tax excluded, in cents (tax-inclusive discounts carry their tax share). */
export function shippingNetCents(order: Order): number {
  const compensation = n((order as { shipping_discount_tax_compensation_amount?: number | null }).shipping_discount_tax_compensation_amount);
  return cents(n(order.shipping_amount)) - cents(n(order.shipping_discount_amount)) + cents(compensation);
}

/**
 * The Odoo values of every line. `shippingTaxCents` is what Odoo adds for the delivery line's tax
 * (0 when the carrier's product has none, as in Magento's default "shipping not taxed").
 */
export function orderValues(order: Order, lines: MagentoLine[], shippingTaxCents = cents(n(order.shipping_tax_amount))): OrderValues {
  const currency = orderCurrency(order);
  const out: OdooLineValues[] = [];
  // Fixed-price bundles: the parent's row split over its components, the last one taking the
  // remainder so the components add up to the parent exactly.
  const bundleSpent = new Map<number, { net: number; tax: number }>();
  for (const line of lines) {
    let row: { net: number; tax: number };
    if (line.bundle && !line.bundle.dynamic) {
      const parentRow = magentoRowCents(order.items[line.bundle.parentIndex] as OrderItem);
      const spent = bundleSpent.get(line.bundle.parentIndex) ?? { net: 0, tax: 0 };
      row = line.bundle.last
        ? { net: parentRow.net - spent.net, tax: parentRow.tax - spent.tax }
        : { net: Math.round(parentRow.net * line.bundle.share), tax: Math.round(parentRow.tax * line.bundle.share) };
      bundleSpent.set(line.bundle.parentIndex, { net: spent.net + row.net, tax: spent.tax + row.tax });
    } else {
      row = magentoRowCents(order.items[itemIndexOf(order, line)] as OrderItem);
    }
    const priceCents = cents(line.price);
    const solved =
      solveLine(priceCents, line.qtyOrdered, line.taxPercent, { net: row.net, tax: row.tax }) ??
      // Nothing lands on the net exactly: the closest gross (net ± cents) keeps the order total.
      solveLine(priceCents, line.qtyOrdered, line.taxPercent, { net: row.net, gross: row.net + row.tax });
    const chosen = solved ?? { priceUnit: priceCents, discount: 0, ...odooLineCents(priceCents, 0, line.qtyOrdered, line.taxPercent) };
    out.push({ index: line.index, sku: line.sku, quantity: line.qtyOrdered, priceUnit: chosen.priceUnit / 100, discount: chosen.discount, taxPercent: line.taxPercent, subtotal: chosen.subtotal / 100, tax: chosen.tax / 100 });
  }
  const shipping = shippingNetCents(order);
  const grand = cents(n(order.grand_total));
  let residual = grand - sumCents(out) - shipping - shippingTaxCents;
  // Magento's per-row rounding deltas (tax rounded on the order, not per line): a line whose
  // gross can move by the residual takes it, so the Odoo total is Magento's without an extra line.
  if (residual !== 0) residual = absorb(out, residual);
  return { currency, lines: out, shippingPrice: shipping / 100, grandTotal: grand / 100, roundingDifference: residual / 100 };
}

/**
 * Moves `residual` cents into one line's gross; returns what is left (0 when absorbed). Only
 * rounding-sized residuals (a cent per row, plus one for shipping) are absorbed: more than that
 * is a real difference (a tax configured differently on the two sides) that must park the order.
 */
export function absorb(lines: OdooLineValues[], residual: number): number {
  if (Math.abs(residual) > lines.length + 1) return residual;
  // The largest lines first: a cent there is the smallest relative change.
  const order = [...lines.keys()].sort((a, b) => (lines[b] as OdooLineValues).subtotal - (lines[a] as OdooLineValues).subtotal);
  for (const i of order) {
    const line = lines[i] as OdooLineValues;
    const gross = cents(line.subtotal) + cents(line.tax) + residual;
    const solved = solveLine(cents(line.priceUnit), line.quantity, line.taxPercent, { net: cents(line.subtotal) + residual, gross });
    if (solved) {
      lines[i] = { ...line, priceUnit: solved.priceUnit / 100, discount: solved.discount, subtotal: solved.subtotal / 100, tax: solved.tax / 100 };
      return 0;
    }
  }
  return residual;
}

function sumCents(lines: OdooLineValues[]): number {
  return lines.reduce((s, l) => s + cents(l.subtotal) + cents(l.tax), 0);
}

// MagentoLine.index points at the SKU item (a configurable's child); money sits on the parent.
function itemIndexOf(order: Order, line: MagentoLine): number {
  const index = order.items.findIndex((i) => i.item_id === line.itemId);
  return index === -1 ? line.index : index;
}

/**
 * Odoo 19 sums an order in a foreign currency before rounding (amount_untaxed = round(Σ line
 * bases), each tax = round(Σ its bases × rate)), unlike per-line rounding in the company
 * currency. Given the lines as Odoo stores them and the other lines' raw bases (the delivery),
 * finds one line's price_unit/discount for which that sum is `targetCents`; null when none.
 */
export function solveSummed(lines: OdooLineValues[], otherBase: number, targetCents: number): OdooLineValues[] | null {
  const raw = (l: { priceUnit: number; discount: number; quantity: number }) => l.priceUnit * (1 - l.discount / 100) * l.quantity;
  const total = (ls: OdooLineValues[]): number => {
    const untaxed = halfUpCents(ls.reduce((s, l) => s + raw(l), otherBase));
    const byRate = new Map<number, number>();
    for (const l of ls) byRate.set(l.taxPercent, (byRate.get(l.taxPercent) ?? 0) + raw(l));
    let tax = 0;
    for (const [rate, base] of byRate) tax += halfUpCents((base * rate) / 100);
    return untaxed + tax;
  };
  if (total(lines) === targetCents) return lines;
  const order = [...lines.keys()].sort((a, b) => raw(lines[b] as OdooLineValues) - raw(lines[a] as OdooLineValues));
  for (const i of order) {
    const line = lines[i] as OdooLineValues;
    const pu0 = Math.round(line.priceUnit * 100);
    for (let dp = 0; dp <= 3; dp++) {
      for (const pu of dp === 0 ? [pu0] : [pu0 + dp, pu0 - dp]) {
        if (pu <= 0) continue;
        const d0 = Math.round(line.discount * 100);
        for (let dd = 0; dd <= 40; dd++) {
          for (const k of dd === 0 ? [d0] : [d0 - dd, d0 + dd]) {
            if (k < 0 || k >= 10_000) continue;
            const candidate = lines.map((l, j) => (j === i ? { ...l, priceUnit: pu / 100, discount: k / 100 } : l));
            if (total(candidate) === targetCents) return candidate;
          }
        }
      }
    }
  }
  return null;
}

/** A product line's new stored price and discount. */
export interface PriceCorrection {
  lineId: number;
  priceUnit: number;
  discount: number;
}

/**
 * After the create: what to write so the Odoo order comes to Magento's grand total, from what Odoo
 * stored and computed (`odooLines`, every line of the order in order; `amountTotal`, the order's
 * total). The difference (Odoo's tax on the delivery line, Magento's per-row rounding deltas) goes
 * into one product line's price or discount. When Odoo's total is not the sum of its rounded lines
 * (19.0 sums a foreign-currency order before rounding) the lines are solved against that
 * arithmetic instead. null when no stored value can absorb it (the caller may add a rounding
 * line); an empty list when nothing needs to change.
 */
export function totalCorrections(values: OrderValues, odooLines: LineAmounts[], amountTotal: number, grandTotal: number): PriceCorrection[] | null {
  const residual = Math.round((grandTotal - amountTotal) * 100);
  const rows = odooLines.filter((l) => !l.isDisplay && !l.isDelivery);
  if (rows.length < values.lines.length) return null;
  const actual: OdooLineValues[] = values.lines.map((line, i) => {
    const row = rows[i] as LineAmounts;
    return { ...line, priceUnit: row.priceUnit, discount: row.discount, subtotal: Math.round(row.subtotal * 100) / 100, tax: Math.round(row.tax * 100) / 100 };
  });
  let adjusted = actual.map((l) => ({ ...l }));
  const lineSum = Math.round(odooLines.filter((l) => !l.isDisplay).reduce((sum, l) => sum + l.total * 100, 0));
  if (lineSum !== Math.round(amountTotal * 100)) {
    if (Math.abs(residual) > values.lines.length + 1) return null;
    const otherBase = odooLines.filter((l) => !l.isDisplay && l.isDelivery).reduce((sum, l) => sum + l.priceUnit * (1 - l.discount / 100) * l.quantity, 0);
    const solved = solveSummed(adjusted, otherBase, Math.round(grandTotal * 100));
    if (!solved) return null;
    adjusted = solved;
  } else if (absorb(adjusted, residual) !== 0) return null;
  return adjusted.flatMap((line, i) => {
    const before = actual[i] as OdooLineValues;
    if (line.priceUnit === before.priceUnit && line.discount === before.discount) return [];
    return [{ lineId: (rows[i] as LineAmounts).id, priceUnit: line.priceUnit, discount: line.discount }];
  });
}

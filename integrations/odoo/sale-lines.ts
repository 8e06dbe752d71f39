import { z } from 'zod';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { parseRows } from './parse-answer';
import { Ids, Many2one, OptionalText } from './schemas';

/**
 * The lines of a sale order (sale.order.line) as the order steps read and change them. Each read
 * asks for the fields its step needs and nothing else, in the same call as before, so the read
 * scope of an activity (integrations/read-scope.ts) still answers a repeated one.
 * Section and note lines (display_type) and the delivery line (is_delivery) are told apart here.
 */

const Kind = { is_delivery: z.boolean(), display_type: OptionalText };
const OPERATION = 'sale.order.line.search_read';

/** a product line: neither a section/note nor the delivery line */
const isProductLine = (row: { is_delivery: boolean; display_type: string | false }): boolean => !row.display_type && row.is_delivery !== true;

/** Whether the order has its shipping line (the delivery wizard's, or the one made with the order). */
export async function hasDeliveryLine(odoo: OdooClient, orderId: number): Promise<boolean> {
  const rows = await odoo.searchRead(
    'sale.order.line',
    [
      ['order_id', '=', orderId],
      ['is_delivery', '=', true],
    ],
    { fields: ['id'], limit: 1 },
  );
  return rows.length > 0;
}

export interface LineAmounts {
  id: number;
  isDelivery: boolean;
  /** a section or note line, which carries no money */
  isDisplay: boolean;
  priceUnit: number;
  discount: number;
  quantity: number;
  subtotal: number;
  tax: number;
  total: number;
}

const AmountsSchema = z.looseObject({
  id: z.number().int(),
  ...Kind,
  price_unit: z.number(),
  discount: z.number(),
  product_uom_qty: z.number(),
  price_subtotal: z.number(),
  price_tax: z.number(),
  price_total: z.number(),
});

/** Every line with what Odoo stored and computed for it, in order: what the import reconciles the total with. */
export async function lineAmountsOf(odoo: OdooClient, orderId: number): Promise<LineAmounts[]> {
  const rows = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], {
    fields: ['is_delivery', 'display_type', 'price_unit', 'discount', 'product_uom_qty', 'price_subtotal', 'price_tax', 'price_total'],
    order: 'id asc',
  });
  return parseRows(AmountsSchema, rows, OPERATION).map((r) => ({
    id: r.id,
    isDelivery: r.is_delivery,
    isDisplay: Boolean(r.display_type),
    priceUnit: r.price_unit,
    discount: r.discount,
    quantity: r.product_uom_qty,
    subtotal: r.price_subtotal,
    tax: r.price_tax,
    total: r.price_total,
  }));
}

/** The stored unit price and discount of one line (Odoo recomputes its amounts). */
export async function setLinePrice(odoo: OdooClient, lineId: number, priceUnit: number, discount: number): Promise<void> {
  await odoo.write('sale.order.line', [lineId], { price_unit: priceUnit, discount });
}

/** An untaxed "Rounding difference" line of `amount` on the rounding product (orders.roundingSku). */
export async function addRoundingLine(odoo: OdooClient, orderId: number, productId: number, amount: number): Promise<void> {
  const taxField = await odoo.saleLineTaxField();
  await odoo.write('sale.order', [orderId], {
    order_line: [[0, 0, { product_id: productId, name: 'Rounding difference', product_uom_qty: 1, price_unit: amount, [taxField]: [[6, 0, []]] }]],
  });
}

export interface DeliveredLine {
  id: number;
  productId: number | null;
  quantity: number;
  delivered: number;
}

const DeliveredSchema = z.looseObject({ id: z.number().int(), ...Kind, product_id: Many2one, product_uom_qty: z.number(), qty_delivered: z.number() });

/** The product lines with their ordered and delivered quantities, in order. */
export async function deliveredQuantitiesOf(odoo: OdooClient, orderId: number): Promise<DeliveredLine[]> {
  const rows = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], {
    fields: ['product_id', 'product_uom_qty', 'qty_delivered', 'is_delivery', 'display_type'],
    order: 'id asc',
  });
  return parseRows(DeliveredSchema, rows, OPERATION)
    .filter(isProductLine)
    .map((r) => ({ id: r.id, productId: many2oneId(r.product_id), quantity: r.product_uom_qty, delivered: r.qty_delivered }));
}

/** Lowers what a line sells (and so what Odoo delivers and invoices of it). */
export async function setLineQuantity(odoo: OdooClient, lineId: number, quantity: number): Promise<void> {
  await odoo.write('sale.order.line', [lineId], { product_uom_qty: quantity });
}

export interface InvoicingLine {
  id: number;
  productId: number | null;
  /** the line's description ('' when Odoo has none) */
  name: string;
  priceUnit: number;
  discount: number;
  taxIds: number[];
  isDelivery: boolean;
  isDisplay: boolean;
  quantity: number;
  qtyInvoiced: number;
  subtotal: number;
  total: number;
}

/**
 * Every line with what a credit note needs of it (product, price, discount, taxes) and what it has
 * invoiced net of credit notes, in order. Odoo 18 calls the taxes `tax_id`, 19 `tax_ids`.
 */
export async function invoicingLinesOf(odoo: OdooClient, orderId: number): Promise<InvoicingLine[]> {
  const taxField = await odoo.saleLineTaxField();
  const rows = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], {
    fields: [
      'product_id',
      'name',
      'price_unit',
      'discount',
      taxField,
      'is_delivery',
      'display_type',
      'qty_invoiced',
      'product_uom_qty',
      'price_subtotal',
      'price_total',
    ],
    order: 'id asc',
  });
  const schema = z.looseObject({
    id: z.number().int(),
    ...Kind,
    product_id: Many2one,
    name: OptionalText,
    price_unit: z.number(),
    discount: z.number(),
    [taxField]: Ids,
    qty_invoiced: z.number(),
    product_uom_qty: z.number(),
    price_subtotal: z.number(),
    price_total: z.number(),
  });
  return parseRows(schema, rows, OPERATION).map((r) => ({
    id: r.id as number,
    productId: many2oneId(r.product_id),
    name: (r.name as string | false) || '',
    priceUnit: r.price_unit as number,
    discount: r.discount as number,
    taxIds: r[taxField] as number[],
    isDelivery: r.is_delivery as boolean,
    isDisplay: Boolean(r.display_type),
    quantity: r.product_uom_qty as number,
    qtyInvoiced: r.qty_invoiced as number,
    subtotal: r.price_subtotal as number,
    total: r.price_total as number,
  }));
}

const InvoicedSchema = z.looseObject({ id: z.number().int(), ...Kind, product_id: Many2one, qty_invoiced: z.number() });

/** The product lines with their invoiced quantities (credit notes taken off). */
export async function invoicedQuantitiesOf(odoo: OdooClient, orderId: number): Promise<Array<{ id: number; productId: number | null; qtyInvoiced: number }>> {
  const rows = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], {
    fields: ['product_id', 'qty_invoiced', 'is_delivery', 'display_type'],
  });
  return parseRows(InvoicedSchema, rows, OPERATION)
    .filter(isProductLine)
    .map((r) => ({ id: r.id, productId: many2oneId(r.product_id), qtyInvoiced: r.qty_invoiced }));
}

const ToInvoiceSchema = z.looseObject({ id: z.number().int(), ...Kind, qty_to_invoice: z.number() });

/** Whether some product line (not the shipping alone) has something to invoice now. */
export async function hasGoodsToInvoice(odoo: OdooClient, orderId: number): Promise<boolean> {
  const rows = await odoo.searchRead('sale.order.line', [['order_id', '=', orderId]], { fields: ['qty_to_invoice', 'is_delivery', 'display_type'] });
  return parseRows(ToInvoiceSchema, rows, OPERATION).some((r) => isProductLine(r) && r.qty_to_invoice > 0);
}

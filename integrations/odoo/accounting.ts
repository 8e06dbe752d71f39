import { z } from 'zod';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { parseRows } from './parse-answer';
import { Many2one, OptionalText } from './schemas';

/**
 * Credit notes and journals (account.move, account.journal) as the order steps use them: the
 * credit notes reversing an order's invoices, the head of an invoice a credit note copies, a
 * credit note made with explicit lines, its rounding line, and payment journals by name.
 */

const IdRow = z.looseObject({ id: z.number().int() });
const CreditNoteRow = z.looseObject({ id: z.number().int(), name: OptionalText, state: z.enum(['draft', 'posted', 'cancel']) });

/** Ids of the credit notes (any state) reversing one of these invoices. */
export async function creditNotesReversing(odoo: OdooClient, invoiceIds: number[]): Promise<number[]> {
  const rows = await odoo.searchRead(
    'account.move',
    [
      ['reversed_entry_id', 'in', invoiceIds],
      ['move_type', '=', 'out_refund'],
    ],
    { fields: ['id'] },
  );
  return parseRows(IdRow, rows, 'account.move.search_read').map((r) => r.id);
}

/** The credit notes reversing this invoice that are not cancelled, oldest first. */
export async function openCreditNotesOf(
  odoo: OdooClient,
  invoiceId: number,
): Promise<Array<{ id: number; name: string | false; state: 'draft' | 'posted' | 'cancel' }>> {
  const rows = await odoo.searchRead(
    'account.move',
    [
      ['reversed_entry_id', '=', invoiceId],
      ['move_type', '=', 'out_refund'],
      ['state', '!=', 'cancel'],
    ],
    {
      fields: ['name', 'state'],
      order: 'id asc',
    },
  );
  return parseRows(CreditNoteRow, rows, 'account.move.search_read').map((r) => ({ id: r.id, name: r.name, state: r.state }));
}

/** What a credit note takes over from the invoice it reverses. */
export interface InvoiceHead {
  invoiceId: number;
  partnerId: number | null;
  shippingPartnerId: number | null;
  journalId: number | null;
  origin: string | false;
  fiscalPositionId: number | null;
}

const HeadRow = z.looseObject({
  id: z.number().int(),
  partner_id: Many2one,
  partner_shipping_id: Many2one.optional(),
  journal_id: Many2one,
  invoice_origin: OptionalText,
  fiscal_position_id: Many2one,
});

/** The invoice's partner, delivery address, journal, origin and fiscal position; null when it is gone. */
export async function invoiceHead(odoo: OdooClient, invoiceId: number): Promise<InvoiceHead | null> {
  const rows = await odoo.searchRead('account.move', [['id', '=', invoiceId]], {
    fields: ['partner_id', 'partner_shipping_id', 'journal_id', 'invoice_origin', 'fiscal_position_id'],
  });
  const [row] = parseRows(HeadRow, rows, 'account.move.search_read');
  if (!row) return null;
  return {
    invoiceId,
    partnerId: many2oneId(row.partner_id),
    shippingPartnerId: many2oneId(row.partner_shipping_id),
    journalId: many2oneId(row.journal_id),
    origin: row.invoice_origin,
    fiscalPositionId: many2oneId(row.fiscal_position_id),
  };
}

/** One line of a credit note made with explicit lines. */
export interface CreditNoteLine {
  /** undefined: a line without product (an adjustment, booked on the journal's income account) */
  productId?: number | null;
  name: string;
  quantity: number;
  priceUnit: number;
  discount?: number;
  taxIds: number[];
  /** the sale line it refunds, as Odoo's own reversal links it (lowers its invoiced quantity) */
  saleLineId?: number;
}

/**
 * A draft credit note (out_refund) reversing `head`'s invoice with exactly these lines, in the
 * invoice's journal, for its partner, delivery address and fiscal position (with a foreign VAT
 * the position is what lets Odoo post that country's taxes). `ref` is how it is found again.
 */
export async function createCreditNoteWithLines(
  odoo: OdooClient,
  head: InvoiceHead | null,
  invoiceId: number,
  ref: string,
  lines: CreditNoteLine[],
): Promise<number> {
  const vals: Record<string, unknown> = {
    move_type: 'out_refund',
    partner_id: head?.partnerId ?? null,
    reversed_entry_id: invoiceId,
    journal_id: head?.journalId ?? null,
    invoice_origin: head?.origin || false,
    ref,
    invoice_line_ids: lines.map((line) => [0, 0, creditNoteLineVals(line)]),
  };
  if (head && head.shippingPartnerId !== null) vals.partner_shipping_id = head.shippingPartnerId;
  if (head && head.fiscalPositionId !== null) vals.fiscal_position_id = head.fiscalPositionId;
  const [id] = await odoo.create('account.move', [vals]);
  return id as number;
}

function creditNoteLineVals(line: CreditNoteLine): Record<string, unknown> {
  const vals: Record<string, unknown> = {};
  if (line.productId !== undefined) vals.product_id = line.productId;
  vals.name = line.name;
  vals.quantity = line.quantity;
  vals.price_unit = line.priceUnit;
  if (line.discount !== undefined) vals.discount = line.discount;
  vals.tax_ids = [[6, 0, line.taxIds]];
  if (line.saleLineId !== undefined) vals.sale_line_ids = [[6, 0, [line.saleLineId]]];
  return vals;
}

/** An untaxed "Rounding difference" line of `amount` on a draft move (orders.roundingSku). */
export async function addRoundingLineToMove(odoo: OdooClient, moveId: number, productId: number, amount: number): Promise<void> {
  await odoo.write('account.move', [moveId], {
    invoice_line_ids: [[0, 0, { product_id: productId, name: 'Rounding difference', quantity: 1, price_unit: amount, tax_ids: [[6, 0, []]] }]],
  });
}

/**
 * Ids of the bank and cash journals named exactly `name` (at most two: one is an answer, two are
 * ambiguous); with a company, only that company's (each company keeps journals of its own).
 */
export async function paymentJournalsNamed(odoo: OdooClient, name: string, companyId?: number): Promise<number[]> {
  const domain: unknown[] = [
    ['name', '=', name],
    ['type', 'in', ['bank', 'cash']],
  ];
  if (companyId !== undefined) domain.push(['company_id', '=', companyId]);
  const rows = await odoo.searchRead('account.journal', domain, { fields: ['name'], limit: 2 });
  return parseRows(IdRow, rows, 'account.journal.search_read').map((r) => r.id);
}

import { z } from 'zod';
import type { OdooClient } from './client';
import { many2oneId } from './many2one';
import { parseRows } from './parse-answer';
import { Many2one } from './schemas';

/** A percent-rate sale tax (account.tax) with the country it belongs to. */
export interface PercentSaleTax {
  id: number;
  name: string;
  amount: number;
  priceInclude: boolean;
  countryId: number | null;
}

const TaxRow = z.looseObject({ id: z.number().int(), name: z.string(), amount: z.number(), price_include: z.boolean().optional(), country_id: Many2one });

/** Every sale tax with a percent rate, with its country, oldest first (what the reference sync maps Magento rates to). */
export async function percentSaleTaxes(odoo: OdooClient): Promise<PercentSaleTax[]> {
  const rows = await odoo.searchRead(
    'account.tax',
    [
      ['type_tax_use', '=', 'sale'],
      ['amount_type', '=', 'percent'],
    ],
    {
      fields: ['name', 'amount', 'price_include', 'country_id'],
      order: 'id asc',
    },
  );
  return parseRows(TaxRow, rows, 'account.tax.search_read').map((t) => ({
    id: t.id,
    name: t.name,
    amount: t.amount,
    priceInclude: t.price_include === true,
    countryId: many2oneId(t.country_id),
  }));
}

/** A tax-exclusive percent sale tax of a country, in the tax group given. */
export async function createPercentSaleTax(
  odoo: OdooClient,
  tax: { name: string; percent: number; countryId: number; groupId: number; invoiceLabel: string },
): Promise<number> {
  const [id] = (await odoo.create('account.tax', [
    {
      name: tax.name,
      amount: tax.percent,
      amount_type: 'percent',
      type_tax_use: 'sale',
      country_id: tax.countryId,
      tax_group_id: tax.groupId,
      invoice_label: tax.invoiceLabel,
    },
  ])) as [number];
  return id;
}

import { z } from 'zod';
import type { OdooClient } from './client';
import { parseRows } from './parse-answer';
import { OptionalText } from './schemas';

const PricelistRow = z.looseObject({ id: z.number().int(), name: OptionalText });

/** Every active pricelist with its name ('' when it has none), oldest first. */
export async function allPricelists(odoo: OdooClient): Promise<Array<{ id: number; name: string }>> {
  const rows = await odoo.searchRead('product.pricelist', [], { fields: ['name'], order: 'id asc' });
  return parseRows(PricelistRow, rows, 'product.pricelist.search_read').map((p) => ({ id: p.id, name: p.name || '' }));
}

import type { Domain, OdooRecord } from './client';

/**
 * Keyset pages over records changed since a moment, by (write_date second, id), as the catalog
 * and contacts streams read Odoo.
 *
 * Odoo stores write_date with microseconds but reads it to the second, and the versions compare
 * differently: 19 compares a domain's datetime to the second, 18 compares the stored value, so
 * on 18 `write_date > '12:00:05'` matches a record written at 12:00:05.6 and `= '12:00:05'`
 * matches nothing (seen on real Odoo 18 and 19). A keyset of `write_date > w OR (write_date = w
 * AND id > n)` therefore read the same page forever on 18. And both order by the stored value, so
 * within one second the order is by microsecond, not by id. So every comparison here is a
 * half-open range of whole seconds (the same on both versions), and the records of one second
 * are always read in id order, in a query of their own.
 */
export interface WriteDatePosition {
  /** every record of an earlier second is read, and of this second ("YYYY-MM-DD HH:MM:SS") those with id <= `id` */
  second: string;
  id: number;
}

export type SearchPage = (domain: Domain, order: 'id asc' | 'write_date asc, id asc', limit: number) => Promise<OdooRecord[]>;

/** `<second>|<id>` as cursors and watermarks carry it; a bare second means that whole second is still to read */
export function positionOf(text: string): WriteDatePosition {
  const bar = text.lastIndexOf('|');
  return bar < 0 ? { second: text, id: 0 } : { second: text.slice(0, bar), id: Number(text.slice(bar + 1)) };
}

export function positionText(position: WriteDatePosition): string {
  return `${position.second}|${position.id}`;
}

export function nextSecond(second: string): string {
  const at = Date.parse(`${second.replace(' ', 'T')}Z`);
  if (!Number.isFinite(at)) throw new Error(`not an Odoo datetime: "${second}"`);
  return new Date(at + 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const secondOf = (record: OdooRecord): string => String(record.write_date ?? '').slice(0, 19);
const within = (second: string): Domain => [
  ['write_date', '>=', second],
  ['write_date', '<', nextSecond(second)],
];

/**
 * The records of `base` after `after` (null: from the first), at most `limit`, in (second, id)
 * order, and where the next page starts (null when nothing is left). A page may hold fewer than
 * `limit` records and still have a next one: it stops before a second it could not finish in id
 * order. The records must carry write_date.
 */
export async function pageByWriteDate(
  search: SearchPage,
  base: Domain,
  after: WriteDatePosition | null,
  limit: number,
): Promise<{ rows: OdooRecord[]; next: WriteDatePosition | null }> {
  const rows: OdooRecord[] = [];
  if (after) {
    rows.push(...(await search([...base, ...within(after.second), ['id', '>', after.id]], 'id asc', limit)));
    if (rows.length === limit) return { rows, next: { second: after.second, id: rows.at(-1)!.id } };
  }
  const room = limit - rows.length;
  const later = await search([...base, ...(after ? [['write_date', '>=', nextSecond(after.second)]] : [])], 'write_date asc, id asc', room);
  if (later.length < room) return { rows: [...rows, ...later], next: null };
  // The last second of `later` may go on past the page, in microsecond order: keep the seconds
  // before it, and read that one by id on the next page.
  const lastSecond = secondOf(later.at(-1)!);
  const before = later.filter((r) => secondOf(r) < lastSecond);
  if (before.length > 0) return { rows: [...rows, ...before], next: { second: lastSecond, id: 0 } };
  const first = await search([...base, ...within(lastSecond)], 'id asc', room);
  rows.push(...first);
  return { rows, next: first.length > 0 ? { second: lastSecond, id: first.at(-1)!.id } : { second: lastSecond, id: 0 } };
}

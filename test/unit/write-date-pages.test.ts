// Keyset pages by (write_date second, id) (integrations/odoo/write-date-pages.ts) against an
// in-memory ORM that stores write_date with microseconds and reads it to the second, comparing
// domains the way each version does (seen on real Odoo: 18 compares the stored value, 19 the
// second). Every record must be read exactly once, on any page size, and the walk must end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Domain, OdooRecord } from '../../integrations/odoo';
import { nextSecond, pageByWriteDate, positionOf, type SearchPage, type WriteDatePosition } from '../../integrations/odoo/write-date-pages';

interface Stored {
  id: number;
  at: string;
} // "YYYY-MM-DD HH:MM:SS.ffffff"

function orm(records: Stored[], version: 18 | 19): { search: SearchPage; calls: () => number } {
  let calls = 0;
  const value = (r: Stored) => (version === 18 ? r.at : r.at.slice(0, 19));
  const matches = (r: Stored, [field, op, v]: [string, string, string | number]) => {
    const left = field === 'id' ? r.id : value(r);
    return op === '>' ? left > v : op === '>=' ? left >= v : op === '<' ? left < v : op === '=' ? left === v : false;
  };
  const search: SearchPage = async (domain: Domain, order, limit) => {
    calls++;
    assert.ok(
      domain.every((leaf) => Array.isArray(leaf)),
      'leaves only: the pages never need | or &',
    );
    const hits = records.filter((r) => (domain as Array<[string, string, string | number]>).every((leaf) => matches(r, leaf)));
    hits.sort(order === 'id asc' ? (a, b) => a.id - b.id : (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id));
    return hits.slice(0, limit).map((r): OdooRecord => ({ id: r.id, write_date: r.at.slice(0, 19) }));
  };
  return { search, calls: () => calls };
}

async function walk(search: SearchPage, limit: number, from: WriteDatePosition | null = null): Promise<number[]> {
  const seen: number[] = [];
  let after = from;
  for (let page = 0; page < 1000; page++) {
    const { rows, next } = await pageByWriteDate(search, [], after, limit);
    assert.ok(rows.length <= limit);
    seen.push(...rows.map((r) => r.id));
    if (!next) return seen;
    after = next;
  }
  assert.fail('the pages never ended');
}

// Three transactions in one second with ids out of time order, a bulk import of 7 in one
// transaction (same microseconds), and records in the seconds around them.
const RECORDS: Stored[] = [
  { id: 1, at: '2026-12-05 10:00:04.100000' },
  { id: 9, at: '2026-12-05 10:00:05.100000' },
  { id: 4, at: '2026-12-05 10:00:05.600000' },
  { id: 12, at: '2026-12-05 10:00:05.900000' },
  ...[20, 21, 22, 23, 24, 25, 26].map((id) => ({ id, at: '2026-12-05 10:00:06.250000' })),
  { id: 2, at: '2026-12-05 10:00:07.000001' },
];
const ALL = RECORDS.map((r) => r.id).sort((a, b) => a - b);

describe('pages by write_date second and id', () => {
  for (const version of [18, 19] as const) {
    test(`Odoo ${version}: every record once, whatever the page size, and the walk ends`, async () => {
      for (const limit of [1, 2, 3, 4, 5, 8, 100]) {
        const { search } = orm(RECORDS, version);
        const seen = await walk(search, limit);
        assert.deepEqual(
          [...seen].sort((a, b) => a - b),
          ALL,
          `page size ${limit}`,
        );
      }
    });

    test(`Odoo ${version}: from a watermark: a bare second reads that whole second, "<second>|<id>" what follows that id in it`, async () => {
      const { search } = orm(RECORDS, version);
      assert.deepEqual(
        (await walk(search, 2, positionOf('2026-12-05 10:00:05'))).sort((a, b) => a - b),
        [2, 4, 9, 12, 20, 21, 22, 23, 24, 25, 26],
      );
      assert.deepEqual(
        (await walk(search, 2, positionOf('2026-12-05 10:00:05|9'))).sort((a, b) => a - b),
        [2, 12, 20, 21, 22, 23, 24, 25, 26],
      );
      assert.deepEqual(await walk(search, 3, positionOf('2026-12-05 10:00:07|2')), []);
    });
  }

  test('the keyset it replaces, `write_date > w OR (write_date = w AND id > n)`, never ends on Odoo 18', async () => {
    const { search } = orm(RECORDS, 18);
    let cursor: { w: string; id: number } | null = null;
    let pages = 0;
    for (; pages < 50; pages++) {
      // the old domain, rewritten as the union of its two halves (the fake ORM takes leaves only)
      const old = async (): Promise<OdooRecord[]> => {
        if (!cursor) return search([], 'write_date asc, id asc', 1);
        const later = await search([['write_date', '>', cursor.w]], 'write_date asc, id asc', 1);
        const same = await search(
          [
            ['write_date', '=', cursor.w],
            ['id', '>', cursor.id],
          ],
          'write_date asc, id asc',
          1,
        );
        return [...same, ...later].slice(0, 1);
      };
      const [row] = await old();
      if (!row) break;
      cursor = { w: String(row.write_date), id: row.id };
    }
    assert.equal(pages, 50, 'still paging after 50 pages of 11 records');
  });

  test('seconds roll over minutes, days and years', () => {
    assert.equal(nextSecond('2026-12-31 23:59:59'), '2027-01-01 00:00:00');
    assert.throws(() => nextSecond('yesterday'), /not an Odoo datetime/);
  });
});

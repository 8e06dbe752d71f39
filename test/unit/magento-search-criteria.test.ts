import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchCriteria, encodeSearchCriteria, toQueryString } from '../../integrations/magento/search-criteria';
import { collectAll, paginate } from '../../integrations/magento/pager';
import { applySearch, parsePhpQuery, parseSearchCriteria } from '../../sandbox/magento/search';

describe('searchCriteria encoding', () => {
  test('filter groups are AND-ed, filters in a group OR-ed, with sort and paging', () => {
    const criteria = SearchCriteria.empty()
      .where('updated_at', 'gt', '2024-05-01 00:00:00')
      .whereAny([['status', 'eq', 'processing'], ['status', 'eq', 'complete']])
      .orderBy('updated_at', 'ASC')
      .withPageSize(100)
      .withPage(2);
    assert.deepEqual(encodeSearchCriteria(criteria), [
      ['searchCriteria[filter_groups][0][filters][0][field]', 'updated_at'],
      ['searchCriteria[filter_groups][0][filters][0][value]', '2024-05-01 00:00:00'],
      ['searchCriteria[filter_groups][0][filters][0][condition_type]', 'gt'],
      ['searchCriteria[filter_groups][1][filters][0][field]', 'status'],
      ['searchCriteria[filter_groups][1][filters][0][value]', 'processing'],
      ['searchCriteria[filter_groups][1][filters][0][condition_type]', 'eq'],
      ['searchCriteria[filter_groups][1][filters][1][field]', 'status'],
      ['searchCriteria[filter_groups][1][filters][1][value]', 'complete'],
      ['searchCriteria[filter_groups][1][filters][1][condition_type]', 'eq'],
      ['searchCriteria[sortOrders][0][field]', 'updated_at'],
      ['searchCriteria[sortOrders][0][direction]', 'ASC'],
      ['searchCriteria[pageSize]', '100'],
      ['searchCriteria[currentPage]', '2'],
    ]);
  });

  test('an empty criteria still sends searchCriteria (GET /V1/orders answers 400 without it)', () => {
    assert.deepEqual(encodeSearchCriteria(SearchCriteria.empty()), [['searchCriteria', '']]);
  });

  test('lists are comma-joined for in/nin, booleans are 1/0', () => {
    const pairs = SearchCriteria.empty().where('status', 'in', ['processing', 'complete']).where('is_active', 'eq', true).toQueryPairs();
    assert.equal(pairs[1]![1], 'processing,complete');
    assert.equal(pairs[4]![1], '1');
  });

  test('the builder is immutable', () => {
    const base = SearchCriteria.empty().where('sku', 'like', 'TEE-%');
    const paged = base.withPageSize(10);
    assert.equal(base.pageSize, undefined);
    assert.equal(paged.pageSize, 10);
    assert.equal(paged.filterGroups.length, 1);
  });

  test('invalid sort fields and page sizes are refused before a request is made', () => {
    assert.throws(() => SearchCriteria.empty().orderBy('created_at; DROP', 'ASC'), /only contain/);
    assert.throws(() => SearchCriteria.empty().withPageSize(0), /positive integer/);
  });

  test('query string: RFC 3986 encoding, brackets and spaces escaped, never "+"', () => {
    const qs = toQueryString([['searchCriteria[filter_groups][0][filters][0][value]', '2024-05-01 00:00:00+02 a&b']]);
    assert.equal(qs, 'searchCriteria%5Bfilter_groups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=2024-05-01%2000%3A00%3A00%2B02%20a%26b');
  });

  test('what the client encodes is what the sandbox (PHP $_GET rules) reads back', () => {
    const criteria = SearchCriteria.empty()
      .whereAny([['sku', 'like', 'TEE-%'], ['sku', 'eq', 'GEAR/0010']])
      .where('price', 'gteq', 10)
      .orderBy('price', 'DESC')
      .withPageSize(5)
      .withPage(1);
    const parsed = parseSearchCriteria(parsePhpQuery(new URLSearchParams(toQueryString(criteria.toQueryPairs()))), true);
    assert.deepEqual(parsed.filterGroups, [
      [{ field: 'sku', value: 'TEE-%', condition_type: 'like' }, { field: 'sku', value: 'GEAR/0010', condition_type: 'eq' }],
      [{ field: 'price', value: '10', condition_type: 'gteq' }],
    ]);
    assert.deepEqual(parsed.sortOrders, [{ field: 'price', direction: 'DESC' }]);
    assert.equal(parsed.pageSize, 5);
    assert.equal(parsed.currentPage, 1);
  });
});

describe('sandbox search semantics', () => {
  const rows = [
    { id: 1, status: 'pending', total: 10 },
    { id: 2, status: 'processing', total: 30 },
    { id: 3, status: 'complete', total: 50 },
    { id: 4, status: 'processing', total: 70 },
  ];
  const run = (c: SearchCriteria) => applySearch(rows, parseSearchCriteria(parsePhpQuery(new URLSearchParams(toQueryString(c.toQueryPairs()))), true));

  test('OR inside a group, AND across groups', () => {
    const result = run(SearchCriteria.empty().whereAny([['status', 'eq', 'processing'], ['status', 'eq', 'complete']]).where('total', 'gt', 40));
    assert.deepEqual(result.items.map((r) => r.id), [3, 4]);
  });

  test('no pageSize returns every row; a page past the end is empty with the same total_count', () => {
    assert.equal(run(SearchCriteria.empty()).items.length, 4);
    const past = run(SearchCriteria.empty().withPageSize(3).withPage(3));
    assert.deepEqual(past.items, []);
    assert.equal(past.total_count, 4);
  });

  test('a missing searchCriteria is Magento\'s 400', () => {
    assert.throws(() => parseSearchCriteria({}, true), (err: unknown) => (err as { status: number }).status === 400);
  });
});

describe('pager', () => {
  const total = 7;
  const fetchPage = (seen: Array<number | undefined>) => async (c: SearchCriteria) => {
    seen.push(c.pageSize);
    const page = c.currentPage ?? 1;
    const size = c.pageSize ?? total;
    const items = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * size, page * size);
    return { items, search_criteria: {}, total_count: total };
  };

  test('always sets pageSize and stops on total_count without asking for a page past the end', async () => {
    const seen: Array<number | undefined> = [];
    const pages = [];
    for await (const page of paginate(fetchPage(seen), SearchCriteria.empty(), 3)) pages.push(page);
    assert.deepEqual(pages.map((p) => p.items), [[1, 2, 3], [4, 5, 6], [7]]);
    assert.deepEqual(pages.map((p) => p.last), [false, false, true]);
    assert.deepEqual(seen, [3, 3, 3]);
  });

  test('an exact multiple of the page size needs no extra request', async () => {
    const seen: Array<number | undefined> = [];
    const all = await collectAll(async (c) => ({ ...(await fetchPage(seen)(c)), total_count: 6, items: (await fetchPage([])(c)).items.filter((n) => n <= 6) }), SearchCriteria.empty(), 3);
    assert.deepEqual(all, [1, 2, 3, 4, 5, 6]);
    assert.equal(seen.length, 2);
  });

  test('a store whose total_count lies (grows) still ends on the first empty page', async () => {
    let calls = 0;
    const all = await collectAll(async (c) => {
      calls++;
      const page = c.currentPage ?? 1;
      return { items: page <= 2 ? [page] : [], search_criteria: {}, total_count: 1000 };
    }, SearchCriteria.empty(), 1);
    assert.deepEqual(all, [1, 2]);
    assert.equal(calls, 3);
  });

  test('resumes from criteria.currentPage (a heartbeated cursor)', async () => {
    const pages = [];
    for await (const page of paginate(fetchPage([]), SearchCriteria.empty().withPage(2), 3)) pages.push(page.page);
    assert.deepEqual(pages, [2, 3]);
  });
});

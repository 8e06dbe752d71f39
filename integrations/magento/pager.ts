import type { SearchResult } from './schemas/primitives';
import type { SearchCriteria } from './search-criteria';

export interface Page<T> {
  items: T[];
  /** 1-based, as Magento counts */
  page: number;
  pageSize: number;
  totalCount: number;
  /** no page follows this one */
  last: boolean;
}

export const DEFAULT_PAGE_SIZE = 100;

/**
 * Walks a search page by page. pageSize is always set: without it Magento returns every matching
 * row in one answer. The end is decided by total_count, because a page past the end comes back
 * with empty items and the same total_count (2.4.x), not with the last page again. Starts at
 * criteria.currentPage when given, so an activity can resume from a heartbeated cursor.
 */
export async function* paginate<T>(
  fetchPage: (criteria: SearchCriteria) => Promise<SearchResult<T>>,
  criteria: SearchCriteria,
  pageSize: number = criteria.pageSize ?? DEFAULT_PAGE_SIZE,
): AsyncGenerator<Page<T>, void, undefined> {
  let page = criteria.currentPage ?? 1;
  for (;;) {
    const result = await fetchPage(criteria.withPageSize(pageSize).withPage(page));
    const totalCount = result.total_count;
    const last = result.items.length === 0 || page * pageSize >= totalCount;
    if (result.items.length > 0 || page === (criteria.currentPage ?? 1)) {
      yield { items: result.items, page, pageSize, totalCount, last };
    }
    if (last) return;
    page += 1;
  }
}

/** Every row of a search, fetched page by page. For bounded result sets only. */
export async function collectAll<T>(
  fetchPage: (criteria: SearchCriteria) => Promise<SearchResult<T>>,
  criteria: SearchCriteria,
  pageSize?: number,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of paginate(fetchPage, criteria, pageSize)) all.push(...page.items);
  return all;
}

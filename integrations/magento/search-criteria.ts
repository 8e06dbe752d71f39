import { percentEncode } from './oauth1';

/**
 * Magento's searchCriteria as an immutable value. Filters inside one group are OR-ed, groups are
 * AND-ed (FilterProcessor::addFilterGroupToCollection). `where` adds a one-filter group (AND),
 * `whereAny` adds one group of alternatives (OR).
 */

/** Conditions of the 2.4.7 MySQL adapter (Pdo\Mysql::prepareSqlCondition) plus `fulltext`. */
export const CONDITION_TYPES = [
  'eq', 'neq', 'like', 'nlike', 'in', 'nin', 'is', 'notnull', 'null', 'gt', 'lt', 'gteq', 'lteq',
  'finset', 'nfinset', 'regexp', 'from', 'to', 'seq', 'sneq', 'ntoa', 'fulltext',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export type FilterValue = string | number | boolean | ReadonlyArray<string | number>;

export interface Filter {
  readonly field: string;
  readonly value: string;
  readonly conditionType: ConditionType;
}

export interface SortOrder {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
}

export interface SearchCriteriaData {
  readonly filterGroups: ReadonlyArray<ReadonlyArray<Filter>>;
  readonly sortOrders: ReadonlyArray<SortOrder>;
  readonly pageSize?: number;
  readonly currentPage?: number;
}

// Magento's Filter::value is a string: lists are comma-joined (the adapter explode()s them for in/nin),
// booleans are 1/0 as stored in the database.
function filterValue(value: FilterValue): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

const SORT_FIELD = /^[A-Za-z0-9_]+$/;

export class SearchCriteria implements SearchCriteriaData {
  private constructor(
    readonly filterGroups: ReadonlyArray<ReadonlyArray<Filter>>,
    readonly sortOrders: ReadonlyArray<SortOrder>,
    readonly pageSize?: number,
    readonly currentPage?: number,
  ) {}

  static empty(): SearchCriteria {
    return new SearchCriteria([], []);
  }

  static from(data: Partial<SearchCriteriaData>): SearchCriteria {
    return new SearchCriteria(data.filterGroups ?? [], data.sortOrders ?? [], data.pageSize, data.currentPage);
  }

  where(field: string, condition: ConditionType, value: FilterValue = ''): SearchCriteria {
    return this.whereAny([[field, condition, value]]);
  }

  whereAny(alternatives: ReadonlyArray<readonly [string, ConditionType, FilterValue?]>): SearchCriteria {
    if (alternatives.length === 0) throw new Error('whereAny needs at least one filter');
    const group = alternatives.map(([field, conditionType, value]) => ({ field, conditionType, value: filterValue(value ?? '') }));
    return new SearchCriteria([...this.filterGroups, group], this.sortOrders, this.pageSize, this.currentPage);
  }

  orderBy(field: string, direction: 'ASC' | 'DESC' = 'ASC'): SearchCriteria {
    // Magento answers 400 "Sort order field %1 contains restricted symbols"; failing here names the caller.
    if (!SORT_FIELD.test(field)) throw new Error(`sort field "${field}" may only contain letters, digits and "_"`);
    return new SearchCriteria(this.filterGroups, [...this.sortOrders, { field, direction }], this.pageSize, this.currentPage);
  }

  withPageSize(pageSize: number): SearchCriteria {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
    return new SearchCriteria(this.filterGroups, this.sortOrders, pageSize, this.currentPage);
  }

  withPage(currentPage: number): SearchCriteria {
    if (!Number.isInteger(currentPage) || currentPage < 1) throw new Error(`currentPage must be a positive integer, got ${currentPage}`);
    return new SearchCriteria(this.filterGroups, this.sortOrders, this.pageSize, currentPage);
  }

  toQueryPairs(): Array<[string, string]> {
    return encodeSearchCriteria(this);
  }
}

export function searchCriteria(): SearchCriteria {
  return SearchCriteria.empty();
}

/**
 * The PHP nested-array query syntax Magento reads. With nothing to say it still sends
 * `searchCriteria=`: routes such as GET /V1/orders answer 400 when the parameter is absent.
 */
export function encodeSearchCriteria(criteria: SearchCriteriaData): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  criteria.filterGroups.forEach((group, g) => {
    group.forEach((filter, f) => {
      const prefix = `searchCriteria[filter_groups][${g}][filters][${f}]`;
      pairs.push([`${prefix}[field]`, filter.field], [`${prefix}[value]`, filter.value], [`${prefix}[condition_type]`, filter.conditionType]);
    });
  });
  criteria.sortOrders.forEach((sort, i) => {
    pairs.push([`searchCriteria[sortOrders][${i}][field]`, sort.field], [`searchCriteria[sortOrders][${i}][direction]`, sort.direction]);
  });
  if (criteria.pageSize !== undefined) pairs.push(['searchCriteria[pageSize]', String(criteria.pageSize)]);
  if (criteria.currentPage !== undefined) pairs.push(['searchCriteria[currentPage]', String(criteria.currentPage)]);
  if (pairs.length === 0) pairs.push(['searchCriteria', '']);
  return pairs;
}

/**
 * RFC 3986 encoding for the query string too (brackets as %5B/%5D, space as %20, never "+"), so
 * the bytes on the wire decode to exactly the values the OAuth signature was computed over.
 */
export function toQueryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

/** Magento's datetime format for created_at/updated_at filters, in UTC: "2026-11-23 10:05:00" */
export function magentoTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

import { badRequest, requiredField } from './magento-error';
import type { Json } from './state';

/**
 * searchCriteria as Magento reads it: PHP's nested $_GET arrays, both snake_case and camelCase
 * keys, filters OR-ed inside a group and groups AND-ed, no LIMIT without pageSize, and a page past
 * the end that is empty while total_count stays the same (2.4.x).
 */

/** `a[b][0][c]=v` → { a: { b: { 0: { c: 'v' } } } }, the way PHP builds $_GET */
export function parsePhpQuery(params: URLSearchParams): Json {
  const root: Json = {};
  for (const [rawKey, value] of params) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!m) {
      root[rawKey] = value;
      continue;
    }
    const keys = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
    let node = root;
    keys.forEach((key, i) => {
      const k = key === '' ? String(Object.keys(node).length) : key;
      if (i === keys.length - 1) {
        node[k] = value;
      } else {
        if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
        node = node[k] as Json;
      }
    });
  }
  return root;
}

const pickKey = (obj: Json, ...names: string[]): unknown => {
  for (const n of names) if (obj[n] !== undefined) return obj[n];
  return undefined;
};

/** values of a PHP "list" (object keyed 0,1,2…) in key order */
function listOf(value: unknown): Json[] {
  if (Array.isArray(value)) return value as Json[];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Json)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => v as Json)
    .filter((v) => v && typeof v === 'object');
}

export interface ParsedFilter {
  field: string;
  value: string;
  condition_type: string;
}

export interface ParsedCriteria {
  filterGroups: ParsedFilter[][];
  sortOrders: Array<{ field: string; direction: 'ASC' | 'DESC' }>;
  pageSize?: number;
  currentPage?: number;
}

export function parseSearchCriteria(query: Json, required: boolean): ParsedCriteria {
  const raw = query.searchCriteria;
  if (raw === undefined) {
    if (required) throw requiredField('searchCriteria');
    return { filterGroups: [], sortOrders: [] };
  }
  const sc: Json = raw && typeof raw === 'object' ? (raw as Json) : {};
  const filterGroups = listOf(pickKey(sc, 'filter_groups', 'filterGroups')).map((group) =>
    listOf(group.filters).map((f) => ({
      field: String(f.field ?? ''),
      value: String(f.value ?? ''),
      condition_type: String(pickKey(f, 'condition_type', 'conditionType') ?? 'eq'),
    })),
  );
  const sortOrders = listOf(pickKey(sc, 'sort_orders', 'sortOrders')).map((s) => {
    const field = String(s.field ?? '');
    const direction = String(s.direction ?? 'ASC').toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') {
      throw badRequest('The sort order has to be specified as %1 for ascending order or %2 for descending order.', ['ASC', 'DESC']);
    }
    if (!/^[A-Za-z0-9_]+$/.test(field)) throw badRequest('Sort order field %1 contains restricted symbols', [field]);
    return { field, direction: direction as 'ASC' | 'DESC' };
  });
  const pageSize = pickKey(sc, 'page_size', 'pageSize');
  const currentPage = pickKey(sc, 'current_page', 'currentPage');
  return {
    filterGroups,
    sortOrders,
    ...(pageSize !== undefined && pageSize !== '' ? { pageSize: Number(pageSize) } : {}),
    ...(currentPage !== undefined && currentPage !== '' ? { currentPage: Number(currentPage) } : {}),
  };
}

function fieldValue(row: Json, field: string): unknown {
  if (field in row) return row[field];
  // Entities rendered with `id` (customers) are filtered and sorted by their table column,
  // entity_id, on a real store: the customer collection has no `id` column.
  if (field === 'entity_id' && 'id' in row) return row.id;
  const custom = (row.custom_attributes as Json[] | undefined)?.find((a) => a.attribute_code === field);
  return custom?.value;
}

function compare(a: unknown, b: string): number {
  const an = Number(a);
  const bn = Number(b);
  if (a !== '' && b !== '' && typeof a !== 'boolean' && !Number.isNaN(an) && !Number.isNaN(bn)) return an - bn;
  return String(a).localeCompare(b);
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

function asString(v: unknown): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return v === null || v === undefined ? '' : String(v);
}

function matches(row: Json, f: ParsedFilter): boolean {
  const actual = fieldValue(row, f.field);
  const values = Array.isArray(actual) ? actual.map(asString) : [asString(actual)];
  const isNull = actual === null || actual === undefined;
  const one = (pred: (v: string) => boolean) => values.some(pred);
  switch (f.condition_type) {
    case 'eq': case 'seq': return one((v) => compare(v, f.value) === 0);
    case 'neq': case 'sneq': return !isNull && !one((v) => compare(v, f.value) === 0);
    case 'like': return one((v) => likeToRegExp(f.value).test(v));
    case 'nlike': return !isNull && !one((v) => likeToRegExp(f.value).test(v));
    case 'fulltext': return one((v) => v.toLowerCase().includes(f.value.toLowerCase()));
    case 'in': { const set = f.value.split(',').map((s) => s.trim()); return one((v) => set.some((s) => compare(v, s) === 0)); }
    case 'nin': { const set = f.value.split(',').map((s) => s.trim()); return !isNull && !one((v) => set.some((s) => compare(v, s) === 0)); }
    case 'gt': return !isNull && one((v) => compare(v, f.value) > 0);
    case 'lt': return !isNull && one((v) => compare(v, f.value) < 0);
    case 'gteq': case 'from': return !isNull && one((v) => compare(v, f.value) >= 0);
    case 'lteq': case 'to': return !isNull && one((v) => compare(v, f.value) <= 0);
    case 'null': return isNull;
    case 'notnull': return !isNull;
    case 'finset': return one((v) => v.split(',').includes(f.value));
    case 'nfinset': return !one((v) => v.split(',').includes(f.value));
    default: throw badRequest('Invalid condition type "%1"', [f.condition_type]);
  }
}

/** What Magento echoes back as search_criteria */
function echo(c: ParsedCriteria): Json {
  return {
    filter_groups: c.filterGroups.map((g) => ({ filters: g.map((f) => ({ field: f.field, value: f.value, condition_type: f.condition_type })) })),
    ...(c.sortOrders.length ? { sort_orders: c.sortOrders } : {}),
    ...(c.pageSize !== undefined ? { page_size: c.pageSize } : {}),
    ...(c.currentPage !== undefined ? { current_page: c.currentPage } : {}),
  };
}

export function applySearch(rows: Json[], criteria: ParsedCriteria): { items: Json[]; search_criteria: Json; total_count: number } {
  let result = rows.filter((row) => criteria.filterGroups.every((group) => group.length === 0 || group.some((f) => matches(row, f))));
  if (criteria.sortOrders.length > 0) {
    result = [...result].sort((a, b) => {
      for (const s of criteria.sortOrders) {
        const c = compare(asString(fieldValue(a, s.field)), asString(fieldValue(b, s.field)));
        if (c !== 0) return s.direction === 'ASC' ? c : -c;
      }
      return 0;
    });
  }
  const total = result.length;
  // AbstractDb::_renderLimit: no LIMIT unless pageSize is set (and non-zero).
  if (criteria.pageSize) {
    const page = Math.max(1, criteria.currentPage ?? 1);
    result = result.slice((page - 1) * criteria.pageSize, page * criteria.pageSize);
  }
  return { items: result, search_criteria: echo(criteria), total_count: total };
}

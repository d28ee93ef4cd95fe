// The instances page's filters and sort order, kept in the URL's hash query
// (#/instances?state=running&sort=-launch_time) so a filtered view can be reloaded and shared.

import type { Query } from '../api/client';
import type { InstanceState } from '../api/types';

export interface InstanceFilters {
  state: '' | InstanceState;
  type: string;
  zone: string;
  /** `Key=Value` (or just `Key`, any value). */
  tag: string;
  /** Free text: id, name, IP, tag values, as the server matches it. */
  q: string;
  /** A field, or -field for descending; '' for the server's order. */
  sort: string;
}

export const STATES: readonly InstanceState[] = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
];

export const SORT_FIELDS = ['id', 'name', 'state', 'type', 'zone', 'launch_time', 'env'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const EMPTY_FILTERS: InstanceFilters = { state: '', type: '', zone: '', tag: '', q: '', sort: '' };

const TEXT_KEYS = ['type', 'zone', 'tag', 'q'] as const;

function isSortField(s: string): s is SortField {
  return (SORT_FIELDS as readonly string[]).includes(s);
}

/** Reads filters from a query string; unknown states and sort fields are dropped, not sent. */
export function filtersFromParams(params: URLSearchParams): InstanceFilters {
  const f: InstanceFilters = { ...EMPTY_FILTERS };
  const state = params.get('state') ?? '';
  if ((STATES as readonly string[]).includes(state)) {
    f.state = state as InstanceState;
  }
  for (const k of TEXT_KEYS) {
    f[k] = (params.get(k) ?? '').trim();
  }
  const sort = params.get('sort') ?? '';
  if (isSortField(sort.replace(/^-/, ''))) {
    f.sort = sort;
  }
  return f;
}

/** The inverse of filtersFromParams: only the filters that are set, in a stable order. */
export function filtersToParams(f: InstanceFilters): URLSearchParams {
  const params = new URLSearchParams();
  const entries: [string, string][] = [
    ['state', f.state],
    ['type', f.type.trim()],
    ['zone', f.zone.trim()],
    ['tag', f.tag.trim()],
    ['q', f.q.trim()],
    ['sort', f.sort],
  ];
  for (const [k, v] of entries) {
    if (v) {
      params.set(k, v);
    }
  }
  return params;
}

/** Clicking a column: a new column sorts ascending, the same column flips direction. */
export function toggleSort(sort: string, field: SortField): string {
  return sort === field ? `-${field}` : field;
}

/** The aria-sort value of a column header. */
export function sortDirection(sort: string, field: SortField): 'ascending' | 'descending' | 'none' {
  if (sort === field) {
    return 'ascending';
  }
  return sort === `-${field}` ? 'descending' : 'none';
}

/** A problem with the tag filter, or null: the API wants `Key=Value` with a non-empty key. */
export function tagFilterProblem(tag: string): string | null {
  const t = tag.trim();
  if (!t) {
    return null;
  }
  const key = t.split('=', 1)[0] ?? '';
  return key.trim() ? null : 'Tag filter needs a key: Key=Value';
}

/** The GET /api/v1/instances query for an environment ('' = all) and filters. */
export function instanceQuery(env: string, f: InstanceFilters, limit = 100): Query {
  return {
    env,
    state: f.state,
    type: f.type.trim(),
    zone: f.zone.trim(),
    tag: f.tag.trim(),
    q: f.q.trim(),
    sort: f.sort,
    limit,
  };
}

/** True when no filter narrows the list (sort does not count). */
export function isUnfiltered(f: InstanceFilters): boolean {
  return !f.state && !f.type.trim() && !f.zone.trim() && !f.tag.trim() && !f.q.trim();
}

// Selected instances are kept by `env/id` keys, apart from the rows, so a refresh that replaces
// every row keeps what the user ticked.

import type { Instance } from '../api/types';

export function instanceKey(i: Pick<Instance, 'env' | 'id'>): string {
  return `${i.env}/${i.id}`;
}

/** The selection less the keys that are no longer listed (same Set when nothing went away). */
export function pruneSelection(selected: ReadonlySet<string>, rows: readonly Instance[]): ReadonlySet<string> {
  const listed = new Set(rows.map(instanceKey));
  const kept = [...selected].filter((k) => listed.has(k));
  return kept.length === selected.size ? selected : new Set(kept);
}

export function selectedRows(selected: ReadonlySet<string>, rows: readonly Instance[]): Instance[] {
  return rows.filter((r) => selected.has(instanceKey(r)));
}

export function toggleKey(selected: ReadonlySet<string>, key: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (!next.delete(key)) {
    next.add(key);
  }
  return next;
}

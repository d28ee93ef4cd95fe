// Change sets: which are still moving, how long one took, and where the next page starts.

import type { ChangeSet, ChangeSetStatus } from '../api/types';
import { formatDuration } from '../format';

/** How often a change set being applied is read again. */
export const FOLLOW_MS = 1_000;

/**
 * Still to be read again: applying, or planned (provision answers before its background apply
 * has marked the change set applying).
 */
export function inProgress(status: ChangeSetStatus): boolean {
  return status === 'applying' || status === 'planned';
}

export function durationText(cs: Pick<ChangeSet, 'duration_ms' | 'status'>): string {
  if (cs.duration_ms === null || cs.duration_ms === undefined || (cs.duration_ms === 0 && inProgress(cs.status))) {
    return '';
  }
  return formatDuration(cs.duration_ms);
}

/**
 * The `before` of the next page, or null at the end: the server's next_cursor when it is a
 * number, else the number of the oldest change set shown (the list is newest first).
 */
export function nextBefore(shown: readonly ChangeSet[], nextCursor: string | null): number | null {
  if (!nextCursor) {
    return null;
  }
  const n = Number(nextCursor);
  if (Number.isInteger(n) && n > 0) {
    return n;
  }
  return shown.at(-1)?.number ?? null;
}

/** Adds a page to what is shown, dropping any change set already there. */
export function appendPage(shown: readonly ChangeSet[], page: readonly ChangeSet[]): ChangeSet[] {
  const have = new Set(shown.map((c) => c.id));
  return [...shown, ...page.filter((c) => !have.has(c.id))];
}

/** One line on where a change set stands: "cs-dev-3 applying: 2 of 5 steps done." */
export function progressText(cs: ChangeSet): string {
  if (cs.status === 'planned') {
    return `${cs.id} is waiting to start.`;
  }
  if (cs.status === 'applying') {
    const done = (cs.journal ?? []).filter((j) => j.status === 'done').length;
    // The journal may hold steps beyond the plan's changes: then the count alone.
    const total = cs.plan?.changes.length ?? 0;
    const of = total > 0 && done <= total ? ` of ${total}` : '';
    return `${cs.id} applying: ${done}${of} ${(of ? total : done) === 1 ? 'step' : 'steps'} done.`;
  }
  const took = durationText(cs);
  return `${cs.id} ${cs.status}${cs.result ? `: ${cs.result}` : '.'}${took ? ` (${took})` : ''}`;
}

/** "1 create, 2 update" (the non-zero counts), or "no changes". */
export function changesText(c: ChangeSet['summary'] | undefined): string {
  if (!c) {
    return '';
  }
  const parts = (['create', 'update', 'replace', 'delete'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

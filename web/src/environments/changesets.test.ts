import { describe, expect, it } from 'vitest';
import { changeset } from '../test/environments';
import { appendPage, changesText, durationText, inProgress, nextBefore, progressText } from './changesets';

describe('change set helpers', () => {
  it('keeps following applying and not yet started change sets only', () => {
    expect(inProgress('applying')).toBe(true);
    expect(inProgress('planned')).toBe(true);
    expect(inProgress('succeeded')).toBe(false);
    expect(inProgress('failed')).toBe(false);
    expect(inProgress('interrupted')).toBe(false);
  });

  it('pages by the server cursor when it is a number, else by the oldest shown', () => {
    const shown = [changeset('dev', 9), changeset('dev', 8)];
    expect(nextBefore(shown, null)).toBeNull();
    expect(nextBefore(shown, '8')).toBe(8);
    expect(nextBefore(shown, 'opaque-cursor')).toBe(8);
    expect(nextBefore([], 'opaque-cursor')).toBeNull();
  });

  it('appends a page without repeating a change set', () => {
    const shown = [changeset('dev', 9), changeset('dev', 8)];
    const page = [changeset('dev', 8), changeset('dev', 7)];
    expect(appendPage(shown, page).map((c) => c.number)).toEqual([9, 8, 7]);
  });

  it('says where a change set stands', () => {
    const applying = changeset('dev', 3, { status: 'applying', duration_ms: 0 });
    applying.journal = [
      { logical_id: 'Web', action: 'create', status: 'done', physical_id: 'i-1', error: '', at: '' },
      { logical_id: 'Db', action: 'update', status: 'pending', physical_id: '', error: '', at: '' },
    ];
    applying.plan!.changes.push({ ...applying.plan!.changes[0]!, logical_id: 'Db' });
    expect(progressText(applying)).toBe('cs-dev-3 applying: 1 of 2 steps done.');
    applying.journal[1]!.status = 'done';
    applying.journal.push({ ...applying.journal[0]!, logical_id: 'Extra' });
    expect(progressText(applying)).toBe('cs-dev-3 applying: 3 steps done.');
    expect(durationText(applying)).toBe('');
    expect(progressText(changeset('dev', 3, { status: 'planned' }))).toBe('cs-dev-3 is waiting to start.');
    const failed = changeset('dev', 4, {
      status: 'failed',
      result: 'Db: InsufficientInstanceCapacity',
      duration_ms: 61_000,
    });
    expect(progressText(failed)).toBe('cs-dev-4 failed: Db: InsufficientInstanceCapacity (1 min 1 s)');
    expect(progressText(changeset('dev', 5, { result: '', duration_ms: null }))).toBe('cs-dev-5 succeeded.');
  });

  it('counts the changes that are not zero', () => {
    expect(changesText({ create: 2, update: 0, replace: 1, delete: 0, unchanged: 5 })).toBe('2 create, 1 replace');
    expect(changesText({ create: 0, update: 0, replace: 0, delete: 0, unchanged: 5 })).toBe('no changes');
    expect(changesText(undefined)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { diffTags, isNoChange, rowsFromTags, tagRowsProblem } from './tags';

describe('tag editor', () => {
  const original = { Name: 'web-1', Team: 'web', Old: 'x' };

  it('lists tags sorted by key', () => {
    expect(rowsFromTags(original).map((r) => r.key)).toEqual(['Name', 'Old', 'Team']);
  });

  it('sends only what changed', () => {
    const rows = [
      { key: 'Name', value: 'web-1' },
      { key: 'Team', value: 'platform' },
      { key: ' Cost ', value: '42' },
      { key: '', value: '' },
    ];
    expect(diffTags(original, rows)).toEqual({ set: { Team: 'platform', Cost: '42' }, remove: ['Old'] });
  });

  it('sees no change when nothing changed', () => {
    expect(isNoChange(diffTags(original, rowsFromTags(original)))).toBe(true);
  });

  it('refuses rows it cannot save', () => {
    expect(tagRowsProblem([{ key: '', value: 'v' }])).toMatch(/no key/);
    expect(
      tagRowsProblem([
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ]),
    ).toMatch(/twice/);
    expect(tagRowsProblem([{ key: 'aws:cloudformation', value: '1' }])).toMatch(/reserved/);
    expect(tagRowsProblem([{ key: 'k'.repeat(129), value: '' }])).toMatch(/too long/);
    expect(
      tagRowsProblem([
        { key: '', value: '' },
        { key: 'ok', value: '' },
      ]),
    ).toBeNull();
  });
});

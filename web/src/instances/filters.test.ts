import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  filtersFromParams,
  filtersToParams,
  instanceQuery,
  isUnfiltered,
  sortDirection,
  tagFilterProblem,
  toggleSort,
} from './filters';

describe('instance filters', () => {
  it('round-trips through the URL query', () => {
    const f = {
      state: 'running',
      type: 't3.micro',
      zone: 'us-west-2a',
      tag: 'Team=web',
      q: 'api',
      sort: '-launch_time',
    } as const;
    const params = filtersToParams(f);
    expect(params.toString()).toBe(
      'state=running&type=t3.micro&zone=us-west-2a&tag=Team%3Dweb&q=api&sort=-launch_time',
    );
    expect(filtersFromParams(params)).toEqual(f);
  });

  it('leaves out what is not set', () => {
    expect(filtersToParams(EMPTY_FILTERS).toString()).toBe('');
    expect(filtersToParams({ ...EMPTY_FILTERS, q: '  ' }).toString()).toBe('');
  });

  it('drops unknown states and sort fields instead of sending them', () => {
    const f = filtersFromParams(new URLSearchParams('state=exploded&sort=-price&q=%20x%20'));
    expect(f).toEqual({ ...EMPTY_FILTERS, q: 'x' });
  });

  it('sorts a new column ascending and flips the same one', () => {
    expect(toggleSort('', 'name')).toBe('name');
    expect(toggleSort('name', 'name')).toBe('-name');
    expect(toggleSort('-name', 'name')).toBe('name');
    expect(toggleSort('-name', 'state')).toBe('state');
  });

  it('gives each header its aria-sort', () => {
    expect(sortDirection('zone', 'zone')).toBe('ascending');
    expect(sortDirection('-zone', 'zone')).toBe('descending');
    expect(sortDirection('-zone', 'id')).toBe('none');
  });

  it('checks the tag filter has a key', () => {
    expect(tagFilterProblem('')).toBeNull();
    expect(tagFilterProblem('Team=web')).toBeNull();
    expect(tagFilterProblem('Team')).toBeNull();
    expect(tagFilterProblem('=web')).toMatch(/needs a key/);
  });

  it('builds the API query with the environment and trimmed values', () => {
    expect(instanceQuery('dev', { ...EMPTY_FILTERS, type: ' t3.micro ', sort: 'id' })).toEqual({
      env: 'dev',
      state: '',
      type: 't3.micro',
      zone: '',
      tag: '',
      q: '',
      sort: 'id',
      limit: 100,
    });
  });

  it('knows when nothing narrows the list', () => {
    expect(isUnfiltered({ ...EMPTY_FILTERS, sort: '-id' })).toBe(true);
    expect(isUnfiltered({ ...EMPTY_FILTERS, state: 'stopped' })).toBe(false);
  });
});

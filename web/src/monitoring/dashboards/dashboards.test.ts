import { describe, expect, it } from 'vitest';
import { dashboardParamsFrom, dashboardParamsTo, periodWords, rangeLabel } from './dashboards';

describe('dashboards', () => {
  it('reads the tab and range from the URL, defaulting to the executive one over 24 h', () => {
    expect(dashboardParamsFrom(new URLSearchParams('name=operations&hours=168'))).toEqual({
      name: 'operations',
      hours: 168,
    });
    expect(dashboardParamsFrom(new URLSearchParams('name=finance&hours=999'))).toEqual({
      name: 'executive',
      hours: 24,
    });
    expect(dashboardParamsTo({ name: 'business', hours: 24 }).toString()).toBe('name=business');
    expect(dashboardParamsTo({ name: 'business', hours: 336 }).toString()).toBe('name=business&hours=336');
  });

  it('names periods and ranges', () => {
    expect(periodWords(300)).toBe('5-minute periods');
    expect(periodWords(3600)).toBe('1-hour periods');
    expect(periodWords(30)).toBe('30-second periods');
    expect(rangeLabel(168)).toBe('7 d');
    expect(rangeLabel(5)).toBe('5 h');
  });
});

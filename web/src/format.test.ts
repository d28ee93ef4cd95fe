import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration } from './format';

describe('durations and ages', () => {
  it('formats a duration in ms at a useful precision', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_200)).toBe('4.2 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
  });

  it('formats an age in seconds', () => {
    expect(formatAge(45)).toBe('45 s');
    expect(formatAge(754)).toBe('12 min');
    expect(formatAge(11_100)).toBe('3 h 5 min');
    expect(formatAge(187_200)).toBe('2 d 4 h');
    expect(formatAge(-3)).toBe('0 s');
  });
});

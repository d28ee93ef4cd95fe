import { describe, expect, it } from 'vitest';
import { formatValue } from './units';

describe('formatValue', () => {
  it('formats each unit as people read it', () => {
    expect(formatValue(99.95, 'Percent')).toBe('99.95 %');
    expect(formatValue(100, 'Percent')).toBe('100 %');
    expect(formatValue(0.01, 'Seconds')).toBe('10 ms');
    expect(formatValue(0.0123, 'Seconds')).toBe('12.3 ms');
    expect(formatValue(2.5, 'Seconds')).toBe('2.5 s');
    expect(formatValue(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatValue(1234.567, 'USD')).toBe('$1,234.57');
    expect(formatValue(12.4, 'Count')).toBe('12');
    expect(formatValue(12345, 'Count')).toBe('12,345');
    expect(formatValue(3.14159)).toBe('3.14');
    expect(formatValue(2048, 'Bytes')).toBe('2,048 Bytes');
  });

  it('says "no data" for a missing value', () => {
    expect(formatValue(null, 'Percent')).toBe('no data');
    expect(formatValue(undefined)).toBe('no data');
    expect(formatValue(Number.NaN, 'Count')).toBe('no data');
  });
});

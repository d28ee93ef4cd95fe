import { describe, expect, it } from 'vitest';
import { axisTime, linePath, runs, scaleLinear, timeAt, valueExtent } from './scale';

describe('valueExtent', () => {
  it('spans every series and skips nulls', () => {
    expect(valueExtent([{ values: [0.01, null, 0.02] }, { values: [0.2, null, 0.3] }])).toEqual({
      min: 0.01,
      max: 0.3,
    });
  });

  it('is null without any value', () => {
    expect(valueExtent([{ values: [null, null] }, { values: [] }])).toBeNull();
    expect(valueExtent([])).toBeNull();
  });

  it('widens a flat range so the line is inside the chart', () => {
    expect(valueExtent([{ values: [5, 5] }])).toEqual({ min: 4.5, max: 5.5 });
    expect(valueExtent([{ values: [0, null, 0] }])).toEqual({ min: -1, max: 1 });
  });
});

describe('scaleLinear', () => {
  it('maps the domain onto the range, inverted for a y axis', () => {
    const y = scaleLinear(0, 10, 100, 0);
    expect(y(0)).toBe(100);
    expect(y(10)).toBe(0);
    expect(y(2.5)).toBe(75);
    expect(scaleLinear(3, 3, 0, 50)(3)).toBe(25); // an empty domain: the middle
  });
});

describe('runs and linePath', () => {
  const x = (i: number) => i * 10;
  const y = (v: number) => 100 - v;

  it('splits the values at every null', () => {
    expect(runs([1, 2, null, null, 3, null, 4, 5])).toEqual([
      { start: 0, values: [1, 2] },
      { start: 4, values: [3] },
      { start: 6, values: [4, 5] },
    ]);
    expect(runs([null, null])).toEqual([]);
  });

  it('draws a gap for nulls and a dot for a lone value', () => {
    expect(linePath([1, 2, null, null, 3, null, 4, 5], x, y)).toBe('M0 99L10 98M40 97h0M60 96L70 95');
    expect(linePath([null, null], x, y)).toBe('');
  });

  it('scales the example series into the plot area', () => {
    const xs = scaleLinear(0, 2, 50, 450);
    const ys = scaleLinear(0.01, 0.3, 140, 10);
    expect(linePath([0.2, null, 0.3], xs, ys)).toBe('M50 54.8h0M450 10h0');
    expect(linePath([0.01, 0.3], scaleLinear(0, 1, 50, 450), ys)).toBe('M50 140L450 10');
  });
});

describe('time', () => {
  it('puts value i at start + i periods', () => {
    expect(timeAt('2026-11-27T10:00:00.000Z', 300, 2).toISOString()).toBe('2026-11-27T10:10:00.000Z');
  });

  it('labels the axis with the time, and the day from a day-long range on', () => {
    const d = new Date('2026-11-27T10:05:00Z');
    expect(axisTime(d, 23.9)).toBe('10:05');
    expect(axisTime(d, 24)).toBe('11-27 10:05'); // both ends of a day's range are 10:05
    expect(axisTime(d, 168)).toBe('11-27 10:05');
  });
});

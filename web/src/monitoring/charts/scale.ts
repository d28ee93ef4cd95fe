// The arithmetic of the line chart, apart from React so it is tested directly: the value range
// over every series, a linear scale, and the SVG path of one series with a gap at every null.

export interface Extent {
  min: number;
  max: number;
}

/**
 * The smallest and largest finite value of all series; null when none has a value. A flat range
 * is widened (by 10 % of the value, or by 1 around 0) so the line sits inside the chart.
 */
export function valueExtent(series: readonly { values: readonly (number | null)[] }[]): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const v of s.values) {
      if (v !== null && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  if (min > max) {
    return null;
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** Maps [d0, d1] onto [r0, r1] linearly (r1 < r0 for a y axis that grows upwards). */
export function scaleLinear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** The runs of consecutive values that are not null: [first index, values]. */
export function runs(values: readonly (number | null)[]): { start: number; values: number[] }[] {
  const out: { start: number; values: number[] }[] = [];
  let current: { start: number; values: number[] } | null = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      current = null;
      return;
    }
    if (!current) {
      current = { start: i, values: [] };
      out.push(current);
    }
    current.values.push(v);
  });
  return out;
}

const r = (n: number) => String(Math.round(n * 10) / 10);

/**
 * The path of one series: a subpath (M, then L) per run of values, so a null leaves a gap. A run
 * of one value is a zero-length subpath ("h0"), which a round line cap draws as a dot.
 */
export function linePath(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  return runs(values)
    .map(({ start, values: vs }) => {
      const head = `M${r(x(start))} ${r(y(vs[0]!))}`;
      if (vs.length === 1) {
        return `${head}h0`;
      }
      return (
        head +
        vs
          .slice(1)
          .map((v, k) => `L${r(x(start + k + 1))} ${r(y(v))}`)
          .join('')
      );
    })
    .join('');
}

/** The time of value i: start + i × period seconds. */
export function timeAt(startIso: string, periodSeconds: number, i: number): Date {
  return new Date(new Date(startIso).getTime() + i * periodSeconds * 1000);
}

/**
 * "10:05" in a range shorter than a day, "11-27 10:05" from a day on (a 24-hour range starts and
 * ends at the same time of day; UTC, as every time in the console).
 */
export function axisTime(d: Date, spanHours: number): string {
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const iso = d.toISOString();
  return spanHours < 24 ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

// A line chart drawn as inline SVG (no chart library: the bundle budget): one line per series, a
// gap wherever a period has no data, the value range's min and max on the y axis, the first and
// last period's time on the x axis, and a legend with each series' latest value.

import type { Series } from '../../api/types';
import { formatValue } from '../units';
import { axisTime, linePath, scaleLinear, timeAt, valueExtent } from './scale';

const W = 480;
const H = 180;
const LEFT = 64;
const RIGHT = W - 12;
const TOP = 12;
const BOTTOM = H - 26;
const COLORS = 6;

interface Props {
  title: string;
  unit?: string;
  series: readonly Series[];
  /** The time of every series' first value (RFC 3339). */
  start: string;
  /** Seconds between values. */
  period: number;
}

/** The chart's accessible name: "Latency: p50, p99". */
export function chartLabel(title: string, series: readonly Series[]): string {
  return `${title}: ${series.length ? series.map((s) => s.label).join(', ') : 'no series'}`;
}

function latest(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      return v;
    }
  }
  return null;
}

export function LineChart({ title, unit, series, start, period }: Props) {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const extent = valueExtent(series);
  const x = scaleLinear(0, Math.max(0, n - 1), LEFT, RIGHT);
  const y = extent ? scaleLinear(extent.min, extent.max, BOTTOM, TOP) : () => BOTTOM;
  const spanHours = (Math.max(0, n - 1) * period) / 3600;
  return (
    <figure className="chart">
      <svg role="img" aria-label={chartLabel(title, series)} viewBox={`0 0 ${W} ${H}`} className="line-chart">
        <line className="grid" x1={LEFT} x2={RIGHT} y1={TOP} y2={TOP} />
        <line className="grid" x1={LEFT} x2={RIGHT} y1={BOTTOM} y2={BOTTOM} />
        {extent ? (
          <>
            <text className="axis" x={LEFT - 6} y={TOP + 4} textAnchor="end">
              {formatValue(extent.max, unit)}
            </text>
            <text className="axis" x={LEFT - 6} y={BOTTOM + 4} textAnchor="end">
              {formatValue(extent.min, unit)}
            </text>
            {series.map((s, k) => (
              <path key={s.label} className={`series series-${k % COLORS}`} d={linePath(s.values, x, y)} />
            ))}
          </>
        ) : (
          <text className="axis" x={(LEFT + RIGHT) / 2} y={(TOP + BOTTOM) / 2} textAnchor="middle">
            No data in this range
          </text>
        )}
        {n > 0 && (
          <>
            <text className="axis" x={LEFT} y={H - 6} textAnchor="start">
              {axisTime(timeAt(start, period, 0), spanHours)}
            </text>
            <text className="axis" x={RIGHT} y={H - 6} textAnchor="end">
              {axisTime(timeAt(start, period, n - 1), spanHours)}
            </text>
          </>
        )}
      </svg>
      {series.length > 0 && (
        <figcaption>
          <ul className="legend" aria-label={`Legend of ${title}`}>
            {series.map((s, k) => (
              <li key={s.label}>
                <span className={`swatch series-${k % COLORS}`} aria-hidden="true" />
                {s.label} <span className="muted">{formatValue(latest(s.values), unit)}</span>
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}

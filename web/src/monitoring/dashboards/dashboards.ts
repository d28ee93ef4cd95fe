// The Dashboards page's tabs, ranges and URL (#/dashboards?name=operations&hours=168).

import type { DashboardName } from '../../api/types';

export const DASHBOARDS: readonly { name: DashboardName; label: string }[] = [
  { name: 'executive', label: 'Executive' },
  { name: 'operations', label: 'Operations' },
  { name: 'business', label: 'Business' },
];

/** The range selector's choices; the server takes 1..336 hours. */
export const RANGES: readonly { hours: number; label: string }[] = [
  { hours: 1, label: '1 h' },
  { hours: 24, label: '24 h' },
  { hours: 168, label: '7 d' },
  { hours: 336, label: '14 d' },
];

export const DEFAULT_HOURS = 24;

/** A dashboard reads its data again this often while it is shown. */
export const RELOAD_MS = 60_000;

export interface DashboardParams {
  name: DashboardName;
  hours: number;
}

export function dashboardParamsFrom(p: URLSearchParams): DashboardParams {
  const name = DASHBOARDS.find((d) => d.name === p.get('name'))?.name ?? 'executive';
  const hours = Number(p.get('hours'));
  return { name, hours: RANGES.some((r) => r.hours === hours) ? hours : DEFAULT_HOURS };
}

export function dashboardParamsTo(d: DashboardParams): URLSearchParams {
  const p = new URLSearchParams({ name: d.name });
  if (d.hours !== DEFAULT_HOURS) {
    p.set('hours', String(d.hours));
  }
  return p;
}

/** "5-minute periods", "1-hour periods", "30-second periods". */
export function periodWords(seconds: number): string {
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}-hour periods`;
  }
  if (seconds % 60 === 0) {
    return `${seconds / 60}-minute periods`;
  }
  return `${seconds}-second periods`;
}

/** The range's label ("24 h") or its hours. */
export function rangeLabel(hours: number): string {
  return RANGES.find((r) => r.hours === hours)?.label ?? `${hours} h`;
}

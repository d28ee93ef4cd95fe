// How incidents read in the console: severities in words, the response deadline, the statuses an
// incident may move on to (forward only), and the list's filters in the URL.

import { SEVERITIES, type Incident, type IncidentStatus, type Severity } from '../api/types';

/** The specification's classification (README, "Incidents"). */
export const SEVERITY_TEXT: Record<Severity, string> = {
  P1: 'P1 Critical: system down, data loss (respond within 15 min)',
  P2: 'P2 High: major feature broken (1 h)',
  P3: 'P3 Medium: minor feature issue (4 h)',
  P4: 'P4 Low: cosmetic or documentation (1 week)',
};

export const STATUS_ORDER: readonly IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/** The statuses POST .../status may move to from `status`: later ones short of resolved. */
export function nextStatuses(status: IncidentStatus): ('identified' | 'monitoring')[] {
  const at = STATUS_ORDER.indexOf(status);
  return (['identified', 'monitoring'] as const).filter((s) => STATUS_ORDER.indexOf(s) > at);
}

export type ResponseDue =
  { kind: 'resolved' } | { kind: 'acknowledged'; at: string | null } | { kind: 'due'; at: Date; overdue: boolean };

/** Until an incident is acknowledged it is due within its response time from opening. */
export function responseDue(i: Incident, now: Date): ResponseDue {
  if (i.status === 'resolved') {
    return { kind: 'resolved' };
  }
  if (i.acknowledged_by || i.acknowledged_at) {
    return { kind: 'acknowledged', at: i.acknowledged_at };
  }
  const at = new Date(new Date(i.opened_at).getTime() + i.response_time_minutes * 60_000);
  return { kind: 'due', at, overdue: at.getTime() < now.getTime() };
}

export function commanderText(c: string | null): string {
  return c ? `@${c.replace(/^@/, '')}` : 'unassigned';
}

/** "45 min", "1 h", "2 h 5 min", "1 d 4 h". */
export function minutesText(minutes: number): string {
  const m = Math.floor(minutes);
  if (m < 1) {
    return 'less than a minute';
  }
  if (m < 60) {
    return `${m} min`;
  }
  if (m < 1440) {
    return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  }
  return `${Math.floor(m / 1440)} d${m % 1440 >= 60 ? ` ${Math.floor((m % 1440) / 60)} h` : ''}`;
}

export type StatusFilter = 'open' | 'resolved' | 'all';

/** The list's filters and the incident shown, as they sit in the URL (?status=all&severity=P1&id=...). */
export interface IncidentParams {
  status: StatusFilter;
  severity: Severity | '';
  id: string;
}

export function incidentParamsFrom(p: URLSearchParams): IncidentParams {
  const status = p.get('status');
  const severity = p.get('severity');
  return {
    status: status === 'resolved' || status === 'all' ? status : 'open',
    severity: SEVERITIES.find((s) => s === severity) ?? '',
    id: p.get('id') ?? '',
  };
}

export function incidentParamsTo(f: IncidentParams): URLSearchParams {
  const p = new URLSearchParams();
  if (f.status !== 'open') {
    p.set('status', f.status);
  }
  if (f.severity) {
    p.set('severity', f.severity);
  }
  if (f.id) {
    p.set('id', f.id);
  }
  return p;
}

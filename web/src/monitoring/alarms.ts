// How alarms read in the console: their order (ALARM first, then by severity), the rule in words
// ("Latency Average > 2 for 3 of 3 periods of 5 min") and the filters in the URL.

import { ALARM_STATES, type Alarm, type AlarmState } from '../api/types';

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Unique across scopes: the control plane has alarms of the same names as environments. */
export function alarmKey(a: Pick<Alarm, 'environment' | 'name'>): string {
  return `${a.environment}/${a.name}`;
}

/** ALARM, then INSUFFICIENT_DATA, then OK; within a state critical first; then scope and name. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  const rank = (a: Alarm) => ALARM_STATES.indexOf(a.state);
  const sev = (a: Alarm) => SEVERITY_RANK[a.severity] ?? 3;
  return [...alarms].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      sev(a) - sev(b) ||
      a.environment.localeCompare(b.environment) ||
      a.name.localeCompare(b.name),
  );
}

const SYMBOLS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** "≥ 3": the comparison with the threshold. */
export function conditionText(a: Pick<Alarm, 'comparison' | 'threshold'>): string {
  return `${SYMBOLS[a.comparison] ?? a.comparison} ${a.threshold}`;
}

/** "30 s", "5 min", "1 h", "1 h 30 min". */
export function periodText(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** "Latency Average > 2 for 3 of 3 periods of 5 min". */
export function ruleText(a: Alarm): string {
  const dims = Object.entries(a.dimensions ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const metric = dims ? `${a.metric} (${dims})` : a.metric;
  return `${metric} ${a.statistic} ${conditionText(a)} for ${a.datapoints_to_alarm} of ${a.evaluation_periods} periods of ${periodText(a.period)}`;
}

const MISSING: Record<string, string> = {
  missing: 'missing: periods without data do not count; none at all is INSUFFICIENT_DATA',
  notBreaching: 'notBreaching: periods without data count as within the threshold',
  breaching: 'breaching: periods without data count as breaching',
  ignore: 'ignore: periods without data keep the current state',
};

export function missingDataText(treatment: string): string {
  return MISSING[treatment] ?? treatment;
}

export function parseAlarmState(text: string | null): AlarmState | '' {
  return ALARM_STATES.find((s) => s === text) ?? '';
}

/** The Alarms page's filters as they sit in the URL: ?state=ALARM&control=1. */
export interface AlarmFilters {
  state: AlarmState | '';
  /** Include the control plane's alarms (env "ec2m"); global admins only. */
  control: boolean;
}

export function alarmFiltersFromParams(p: URLSearchParams): AlarmFilters {
  return { state: parseAlarmState(p.get('state')), control: p.get('control') === '1' };
}

export function alarmFiltersToParams(f: AlarmFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.state) {
    p.set('state', f.state);
  }
  if (f.control) {
    p.set('control', '1');
  }
  return p;
}

// The "Monitoring and alarms" part of the in-memory REST stand-in (docs/api.md), and the
// dashboards (GET /api/v1/dashboards/{name}): alarms per scope with history, mute and
// acknowledgement (409 unless in ALARM). Backend hands it every request it does not answer itself.

import type { Alarm, AlarmHistoryEntry, Dashboard, DashboardName } from '../api/types';
import { apiError, type Answer, type Recorded } from './fakeFetch';

export function alarm(name: string, over: Partial<Alarm> = {}): Alarm {
  return {
    name,
    environment: 'dev',
    state: 'OK',
    reason: 'Threshold Crossed: 1 datapoint [0] was not greater than or equal to the threshold (3)',
    since: '2026-11-27T09:00:00.000Z',
    last_evaluated: '2026-11-28T10:00:00.000Z',
    episode: 1,
    muted: false,
    acknowledged_by: '',
    description: '3+ server errors in 10 minutes',
    metric: 'ServerErrors',
    dimensions: {},
    statistic: 'Sum',
    period: 600,
    evaluation_periods: 1,
    datapoints_to_alarm: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 3,
    treat_missing_data: 'notBreaching',
    severity: 'critical',
    channels: [],
    ...over,
  };
}

/** The example of the dashboards' contract, for any name. */
export function dashboard(name: DashboardName, env: string): Dashboard {
  return {
    dashboard: name,
    environment: env,
    from: '2026-11-27T10:00:00.000Z',
    to: '2026-11-28T10:00:00.000Z',
    start: '2026-11-27T10:00:00.000Z',
    period: 300,
    panels: [
      {
        id: 'latency',
        title: 'Latency',
        kind: 'timeseries',
        unit: 'Seconds',
        series: [
          { label: 'p50', values: [0.01, null, 0.02] },
          { label: 'p99', values: [0.2, null, 0.3] },
        ],
      },
      { id: 'open_incidents', title: 'Open incidents', kind: 'stat', unit: 'Count', value: 2 },
      { id: 'availability', title: 'Availability', kind: 'stat', unit: 'Percent', value: 99.95 },
      { id: 'cost', title: 'Cost', kind: 'stat', unit: 'USD', value: null },
      {
        id: 'alarms',
        title: 'Alarms',
        kind: 'alarms',
        alarms: [
          {
            name: 'High Error Rate',
            state: 'ALARM',
            severity: 'critical',
            reason: '5 errors',
            since: '2026-11-28T09:50:00.000Z',
          },
        ],
      },
      {
        id: 'feature_use',
        title: 'Feature use',
        kind: 'table',
        unit: 'Count',
        rows: [{ label: 'instances', value: 12 }],
      },
    ],
  };
}

const HISTORY = /^\/api\/v1\/alarms\/([^/]+)\/(history|mute|ack)$/;

export class MonitoringBackend {
  alarms: Alarm[] = [
    alarm('High Error Rate', {
      state: 'ALARM',
      reason: 'Threshold Crossed: 1 datapoint [5] was greater than or equal to the threshold (3)',
    }),
    alarm('High Latency', {
      state: 'OK',
      severity: 'warning',
      metric: 'Latency',
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      threshold: 2,
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: 'missing',
    }),
    alarm('Throttling', { state: 'INSUFFICIENT_DATA', severity: 'warning', since: null }),
    alarm('Critical API Errors', { environment: 'prod' }),
    alarm('Critical API Errors', { environment: 'ec2m', state: 'ALARM' }),
  ];
  /** Newest first, by `${env}/${name}`. */
  history: Record<string, AlarmHistoryEntry[]> = {
    'dev/High Error Rate': [
      {
        time: '2026-11-28T09:50:00.000Z',
        kind: 'StateUpdate',
        summary: 'Alarm updated from OK to ALARM',
        from: 'OK',
        to: 'ALARM',
        actor: '',
      },
    ],
  };
  /** Set to make mute and ack answer this instead (a refusal, say). */
  refuse: Answer | null = null;
  /** Set to make the dashboards answer this instead. */
  dashboardAnswer: Answer | null = null;

  handle(req: Recorded): Answer | null {
    const path = req.url.pathname;
    const q = req.url.searchParams;
    if (path === '/api/v1/alarms' && req.method === 'GET') {
      const env = q.get('env') ?? '';
      const state = q.get('state') ?? '';
      const items = this.alarms.filter((a) => (!env || a.environment === env) && (!state || a.state === state));
      return { body: { items } };
    }
    const dash = path.match(/^\/api\/v1\/dashboards\/(executive|operations|business)$/);
    if (dash && req.method === 'GET') {
      return this.dashboardAnswer ?? { body: dashboard(dash[1] as DashboardName, q.get('env') ?? '') };
    }
    const m = path.match(HISTORY);
    if (!m) {
      return null;
    }
    const name = decodeURIComponent(m[1]!);
    const env = req.method === 'GET' ? (q.get('env') ?? '') : String((req.body as { env?: string })?.env ?? '');
    const a = this.alarms.find((x) => x.environment === env && x.name === name);
    if (!a) {
      return apiError(404, 'not_found', `no alarm "${name}" in ${env}`);
    }
    const key = `${env}/${name}`;
    if (m[2] === 'history' && req.method === 'GET') {
      return { body: { items: this.history[key] ?? [] } };
    }
    if (req.method !== 'POST') {
      return null;
    }
    if (this.refuse) {
      return this.refuse;
    }
    const entry = (kind: string, summary: string) =>
      (this.history[key] = [
        { time: '2026-11-28T10:01:00.000Z', kind, summary, from: '', to: '', actor: 'admin@example.com' },
        ...(this.history[key] ?? []),
      ]);
    if (m[2] === 'mute') {
      a.muted = true;
      entry('Mute', 'Notifications muted until the alarm is resolved');
      return { body: a };
    }
    if (a.state !== 'ALARM') {
      return apiError(
        409,
        'failed_precondition',
        `alarm "${name}" in ${env} is ${a.state}, not ALARM: nothing to acknowledge`,
      );
    }
    a.acknowledged_by = 'admin@example.com';
    entry('Acknowledge', 'Alarm acknowledged');
    return { body: a };
  }
}

// The "Incidents" part of the in-memory REST stand-in (docs/api.md): open, list (status, env,
// severity, cursor), read with the timeline, acknowledge, assign, notes, forward-only status and
// resolve, with the server's refusals (409 when resolved, 400 naming the field).

import { SEVERITIES, type Incident, type IncidentStatus, type Severity } from '../api/types';
import { apiError, type Answer, type Recorded } from './fakeFetch';

const LEVELS: Record<Severity, [string, number, string]> = {
  P1: ['Critical', 15, 'Immediate page'],
  P2: ['High', 60, 'Manager notification'],
  P3: ['Medium', 240, 'Next business day'],
  P4: ['Low', 10080, 'Sprint planning'],
};
const ORDER: IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const NOW = '2026-11-28T10:00:00.000Z';
const ACTOR = 'admin@example.com';

export function incident(id: string, over: Partial<Incident> = {}): Incident {
  const severity = over.severity ?? 'P2';
  const [label, minutes, escalation] = LEVELS[severity];
  return {
    id,
    severity,
    severity_label: label,
    response_time_minutes: minutes,
    escalation,
    title: `Incident ${id}`,
    environment: 'dev',
    service: 'EC2 Manager API',
    description: '',
    status: 'investigating',
    commander: null,
    opened_by: ACTOR,
    opened_at: '2026-11-28T09:00:00.000Z',
    acknowledged_by: null,
    acknowledged_at: null,
    escalated_at: null,
    resolved_by: null,
    resolved_at: null,
    root_cause: '',
    resolution: '',
    postmortem_url: '',
    alarm: null,
    episode: null,
    timeline: [{ at: '2026-11-28T09:00:00.000Z', kind: 'opened', actor: ACTOR, text: `${severity} incident opened` }],
    ...over,
  };
}

const ROUTE = /^\/api\/v1\/incidents\/([^/]+)(?:\/(ack|assign|notes|status|resolve))?$/;

export class IncidentsBackend {
  /** Newest first. */
  incidents: Incident[] = [
    incident('2026-1128-002', { severity: 'P1', title: 'Checkout errors', environment: 'prod' }),
    incident('2026-1128-001', {
      severity: 'P3',
      title: 'Slow dashboards',
      status: 'resolved',
      resolved_by: ACTOR,
      resolved_at: '2026-11-28T09:30:00.000Z',
      duration_minutes: 30,
      root_cause: 'cold cache',
      resolution: 'warmed it',
    }),
  ];
  private sequence = 2;

  handle(req: Recorded): Answer | null {
    const path = req.url.pathname;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (path === '/api/v1/incidents') {
      return req.method === 'POST' ? this.open(body) : this.list(req.url.searchParams);
    }
    const m = path.match(ROUTE);
    if (!m) {
      return null;
    }
    const i = this.incidents.find((x) => x.id === decodeURIComponent(m[1]!));
    if (!i) {
      return apiError(404, 'not_found', `incident ${m[1]} not found`);
    }
    if (!m[2]) {
      return { body: i };
    }
    const refusal = this.act(i, m[2], body);
    return refusal ?? { body: i };
  }

  private list(q: URLSearchParams): Answer {
    const status = q.get('status') ?? 'all';
    const env = q.get('env') ?? '';
    const severity = q.get('severity') ?? '';
    const limit = Number(q.get('limit') ?? 100);
    const from = Number(q.get('cursor') ?? 0);
    const matching = this.incidents.filter(
      (i) =>
        (status === 'all' || (status === 'open') === (i.status !== 'resolved')) &&
        (!env || i.environment === env) &&
        (!severity || i.severity === severity),
    );
    const items = matching.slice(from, from + limit).map(({ timeline: _t, ...rest }) => rest);
    const next = from + limit < matching.length ? String(from + limit) : null;
    return { body: { items, next_cursor: next } };
  }

  private open(body: Record<string, unknown>): Answer {
    const severity = String(body.severity ?? '');
    if (!SEVERITIES.includes(severity as Severity)) {
      return apiError(
        400,
        'invalid_argument',
        `request body: $.severity: expected P1, P2, P3 or P4, got "${severity}"`,
      );
    }
    if (!body.title) {
      return apiError(400, 'invalid_argument', 'request body: $.title: required');
    }
    this.sequence += 1;
    const id = `2026-1128-${String(this.sequence).padStart(3, '0')}`;
    const opened = incident(id, {
      severity: severity as Severity,
      title: String(body.title),
      environment: String(body.environment),
      service: String(body.service || 'EC2 Manager API'),
      description: String(body.description || body.title),
      opened_at: NOW,
      timeline: [{ at: NOW, kind: 'opened', actor: ACTOR, text: `${severity} incident opened: ${body.title}` }],
    });
    this.incidents.unshift(opened);
    return { status: 201, body: opened };
  }

  /** Changes `i` as the server would; an answer only for a refusal. */
  private act(i: Incident, verb: string, body: Record<string, unknown>): Answer | null {
    const entry = (kind: string, text: string) => i.timeline?.push({ at: NOW, kind, actor: ACTOR, text });
    const resolved = () => apiError(409, 'failed_precondition', `incident ${i.id} is resolved`);
    if (verb === 'notes') {
      entry('note', String(body.text));
      return null;
    }
    if (i.status === 'resolved') {
      return resolved();
    }
    switch (verb) {
      case 'ack':
        if (i.acknowledged_at) {
          return apiError(409, 'failed_precondition', `incident ${i.id} was acknowledged by ${i.acknowledged_by}`);
        }
        Object.assign(i, { acknowledged_by: ACTOR, acknowledged_at: NOW });
        entry('acknowledged', 'acknowledged after 1 hour');
        return null;
      case 'assign': {
        const handle = String(body.commander).replace(/^@/, '');
        i.commander = handle;
        entry('commander', `incident commander: @${handle}`);
        return null;
      }
      case 'status': {
        const to = String(body.status) as IncidentStatus;
        if (ORDER.indexOf(to) <= ORDER.indexOf(i.status)) {
          return apiError(409, 'failed_precondition', `incident ${i.id}: cannot go from ${i.status} to ${to}`);
        }
        entry('status', `status: ${i.status} → ${to}`);
        i.status = to;
        return null;
      }
      case 'resolve':
        if (!body.root_cause || !body.resolution) {
          return apiError(400, 'invalid_argument', 'request body: $.root_cause: required');
        }
        Object.assign(i, {
          status: 'resolved',
          resolved_by: ACTOR,
          resolved_at: NOW,
          duration_minutes: 60,
          root_cause: body.root_cause,
          resolution: body.resolution,
          postmortem_url: body.postmortem_url ?? '',
        });
        entry('resolved', `resolved after 1 hour: root cause: ${body.root_cause}`);
        return null;
    }
    return apiError(404, 'not_found', `no route ${verb}`);
  }
}

// The "Releases and deployments" part of the in-memory REST stand-in (docs/api.md): releases with
// their deployments, create, read, approve (moves on once enough approvals are in), reject (a
// comment is required), abort, and a deployment that moves one step further each time it is read.
// `withDeployments` hands it a Backend's requests first (openApp's setup).

import type { Deployment, DeploymentState, Release } from '../api/types';
import type { Backend } from './backend';
import { apiError, type Answer, type Recorded } from './fakeFetch';

const NOW = '2026-11-28T12:30:00Z';
const ACTOR = 'admin@example.com';
/** Each read of a moving deployment answers it, then moves it to the next of these. */
const STEPS: DeploymentState[] = [
  'queued',
  'launching',
  'health_check',
  'stabilizing',
  'switching',
  'watching',
  'retiring',
  'succeeded',
];

export function release(id: string, over: Partial<Release> = {}): Release {
  return {
    id,
    group: 'web',
    environment: 'dev',
    image: `ami-0${id.slice(2)}abc`,
    user_data: null,
    commit: `c0ffee${id.slice(2)}`,
    branch: 'main',
    author: 'alice@example.com',
    workflow_url: '',
    created_at: `2026-11-2${id.slice(2)}T12:00:00Z`,
    deployments: [],
    ...over,
  };
}

export function deployment(id: string, release: string, environment: string, over: Partial<Deployment> = {}) {
  const d: Deployment = {
    id,
    release,
    environment,
    group: 'web',
    state: 'succeeded',
    author: 'alice@example.com',
    promoted_from: '',
    emergency: '',
    emergency_reason: '',
    required_approvals: environment === 'prod' ? 1 : 0,
    approvals: [],
    rejected_by: '',
    window: environment === 'prod' ? 'sun 02:00–06:00 America/Los_Angeles' : '',
    window_opens_at: '',
    change_set: `cs-${environment}-${id.slice(2)}`,
    blue: ['i-0aa1'],
    green: ['i-0bb1'],
    reason: '',
    trigger: null,
    baseline: null,
    comparison: null,
    created_at: '2026-11-28T12:00:00Z',
    started_at: '2026-11-28T12:00:01Z',
    finished_at: '2026-11-28T12:10:00Z',
    events: [{ at: '2026-11-28T12:00:01Z', state: 'launching', message: 'launching 1 green instance' }],
    version: 1,
    ...over,
  };
  return d;
}

/** An infrastructure change held for approval: a provision that turns approval off. */
export function infrastructureChange(id: string, environment: string, over: Partial<Deployment> = {}) {
  return deployment(id, '', environment, {
    kind: 'infrastructure',
    group: '',
    state: 'awaiting_approval',
    author: 'alice@example.com',
    required_approvals: 1,
    change_set: '',
    blue: [],
    green: [],
    started_at: '',
    finished_at: '',
    infrastructure: {
      action: 'provision',
      config_version: 'c0ffee123456',
      config_text_hidden: true,
      target: '',
      allow_delete_retained: false,
      plan: 'Plan for prod: 1 to create, 0 to update, 0 to replace, 0 to delete, 7 unchanged.\n+ create InstanceWeb2',
      summary: { create: 1 },
      lowers: ['approval.required true → false'],
    },
    events: [{ at: '2026-11-28T12:00:00Z', state: 'queued', message: 'alice@example.com requested provision of prod' }],
    ...over,
  });
}

const ROUTE = /^\/api\/v1\/deployments\/([^/]+)(?:\/(approve|reject|abort))?$/;

export class DeploymentsBackend {
  /** Newest first. */
  releases: Release[] = [release('r-3'), release('r-2'), release('r-1')];
  deployments: Deployment[] = [
    deployment('d-9', 'r-3', 'prod', { state: 'awaiting_approval', promoted_from: 'd-8', finished_at: '' }),
    deployment('d-8', 'r-3', 'staging', { promoted_from: 'd-7' }),
    deployment('d-7', 'r-3', 'dev'),
    deployment('d-6', 'r-2', 'prod', {
      state: 'rolled_back',
      reason: 'rollback trigger latency: Latency average 480 ms > 2 × baseline 120 ms for 3 of 3 periods',
      trigger: {
        name: 'latency',
        message: 'Latency average 480 ms > 2 × baseline 120 ms for 3 of 3 periods',
        values: [470, 480, 490],
        threshold: 240,
      },
      baseline: { latency_ms: 120, requests_per_minute: 600, error_rate: 0.5 },
      comparison: { latency_ms: 480, requests_per_minute: 590, error_rate: null },
      approvals: [{ by: 'bob@example.com', at: '2026-11-28T11:00:00Z', comment: 'ok' }],
      events: [
        { at: '2026-11-28T12:00:01Z', state: 'launching', message: 'launching 1 green instance' },
        { at: '2026-11-28T12:05:00Z', state: 'rolling_back', message: 'latency trigger fired' },
        { at: '2026-11-28T12:06:00Z', state: 'rolled_back', message: 'traffic back on blue' },
      ],
    }),
    deployment('d-5', 'r-2', 'staging'),
    deployment('d-4', 'r-2', 'dev'),
    deployment('d-2', 'r-1', 'dev'),
    deployment('d-1', 'r-1', 'dev', { state: 'failed', reason: 'green failed its health check' }),
  ];

  /** Infrastructure changes held for approval, newest first (GET /deployments?kind=infrastructure). */
  changes: Deployment[] = [infrastructureChange('d-10', 'prod')];

  handle(req: Recorded): Answer | null {
    const path = req.url.pathname;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (path === '/api/v1/releases') {
      return req.method === 'POST' ? this.createRelease(body) : { body: { items: this.releases.map(this.withRefs) } };
    }
    if (path === '/api/v1/deployments') {
      if (req.method === 'POST') {
        return this.deploy(body);
      }
      const kind = req.url.searchParams.get('kind');
      return { body: { items: kind === 'infrastructure' ? this.changes : this.deployments } };
    }
    const m = path.match(ROUTE);
    if (!m) {
      return null;
    }
    const id = decodeURIComponent(m[1]!);
    const d = this.deployments.find((x) => x.id === id) ?? this.changes.find((x) => x.id === id);
    if (!d) {
      return apiError(404, 'not_found', `deployment ${m[1]} not found`);
    }
    if (!m[2]) {
      const answer = { body: structuredClone(d) };
      this.advance(d);
      return answer;
    }
    return this.act(d, m[2], body) ?? { body: d };
  }

  private withRefs = (r: Release): Release => ({
    ...r,
    deployments: this.deployments
      .filter((d) => d.release === r.id)
      .map(({ id, environment, state }) => ({ id, environment, state })),
  });

  private advance(d: Deployment) {
    const at = STEPS.indexOf(d.state);
    if (at >= 0 && at < STEPS.length - 1) {
      d.state = STEPS[at + 1]!;
      d.events.push({ at: NOW, state: d.state, message: `now ${d.state}` });
    }
  }

  private createRelease(body: Record<string, unknown>): Answer {
    if (!body.group || !body.env) {
      return apiError(400, 'invalid_argument', `request body: $.${body.group ? 'env' : 'group'}: required`);
    }
    const r = release(`r-${this.releases.length + 1}`, {
      group: String(body.group),
      environment: String(body.env),
      image: String(body.image ?? ''),
      user_data: typeof body.user_data === 'string' ? body.user_data : null,
      commit: String(body.commit ?? ''),
      branch: String(body.branch ?? ''),
      author: ACTOR,
      created_at: NOW,
    });
    this.releases.unshift(r);
    return { status: 201, body: r };
  }

  private deploy(body: Record<string, unknown>): Answer {
    const r = this.releases.find((x) => x.id === body.release);
    if (!r) {
      return apiError(404, 'not_found', `release ${String(body.release)} not found`);
    }
    const env = String(body.env);
    const d = deployment(`d-${this.deployments.length + 2}`, r.id, env, {
      group: String(body.group),
      state: env === 'prod' ? 'awaiting_approval' : 'queued',
      author: ACTOR,
      emergency: (body.emergency as Deployment['emergency']) ?? '',
      emergency_reason: String(body.emergency_reason ?? ''),
      created_at: NOW,
      started_at: '',
      finished_at: '',
      events: [],
    });
    this.deployments.unshift(d);
    return { status: 201, body: d };
  }

  /** Changes `d` as the server would; an answer only for a refusal. */
  private act(d: Deployment, verb: string, body: Record<string, unknown>): Answer | null {
    const comment = String(body.comment ?? '').trim();
    if (verb === 'abort') {
      if (STEPS.indexOf(d.state) < 0 && d.state !== 'awaiting_approval') {
        return apiError(409, 'failed_precondition', `deployment ${d.id} is ${d.state}`);
      }
      Object.assign(d, { state: 'aborted', reason: `aborted by ${ACTOR}`, finished_at: NOW });
      return null;
    }
    if (d.state !== 'awaiting_approval') {
      return apiError(409, 'failed_precondition', `deployment ${d.id} is ${d.state}, not awaiting_approval`);
    }
    if (verb === 'reject') {
      if (!comment) {
        return apiError(400, 'invalid_argument', 'request body: $.comment: required to reject');
      }
      Object.assign(d, { state: 'rejected', rejected_by: ACTOR, reason: `rejected by ${ACTOR}: ${comment}` });
      return null;
    }
    d.approvals.push({ by: ACTOR, at: NOW, comment });
    if (d.approvals.length >= d.required_approvals && d.kind === 'infrastructure') {
      d.state = 'applying';
    } else if (d.approvals.length >= d.required_approvals) {
      d.state = 'launching';
      d.events.push({ at: NOW, state: 'launching', message: 'approved; launching 1 green instance' });
    }
    return null;
  }
}

/** Makes `b` answer the deployment routes too (call it in openApp's setup, before the fetch). */
export function withDeployments(b: Backend, deployments = new DeploymentsBackend()): DeploymentsBackend {
  const rest = b.handle;
  b.handle = (req) => deployments.handle(req) ?? rest(req);
  return deployments;
}

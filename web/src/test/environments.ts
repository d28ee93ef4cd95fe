// The "Environments as code" part of the in-memory REST stand-in (docs/api.md): plans, change
// sets that apply one journal step each time they are read, rollback (prod wants ROLLBACK),
// status, drift and the lock. Backend hands it every /api/v1/environments/{env}/... request.

import type { ChangeSet, DriftReport, EnvironmentStatus, LockState, Plan, PlanChange } from '../api/types';
import { apiError, type Answer, type Recorded } from './fakeFetch';

export function change(logical_id: string, over: Partial<PlanChange> = {}): PlanChange {
  return {
    action: 'create',
    logical_id,
    type: 'AWS::EC2::Instance',
    name: `ec2m-${logical_id.toLowerCase()}`,
    physical_id: '',
    properties: [],
    reason: '',
    destructive: false,
    refused: false,
    ...over,
  };
}

export function plan(environment: string, changes: PlanChange[], unchanged = 3): Plan {
  const count = (a: PlanChange['action']) => changes.filter((c) => c.action === a).length;
  return {
    environment,
    changes,
    summary: {
      create: count('create'),
      update: count('update'),
      replace: count('replace'),
      delete: count('delete'),
      unchanged,
      refused: changes.some((c) => c.refused),
    },
  };
}

export function changeset(environment: string, number: number, over: Partial<ChangeSet> = {}): ChangeSet {
  const minute = String(number % 60).padStart(2, '0');
  return {
    id: `cs-${environment}-${number}`,
    environment,
    number,
    config_version: `abc${number}`.padEnd(12, '0'),
    author: 'admin@example.com',
    created_at: `2025-09-14T10:${minute}:00Z`,
    status: 'succeeded',
    started_at: `2025-09-14T10:${minute}:01Z`,
    finished_at: `2025-09-14T10:${minute}:05Z`,
    duration_ms: 4200,
    result: 'applied 1 change',
    rollback_of: null,
    summary: { create: 1, update: 0, replace: 0, delete: 0, unchanged: 2 },
    journal: [],
    plan: plan(environment, [change('Web')]),
    config_text: `{"environment": "${environment}", "n": ${number}}`,
    ...over,
  };
}

function status(environment: string): EnvironmentStatus {
  const check = (category: string) => ({ category, status: 'HEALTHY' as const, summary: 'all good', details: [] });
  return {
    environment,
    status: 'HEALTHY',
    checks: ['infrastructure', 'application', 'monitoring', 'security'].map(check),
    drift: 0,
  };
}

const ROUTE =
  /^\/api\/v1\/environments\/([^/]+)\/(config|plan|provision|rollback|status|drift|lock|changesets)(?:\/(.+))?$/;

export class EnvironmentsBackend {
  /** What a plan (and provision) of each environment's current config finds to do. */
  plans: Record<string, Plan> = {
    dev: plan('dev', [change('Web'), change('Db', { action: 'update', physical_id: 'i-db' })]),
    prod: plan('prod', [change('Web')]),
  };
  /** Newest first. */
  changesets: Record<string, ChangeSet[]> = {
    dev: [changeset('dev', 2), changeset('dev', 1)],
    prod: [changeset('prod', 2), changeset('prod', 1)],
  };
  locks: Record<string, LockState> = {};
  /** Environments whose config requires approval: provision and rollback answer a held deployment. */
  twoPersons = new Set<string>();
  statuses: Record<string, EnvironmentStatus> = { dev: status('dev'), prod: status('prod') };
  drifts: Record<string, DriftReport> = {};

  handle(req: Recorded): Answer | null {
    const m = req.url.pathname.match(ROUTE);
    if (!m) {
      return null;
    }
    const env = decodeURIComponent(m[1]!);
    if (!(env in this.statuses)) {
      return apiError(404, 'not_found', `no environment named "${env}"`);
    }
    const what = `${req.method} ${m[2]}${m[3] ? '/id' : ''}`;
    const body = (req.body ?? {}) as Record<string, unknown>;
    switch (what) {
      case 'GET config': {
        const applied = this.changesets[env]?.find((c) => c.status === 'succeeded');
        return {
          body: {
            environment: env,
            text: applied?.config_text ?? `{"environment": "${env}"}`,
            version: applied?.config_version ?? 'f00dfeed0000',
            applied_change_set: applied?.id ?? null,
          },
        };
      }
      case 'POST plan':
        return { body: { plan: this.plans[env], rendered: '', config_version: 'f00dfeed0000' } };
      case 'POST provision':
        return this.twoPersons.has(env) ? this.held(env, 'provision') : this.start(env, this.plans[env]!, null);
      case 'POST rollback':
        return this.rollback(env, body);
      case 'GET status':
        return { body: this.statuses[env] };
      case 'GET drift':
        return { body: this.drifts[env] ?? { environment: env, drifted: 0, items: [] } };
      case 'GET lock':
        return { body: this.locks[env] ?? { locked: false } };
      case 'DELETE lock': {
        const held = this.locks[env];
        delete this.locks[env];
        return { body: held?.locked ? { released: true, owner: held.owner } : { released: false } };
      }
      case 'GET changesets':
        return this.list(env, req.url.searchParams);
      case 'GET changesets/id': {
        const cs = this.changesets[env]?.find((c) => c.id === decodeURIComponent(m[3]!));
        return cs ? { body: this.step(cs) } : apiError(404, 'not_found', `no change set ${m[3]}`);
      }
    }
    return apiError(404, 'not_found', `no route ${what}`);
  }

  private list(env: string, q: URLSearchParams): Answer {
    const limit = Number(q.get('limit') ?? 20);
    const before = Number(q.get('before') ?? 0);
    const older = (this.changesets[env] ?? []).filter((c) => before <= 0 || c.number < before);
    const items = older.slice(0, limit).map(({ plan: _p, config_text: _t, ...rest }) => rest);
    const more = older.length > limit;
    return { body: { items, next_cursor: more ? String(items.at(-1)!.number) : null } };
  }

  /** The answer of a change held for approval: no change set, the deployment that holds it. */
  private held(env: string, action: 'provision' | 'rollback'): Answer {
    const p = this.plans[env]!;
    return {
      status: 202,
      body: {
        plan: { summary: p.summary },
        rendered: '',
        config_version: 'f00dfeed0000',
        changeset: null,
        deployment: { id: 'd-41', kind: 'infrastructure', environment: env, state: 'queued', action },
      },
    };
  }

  private rollback(env: string, body: Record<string, unknown>): Answer {
    if (env === 'prod' && body.confirm !== 'ROLLBACK') {
      return apiError(400, 'invalid_argument', 'rollback of prod needs "confirm": "ROLLBACK"');
    }
    if (this.twoPersons.has(env)) {
      return this.held(env, 'rollback');
    }
    const target = String(body.target);
    const all = this.changesets[env] ?? [];
    const to =
      target === 'previous' ? all.filter((c) => c.status === 'succeeded')[1] : all.find((c) => c.id === target);
    const restore = to ?? all.at(-1);
    return this.start(env, plan(env, [change('Web', { action: 'update', physical_id: 'i-web' })]), restore?.id ?? null);
  }

  /** A new change set, applying: each read of it adds one journal step, then it succeeds. */
  private start(env: string, p: Plan, rollbackOf: string | null): Answer {
    if (this.locks[env]?.locked) {
      return apiError(409, 'failed_precondition', `environment ${env} is locked by ${this.locks[env]?.owner}`);
    }
    const all = (this.changesets[env] ??= []);
    const cs = changeset(env, (all[0]?.number ?? 0) + 1, {
      status: 'applying',
      finished_at: '',
      duration_ms: 0,
      result: '',
      rollback_of: rollbackOf,
      summary: p.summary,
      plan: p,
    });
    all.unshift(cs);
    this.locks[env] = {
      locked: true,
      owner: `admin@example.com (${cs.id})`,
      acquired_at: cs.created_at,
      age_seconds: 1,
    };
    return { status: 202, body: { changeset: cs, plan: p, rendered: '' } };
  }

  private step(cs: ChangeSet): ChangeSet {
    if (cs.status !== 'applying') {
      return cs;
    }
    const journal = cs.journal ?? [];
    const next = cs.plan?.changes[journal.length];
    if (next) {
      const physical = next.physical_id || `i-new${journal.length + 1}`;
      cs.journal = [
        ...journal,
        {
          logical_id: next.logical_id,
          action: next.action,
          status: 'done',
          physical_id: physical,
          error: '',
          at: cs.started_at,
        },
      ];
      return cs;
    }
    Object.assign(cs, {
      status: 'succeeded',
      finished_at: '2025-09-14T11:00:00Z',
      duration_ms: 2500,
      result: `applied ${journal.length} changes`,
    });
    delete this.locks[cs.environment];
    return cs;
  }
}

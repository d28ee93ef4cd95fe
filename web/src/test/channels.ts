// The "Notifications" part of the in-memory REST stand-in (docs/api.md): channels (secrets
// masked in answers, 409 for a taken name), test notifications, and the deliveries newest first.

import type { Channel, Delivery } from '../api/types';
import { apiError, type Answer, type Recorded } from './fakeFetch';

export function delivery(id: string, over: Partial<Delivery> = {}): Delivery {
  return {
    id,
    channel: 'ops-slack',
    kind: 'alarm',
    environment: 'dev',
    severity: 'critical',
    title: 'ALARM: High Error Rate in dev',
    state: 'delivered',
    attempts: 1,
    last_error: '',
    enqueued_at: '2026-11-28T09:50:00.000Z',
    updated_at: '2026-11-28T09:50:01.000Z',
    next_attempt_at: null,
    finished_at: '2026-11-28T09:50:01.000Z',
    ...over,
  };
}

const mask = (s: string | undefined) => (s === undefined ? undefined : s.length < 8 ? '****' : `****${s.slice(-4)}`);

export class ChannelsBackend {
  channels: Channel[] = [
    {
      name: 'ops-slack',
      type: 'slack',
      url: 'https://hooks.slack.com/****',
      filter: { kinds: ['alarm', 'incident'] },
      created_at: '2026-11-27T10:00:00Z',
      created_by: 'admin@example.com',
    },
  ];
  /** Newest first. */
  deliveries: Delivery[] = [
    delivery('n-2', {
      state: 'failed',
      attempts: 5,
      last_error: 'POST https://hooks.slack.com/****: 500',
      finished_at: '2026-11-28T09:55:00.000Z',
    }),
    delivery('n-1'),
  ];
  private tests = 0;

  handle(req: Recorded): Answer | null {
    const path = req.url.pathname;
    if (path === '/api/v1/notifications' && req.method === 'GET') {
      const state = req.url.searchParams.get('state') ?? '';
      return { body: { items: this.deliveries.filter((d) => !state || d.state === state), next_cursor: null } };
    }
    if (path === '/api/v1/channels') {
      return req.method === 'POST'
        ? this.create(req.body as Channel)
        : { body: { items: this.channels, next_cursor: null } };
    }
    const m = path.match(/^\/api\/v1\/channels\/([^/]+)(\/test)?$/);
    if (!m) {
      return null;
    }
    const name = decodeURIComponent(m[1]!);
    const c = this.channels.find((x) => x.name === name);
    if (!c) {
      return apiError(404, 'not_found', `no channel "${name}"`);
    }
    if (m[2] && req.method === 'POST') {
      this.tests += 1;
      const id = `n-test-${this.tests}`;
      this.deliveries.unshift(
        delivery(id, {
          channel: name,
          kind: 'test',
          environment: '',
          severity: 'info',
          title: `ec2m test notification for channel ${name}`,
          state: 'pending',
          attempts: 0,
          finished_at: null,
          next_attempt_at: '2026-11-28T10:00:05.000Z',
        }),
      );
      return { status: 202, body: { id, channel: name } };
    }
    if (!m[2] && req.method === 'DELETE') {
      this.channels = this.channels.filter((x) => x !== c);
      return { status: 204 };
    }
    return null;
  }

  private create(body: Channel): Answer {
    if (this.channels.some((c) => c.name === body.name)) {
      return apiError(409, 'already_exists', `channel "${body.name}" already exists`);
    }
    if (body.type === 'webhook' && (body.secret ?? '').length < 16) {
      return apiError(
        400,
        'invalid_argument',
        `request body: $.secret: expected at least 16 characters, got ${(body.secret ?? '').length}`,
      );
    }
    const stored: Channel = {
      ...body,
      ...(body.secret !== undefined ? { secret: mask(body.secret) } : {}),
      ...(body.token !== undefined ? { token: mask(body.token) } : {}),
      ...(body.password !== undefined ? { password: mask(body.password) } : {}),
      created_at: '2026-11-28T10:00:00Z',
      created_by: 'admin@example.com',
    };
    this.channels.push(stored);
    return { status: 201, body: stored };
  }
}

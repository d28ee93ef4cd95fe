import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, apiError } from '../test/fakeFetch';
import { ApiClient, withQuery } from './client';
import { ApiError, errorFromResponse, parseRetryAfter } from './errors';
import { memoryTokenStore } from './session';

function client(handler: Parameters<typeof fakeFetch>[0], token: string | null = 'tok') {
  const f = fakeFetch(handler);
  const tokens = memoryTokenStore(token);
  const onUnauthenticated = vi.fn();
  const api = new ApiClient({ tokens, fetch: f.fetch, onUnauthenticated });
  return { api, tokens, onUnauthenticated, calls: f.calls };
}

describe('errorFromResponse', () => {
  it('reads the contract error body', () => {
    const e = errorFromResponse(
      404,
      'Not Found',
      '{"error":{"code":"not_found","message":"instance i-1 not found in dev","request_id":"r9"}}',
      'hdr',
    );
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.requestId]).toEqual([
      404,
      'not_found',
      'instance i-1 not found in dev',
      'r9',
    ]);
  });

  it('takes the request id from the header when the body has none', () => {
    const e = errorFromResponse(409, '', '{"error":{"code":"failed_precondition","message":"protected"}}', 'hdr-7');
    expect(e.requestId).toBe('hdr-7');
    expect(e.code).toBe('failed_precondition');
  });

  it('guesses the code from the status for a body that is not the contract', () => {
    const html = errorFromResponse(502, 'Bad Gateway', '<html><body>nginx</body></html>', null);
    expect(html.code).toBe('internal');
    expect(html.message).toBe('HTTP 502 Bad Gateway');
    const text = errorFromResponse(503, 'Service Unavailable', 'store is down', null);
    expect(text.code).toBe('unavailable');
    expect(text.message).toBe('HTTP 503 Service Unavailable: store is down');
    const other = errorFromResponse(418, '', '{"oops":1}', null);
    expect(other.code).toBe('invalid_argument');
  });

  it('keeps Retry-After and marks a throttled sign-in and a session without MFA', () => {
    const slowed = errorFromResponse(
      429,
      '',
      '{"error":{"code":"throttled","message":"too many sign-in attempts: try again in 8 s"}}',
      null,
      parseRetryAfter('8'),
    );
    expect([slowed.throttled, slowed.retryAfter, slowed.needsOtp]).toEqual([true, 8, false]);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeNull();
    const mfa = errorFromResponse(
      403,
      '',
      '{"error":{"code":"permission_denied","message":"... need an MFA-verified session: enrol MFA"}}',
      null,
    );
    expect([mfa.needsMfaSession, mfa.throttled, mfa.retryAfter]).toEqual([true, false, null]);
  });

  it('marks the sign-in refusal that asks for a code', () => {
    expect(
      errorFromResponse(401, '', '{"error":{"code":"unauthenticated","message":"otp: code required"}}', null).needsOtp,
    ).toBe(true);
    expect(
      errorFromResponse(401, '', '{"error":{"code":"unauthenticated","message":"wrong password"}}', null).needsOtp,
    ).toBe(false);
  });
});

describe('ApiClient.request', () => {
  it('sends the bearer token and JSON body', async () => {
    const { api, calls } = client(() => ({ body: { ok: true } }));
    await api.request('POST', '/api/v1/x', { body: { a: 1 } });
    expect(calls[0]?.headers.Authorization).toBe('Bearer tok');
    expect(calls[0]?.headers['Content-Type']).toBe('application/json');
    expect(calls[0]?.body).toEqual({ a: 1 });
  });

  it('sends no Authorization header without a token', async () => {
    const { api, calls } = client(() => ({ body: {} }), null);
    await api.request('GET', '/api/v1/x');
    expect(calls[0]?.headers.Authorization).toBeUndefined();
  });

  it('throws ApiError with the parsed body', async () => {
    const { api } = client(() => apiError(403, 'permission_denied', 'operator role needed in prod'));
    await expect(api.request('GET', '/api/v1/x')).rejects.toMatchObject({
      status: 403,
      code: 'permission_denied',
      message: 'operator role needed in prod',
      requestId: 'req-1',
    });
  });

  it('on 401 clears the token and reports it once', async () => {
    const { api, tokens, onUnauthenticated } = client(() => apiError(401, 'unauthenticated', 'session expired'));
    await expect(api.request('GET', '/api/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(tokens.get()).toBeNull();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('reads Retry-After from the answer', async () => {
    const { api } = client(() => ({
      ...apiError(429, 'throttled', 'too many sign-in attempts: try again in 3 s'),
      headers: { 'Retry-After': '3' },
    }));
    await expect(api.login('a@b', 'pw')).rejects.toMatchObject({ status: 429, retryAfter: 3 });
  });

  it('a 401 for a token replaced meanwhile does not end the new session', async () => {
    let answer: () => void = () => {};
    const { api, tokens, onUnauthenticated } = client(
      () =>
        new Promise((resolve) => {
          answer = () => resolve(apiError(401, 'unauthenticated', 'the session ended'));
        }),
    );
    const old = api.request('GET', '/api/v1/me');
    tokens.set('tok-new'); // a password change answered in between
    answer();
    await expect(old).rejects.toMatchObject({ status: 401 });
    expect(tokens.get()).toBe('tok-new');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('does not treat errors other than 401 as a lost session', async () => {
    const { api, tokens, onUnauthenticated } = client(() => apiError(403, 'permission_denied', 'no'));
    await expect(api.request('GET', '/api/v1/users')).rejects.toBeInstanceOf(ApiError);
    expect(tokens.get()).toBe('tok');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('turns a network failure into unavailable', async () => {
    const api = new ApiClient({
      tokens: memoryTokenStore('t'),
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(api.request('GET', '/api/v1/me')).rejects.toMatchObject({
      status: 0,
      code: 'unavailable',
      message: 'cannot reach the server (Failed to fetch)',
    });
  });

  it('returns undefined for 204', async () => {
    const { api } = client(() => ({ status: 204 }));
    await expect(api.request('DELETE', '/api/v1/users/a')).resolves.toBeUndefined();
  });

  it('rejects a 200 whose body is not JSON', async () => {
    const { api } = client(() => ({ text: '<html>' }));
    await expect(api.request('GET', '/api/v1/me')).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('sign-in and sign-out', () => {
  it('keeps the token from a successful login', async () => {
    const { api, tokens, calls } = client(
      () => ({ body: { token: 'new', expires_at: 'x', user: { email: 'a@b' } } }),
      null,
    );
    await api.login('a@b', 'pw', '123456');
    expect(tokens.get()).toBe('new');
    expect(calls[0]?.body).toEqual({ email: 'a@b', password: 'pw', otp: '123456' });
  });

  it('leaves otp out when none is given', async () => {
    const { api, calls } = client(() => ({ body: { token: 't', expires_at: 'x', user: {} } }), null);
    await api.login('a@b', 'pw');
    expect(calls[0]?.body).toEqual({ email: 'a@b', password: 'pw' });
  });

  it('a refused login is an error, not a lost session', async () => {
    const { api, onUnauthenticated } = client(() => apiError(401, 'unauthenticated', 'otp: a code is required'), null);
    const err = await api.login('a@b', 'pw').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).needsOtp).toBe(true);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('logout forgets the token even when the server fails', async () => {
    const { api, tokens, calls } = client(() => apiError(500, 'internal', 'boom'));
    await expect(api.logout()).rejects.toBeInstanceOf(ApiError);
    expect(tokens.get()).toBeNull();
    expect(calls[0]?.url.pathname).toBe('/api/v1/auth/logout');
  });
});

describe("the signed-in user's password and MFA", () => {
  it('changing the password keeps the new session token', async () => {
    const { api, tokens, calls } = client(() => ({ body: { token: 'tok-2', expires_at: 'x' } }));
    await expect(api.changePassword('Old-Password-42', 'New-Password-42')).resolves.toEqual({
      token: 'tok-2',
      expires_at: 'x',
    });
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.url.pathname).toBe('/api/v1/me/password');
    expect(calls[0]?.body).toEqual({ current: 'Old-Password-42', new: 'New-Password-42' });
    expect(tokens.get()).toBe('tok-2');
  });

  it('a refused password change keeps the session', async () => {
    const { api, tokens, onUnauthenticated } = client(() =>
      apiError(403, 'permission_denied', 'current: the password is not right'),
    );
    await expect(api.changePassword('wrong', 'New-Password-42')).rejects.toMatchObject({ status: 403 });
    expect(tokens.get()).toBe('tok');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('sends the password, and the code only when given, to every MFA change', async () => {
    const { api, calls } = client(() => ({ body: { recovery_codes: [] } }));
    await api.enrollMfa('pw');
    await api.enrollMfa('pw', '123456');
    await api.regenerateRecoveryCodes('pw', '654321');
    await api.disableMfa('pw', 'rc-1');
    await api.resetUserMfa('a+b@example.com');
    expect(calls.map((c) => [c.method, c.url.pathname, c.body])).toEqual([
      ['POST', '/api/v1/me/mfa/enroll', { password: 'pw' }],
      ['POST', '/api/v1/me/mfa/enroll', { password: 'pw', otp: '123456' }],
      ['POST', '/api/v1/me/mfa/recovery-codes', { password: 'pw', otp: '654321' }],
      ['DELETE', '/api/v1/me/mfa', { password: 'pw', otp: 'rc-1' }],
      ['POST', '/api/v1/users/a%2Bb%40example.com/mfa/reset', undefined],
    ]);
  });
});

describe('cursor paging', () => {
  it('withQuery drops empty values', () => {
    expect(withQuery('/p', { env: '', state: 'running', limit: 100, q: undefined, z: null })).toBe(
      '/p?state=running&limit=100',
    );
    expect(withQuery('/p', {})).toBe('/p');
  });

  it('passes the cursor and reads next_cursor (empty string means the end)', async () => {
    const { api, calls } = client((req) =>
      req.url.searchParams.get('cursor') === 'c2'
        ? { body: { items: [{ id: 'i-3' }], next_cursor: '' } }
        : { body: { items: [{ id: 'i-1' }, { id: 'i-2' }], next_cursor: 'c2' } },
    );
    const first = await api.instances({ env: 'dev', limit: 2 }, null);
    expect(first.next_cursor).toBe('c2');
    expect(calls[0]?.url.search).toBe('?env=dev&limit=2');
    const second = await api.instances({ env: 'dev', limit: 2 }, first.next_cursor);
    expect(second).toEqual({ items: [{ id: 'i-3' }], next_cursor: null });
    expect(calls[1]?.url.searchParams.get('cursor')).toBe('c2');
  });

  it('rejects a list answer without items', async () => {
    const { api } = client(() => ({ body: [{ id: 'i-1' }] }));
    await expect(api.instances({}, null)).rejects.toMatchObject({ code: 'internal' });
  });

  it('pagesUpTo reads pages until it has the count, asking for that many at once', async () => {
    const pages: Record<string, { items: { id: string }[]; next_cursor: string | null }> = {
      '': { items: [{ id: 'a' }, { id: 'b' }], next_cursor: 'p2' },
      p2: { items: [{ id: 'c' }, { id: 'd' }], next_cursor: 'p3' },
      p3: { items: [{ id: 'e' }], next_cursor: null },
    };
    const { api, calls } = client((req) => ({ body: pages[req.url.searchParams.get('cursor') ?? ''] }));
    const got = await api.pagesUpTo('/api/v1/instances', { env: 'dev' }, 150);
    expect(calls[0]?.url.searchParams.get('limit')).toBe('150');
    expect(got.items.map((i) => (i as { id: string }).id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(got.next_cursor).toBeNull();
  });

  it('pagesUpTo stops once it has enough and keeps the cursor for Load more', async () => {
    const { api, calls } = client(() => ({ body: { items: [{ id: 'a' }], next_cursor: 'more' } }));
    const got = await api.pagesUpTo('/api/v1/instances', {}, 1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url.searchParams.get('limit')).toBe('100');
    expect(got.next_cursor).toBe('more');
  });
});

describe('paths', () => {
  it('encodes environment and instance id in action paths', async () => {
    const { api, calls } = client(() => ({ body: { id: 'i-1', previous_state: 'running', state: 'stopping' } }));
    await api.instanceAction('dev env', 'i-1', 'stop');
    expect(calls[0]?.url.pathname).toBe('/api/v1/instances/dev%20env/i-1/stop');
    expect(calls[0]?.method).toBe('POST');
  });

  it('bulk actions send env, action and ids and return the results', async () => {
    const { api, calls } = client(() => ({ body: { results: [{ id: 'i-1', ok: true, state: 'stopping' }] } }));
    const r = await api.bulkAction('dev', 'stop', ['i-1']);
    expect(calls[0]?.body).toEqual({ env: 'dev', action: 'stop', ids: ['i-1'] });
    expect(r).toEqual([{ id: 'i-1', ok: true, state: 'stopping' }]);
  });

  it('audit asks newest first', async () => {
    const { api, calls } = client(() => ({ body: { items: [], next_cursor: null } }));
    await api.audit(null);
    expect(calls[0]?.url.searchParams.get('order')).toBe('desc');
  });

  it('users reads every page', async () => {
    const { api, calls } = client((req) =>
      req.url.searchParams.get('cursor')
        ? { body: { items: [{ email: 'b' }], next_cursor: null } }
        : { body: { items: [{ email: 'a' }], next_cursor: 'n' } },
    );
    expect((await api.users()).map((u) => u.email)).toEqual(['a', 'b']);
    expect(calls).toHaveLength(2);
  });
});

describe('environments as code', () => {
  it('lists change sets by limit and before, keeping a number or string next_cursor as text', async () => {
    const { api, calls } = client((req) =>
      req.url.searchParams.get('before')
        ? { body: { items: [], next_cursor: null } }
        : { body: { items: [{ id: 'cs-dev-9', number: 9 }], next_cursor: 9 } },
    );
    expect((await api.changesets('dev', null)).next_cursor).toBe('9');
    expect((await api.changesets('dev', 9, 50)).next_cursor).toBeNull();
    expect(calls.map((c) => c.url.pathname + c.url.search)).toEqual([
      '/api/v1/environments/dev/changesets?limit=20',
      '/api/v1/environments/dev/changesets?limit=50&before=9',
    ]);
  });

  it('reads the change set provision started, as an object, an id or none', async () => {
    const answers = [{ changeset: { id: 'cs-dev-3' } }, { changeset: 'cs-dev-4' }, { changeset: null }];
    const { api, calls } = client(() => ({ status: 202, body: { ...answers.shift(), plan: null, rendered: '' } }));
    expect((await api.provision('dev')).changesetId).toBe('cs-dev-3');
    expect((await api.provision('dev')).changesetId).toBe('cs-dev-4');
    expect((await api.provision('dev')).changesetId).toBeNull();
    expect(calls[0]?.body).toEqual({});
  });

  it('sends confirm with a rollback only when given', async () => {
    const { api, calls } = client(() => ({ status: 202, body: { changeset: 'cs-prod-5', plan: null, rendered: '' } }));
    await api.rollback('prod', 'previous', 'ROLLBACK');
    await api.rollback('dev', 'cs-dev-1');
    expect(calls.map((c) => [c.url.pathname, c.body])).toEqual([
      ['/api/v1/environments/prod/rollback', { target: 'previous', confirm: 'ROLLBACK' }],
      ['/api/v1/environments/dev/rollback', { target: 'cs-dev-1' }],
    ]);
  });

  it('encodes the environment and change set id, and unlocks with DELETE', async () => {
    const { api, calls } = client(() => ({ body: {} }));
    await api.changeset('my env', 'cs-my env-1');
    await api.unlock('dev');
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'GET /api/v1/environments/my%20env/changesets/cs-my%20env-1',
      'DELETE /api/v1/environments/dev/lock',
    ]);
  });
});

describe('ApiClient: monitoring, incidents, notifications', () => {
  it('asks for alarms of one scope or all, and names an alarm in its path', async () => {
    const { api, calls } = client(() => ({ body: { items: [] } }));
    await api.alarms('');
    await api.alarms('ec2m', 'ALARM');
    await api.alarmHistory('dev', 'High Error Rate');
    await api.acknowledgeAlarm('dev', 'a/b');
    expect(calls.map((c) => `${c.method} ${c.url.pathname}${c.url.search}`)).toEqual([
      'GET /api/v1/alarms',
      'GET /api/v1/alarms?env=ec2m&state=ALARM',
      'GET /api/v1/alarms/High%20Error%20Rate/history?env=dev&limit=100',
      'POST /api/v1/alarms/a%2Fb/ack',
    ]);
    expect(calls[3]?.body).toEqual({ env: 'dev' });
  });

  it('says so when an alarms answer has no items', async () => {
    const { api } = client(() => ({ body: { alarms: [] } }));
    await expect(api.alarms('dev')).rejects.toThrow('unexpected answer for alarms: no items list');
  });

  it('pages incidents and notifications by cursor, leaving empty filters out', async () => {
    const { api, calls } = client(() => ({ body: { items: [], next_cursor: 'c2' } }));
    const page = await api.incidents({ status: 'open', severity: '', env: '' }, null);
    await api.incidents({ status: 'all', severity: 'P1', env: 'prod' }, 'c2', 10);
    await api.notifications('', null);
    expect(page.next_cursor).toBe('c2');
    expect(calls.map((c) => c.url.search)).toEqual([
      '?status=open&limit=50',
      '?status=all&severity=P1&env=prod&limit=10&cursor=c2',
      '?limit=50',
    ]);
  });

  it('reads a dashboard by name with its environment and range', async () => {
    const { api, calls } = client(() => ({ body: { panels: [] } }));
    await api.dashboard('operations', 'dev', 168);
    expect(`${calls[0]?.url.pathname}${calls[0]?.url.search}`).toBe('/api/v1/dashboards/operations?env=dev&hours=168');
  });
});

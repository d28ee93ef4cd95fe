// An in-memory stand-in for the REST API, as a fetch handler for the console's unit tests (the
// e2e tests run against the real `ec2m serve`). Only what the tests below need.

import type { Instance, ListedUser, User } from '../api/types';
import { ChannelsBackend } from './channels';
import { EnvironmentsBackend } from './environments';
import { apiError, type Answer, type Recorded } from './fakeFetch';
import { IncidentsBackend } from './incidents';
import { instance } from './instances';
import { MonitoringBackend } from './monitoring';
import { may, roleIn } from '../environments/roles';
import { isProtectedTag } from '../instances/tags';

export class Backend {
  token: string | null = null;
  instances: Instance[] = [instance('i-1'), instance('i-2'), instance('i-3', { env: 'prod', state: 'stopped' })];
  user: User = {
    email: 'admin@example.com',
    roles: { '*': 'admin' },
    admin: true,
    mfa_enabled: false,
    disabled: false,
    created_at: '2025-09-14T10:00:00Z',
  };
  /** The signed-in user's password: changing it and MFA changes check it. */
  password = 'Old-Password-42'; // secret-scan:allow (the fake backend's test password)
  /** Whether the session proved a code (sign-in with one, or MFA verified in it). */
  mfaVerified = false;
  /** An environment requires MFA: users and audit answer 403 to a session without it. */
  mfaRequiredForAdmins = false;
  /** The current TOTP code; the recovery codes each work once. */
  totp = '123456';
  recoveryCodes: string[] = [];
  /** Set to make every authenticated request answer 401 (a revoked session). */
  revoked = false;
  users: ListedUser[] = [];
  /** /api/v1/environments/{env}/... (environments as code). */
  envs = new EnvironmentsBackend();
  /** /api/v1/alarms... and /api/v1/dashboards/{name}. */
  monitoring = new MonitoringBackend();
  /** /api/v1/incidents... */
  incidents = new IncidentsBackend();
  /** /api/v1/channels... and /api/v1/notifications. */
  channels = new ChannelsBackend();
  audit = [
    {
      seq: 2,
      time: '2025-09-14T10:05:00Z',
      actor: 'admin@example.com',
      action: 'instance.stop',
      target: 'dev/i-1',
      environment: 'dev',
      source: 'console',
      result: 'ok',
      detail: null,
      prev_hash: 'a',
      hash: 'b',
    },
    {
      seq: 1,
      time: '2025-09-14T10:00:00Z',
      actor: 'admin@example.com',
      action: 'auth.login',
      target: 'admin@example.com',
      environment: '',
      source: 'console',
      result: 'ok',
      detail: { ip: '127.0.0.1' },
      prev_hash: '',
      hash: 'a',
    },
  ];

  handle = (req: Recorded): Answer => {
    const path = req.url.pathname;
    if (path === '/api/v1/auth/login' && req.method === 'POST') {
      this.token = 'tok-1';
      this.revoked = false;
      this.mfaVerified = Boolean((req.body as { otp?: string } | undefined)?.otp);
      return { body: { token: this.token, expires_at: '2099-01-01T00:00:00Z', user: this.user } };
    }
    if (this.revoked || !this.token || req.headers.Authorization !== `Bearer ${this.token}`) {
      return apiError(401, 'unauthenticated', 'no valid session');
    }
    if (path === '/api/v1/me') {
      return { body: this.user };
    }
    if (path === '/api/v1/environments') {
      return {
        body: {
          items: [
            {
              name: 'dev',
              region: 'us-west-2',
              provider: 'sim',
              mfa_required: false,
              self_signup: false,
              instances: { running: 2 },
            },
            {
              name: 'prod',
              region: 'us-west-2',
              provider: 'sim',
              mfa_required: true,
              self_signup: false,
              instances: { running: 0 },
            },
          ],
          next_cursor: null,
        },
      };
    }
    if (path === '/api/v1/instances' && req.method === 'GET') {
      const env = req.url.searchParams.get('env');
      return { body: { items: this.instances.filter((i) => !env || i.env === env), next_cursor: null } };
    }
    const action = path.match(/^\/api\/v1\/instances\/([^/]+)\/([^/]+)\/(stop|start|reboot|terminate)$/);
    if (action && req.method === 'POST') {
      const [, env, id, verb] = action;
      const i = this.instances.find((x) => x.env === env && x.id === id);
      if (!i) {
        return apiError(404, 'not_found', `instance ${id} not found in ${env}`);
      }
      const previous = i.state;
      i.state =
        verb === 'stop' ? 'stopping' : verb === 'start' ? 'pending' : verb === 'terminate' ? 'shutting-down' : i.state;
      return { body: { id, previous_state: previous, state: i.state } };
    }
    return (
      this.more(req) ??
      this.envs.handle(req) ??
      this.monitoring.handle(req) ??
      this.incidents.handle(req) ??
      this.channels.handle(req) ??
      apiError(404, 'not_found', `no route ${req.method} ${path}`)
    );
  };

  /** The password, and the current code when MFA is on, as the server checks them; null when right. */
  private reauthenticate(body: Record<string, unknown>): Answer | null {
    if (typeof body.password !== 'string') {
      return apiError(400, 'invalid_argument', 'password: required');
    }
    if (body.password !== this.password) {
      return apiError(403, 'permission_denied', 'password: the password is not right');
    }
    if (!this.user.mfa_enabled) {
      return null;
    }
    if (!body.otp) {
      return apiError(403, 'permission_denied', 'otp: your current MFA code is required');
    }
    if (body.otp === this.totp) {
      return null;
    }
    if (this.recoveryCodes.includes(String(body.otp))) {
      this.recoveryCodes = this.recoveryCodes.filter((c) => c !== body.otp);
      return null;
    }
    return apiError(403, 'permission_denied', 'otp: the code is not valid');
  }

  private newRecoveryCodes(prefix: string): Answer {
    this.recoveryCodes = Array.from({ length: 10 }, (_, i) => `${prefix}-${i}`);
    return { body: { recovery_codes: this.recoveryCodes } };
  }

  /** /api/v1/me/password and /api/v1/me/mfa... */
  private account(req: Recorded): Answer | null {
    const path = req.url.pathname;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (path === '/api/v1/me/password' && req.method === 'POST') {
      if (body.current !== this.password) {
        return apiError(403, 'permission_denied', 'current: the password is not right');
      }
      if (String(body.new).length < 12) {
        return apiError(400, 'invalid_argument', 'password must be at least 12 characters long');
      }
      this.password = String(body.new);
      this.token = `tok-${Number(this.token?.replace('tok-', '') ?? 0) + 1}`;
      return { body: { token: this.token, expires_at: '2099-01-01T00:00:00Z' } };
    }
    if (path === '/api/v1/me/mfa/enroll' && req.method === 'POST') {
      return (
        this.reauthenticate(body) ?? {
          body: {
            secret: 'JBSWY3DPEHPK3PXP',
            otpauth_uri: 'otpauth://totp/ec2m:admin%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ec2m',
          },
        }
      );
    }
    if (path === '/api/v1/me/mfa/verify' && req.method === 'POST') {
      if (body.otp !== this.totp) {
        return apiError(400, 'invalid_argument', 'otp: code does not match');
      }
      this.user = { ...this.user, mfa_enabled: true };
      this.mfaVerified = true;
      return this.newRecoveryCodes('code');
    }
    if (path === '/api/v1/me/mfa/recovery-codes' && req.method === 'POST') {
      if (!this.user.mfa_enabled) {
        return apiError(409, 'failed_precondition', 'MFA is not on: enrol first');
      }
      return this.reauthenticate(body) ?? this.newRecoveryCodes('new');
    }
    if (path === '/api/v1/me/mfa' && req.method === 'DELETE') {
      if (!this.user.mfa_enabled) {
        return apiError(409, 'failed_precondition', 'MFA is not on');
      }
      const refused = this.reauthenticate(body);
      if (refused) {
        return refused;
      }
      this.user = { ...this.user, mfa_enabled: false };
      this.recoveryCodes = [];
      return { status: 204 };
    }
    return null;
  }

  private more(req: Recorded): Answer | null {
    const path = req.url.pathname;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mine = this.account(req);
    if (mine) {
      return mine;
    }
    if (
      (path === '/api/v1/users' || path.startsWith('/api/v1/audit')) &&
      this.mfaRequiredForAdmins &&
      !this.mfaVerified
    ) {
      return apiError(
        403,
        'permission_denied',
        'an environment requires MFA (cognito.mfaRequired), so global-admin actions need an MFA-verified ' +
          'session: enrol MFA and sign in with your code',
      );
    }
    if (path === '/api/v1/instances/actions' && req.method === 'POST') {
      const ids = body.ids as string[];
      return {
        body: {
          results: ids.map((id) => {
            const i = this.instances.find((x) => x.env === body.env && x.id === id);
            if (!i || i.termination_protection) {
              return {
                id,
                ok: false,
                error: i
                  ? { code: 'failed_precondition', message: 'termination protection is on' }
                  : { code: 'not_found', message: 'no such instance' },
              };
            }
            i.state = body.action === 'terminate' ? 'shutting-down' : i.state;
            return { id, ok: true, state: i.state };
          }),
        },
      };
    }
    const tags = path.match(/^\/api\/v1\/instances\/([^/]+)\/([^/]+)\/tags$/);
    if (tags && req.method === 'PUT') {
      const i = this.instances.find((x) => x.env === tags[1] && x.id === tags[2]);
      if (!i) {
        return apiError(404, 'not_found', 'no such instance');
      }
      const keys = [...Object.keys((body.set ?? {}) as Record<string, string>), ...((body.remove ?? []) as string[])];
      const refused = keys.find(isProtectedTag);
      if (refused && !may(this.user, i.env, 'deployer')) {
        return apiError(
          403,
          'permission_denied',
          `tag "${refused}" is one ec2m manages instances by: changing or removing it needs the deployer or admin role in ${i.env}; ${this.user.email} has ${roleIn(this.user, i.env) ?? 'no role there'}`,
        );
      }
      const next = { ...i.tags, ...(body.set as Record<string, string>) };
      for (const k of body.remove as string[]) {
        delete next[k];
      }
      i.tags = next;
      return { body: i };
    }
    if (path === '/api/v1/audit') {
      return { body: { items: this.audit, next_cursor: null } };
    }
    if (path === '/api/v1/audit/verify') {
      return { body: { intact: false, entries: 2, first_bad: 2, problem: 'hash does not match' } };
    }
    if (path === '/api/v1/users' && req.method === 'GET') {
      const me: ListedUser = { ...this.user, failed_sign_ins: 0, throttled_until: null };
      return { body: { items: [me, ...this.users], next_cursor: null } };
    }
    if (path === '/api/v1/users' && req.method === 'POST') {
      const u: ListedUser = {
        email: String(body.email),
        roles: body.roles as User['roles'],
        admin: false,
        mfa_enabled: false,
        disabled: false,
        created_at: '2025-09-14T11:00:00Z',
        failed_sign_ins: 0,
        throttled_until: null,
      };
      this.users.push(u);
      const generated = 'one-time-Pw-1'; // the fixture UsersPage.test expects
      return { status: 201, body: body.password ? { user: u } : { user: u, password: generated } };
    }
    const reset = path.match(/^\/api\/v1\/users\/(.+)\/mfa\/reset$/);
    if (reset && req.method === 'POST') {
      const email = decodeURIComponent(reset[1]!);
      if (email === this.user.email) {
        return apiError(409, 'failed_precondition', 'reset your own MFA with DELETE /api/v1/me/mfa');
      }
      const who = this.users.find((x) => x.email === email);
      if (!who) {
        return apiError(404, 'not_found', `user ${email} not found`);
      }
      who.mfa_enabled = false;
      return { body: who };
    }
    const m = path.match(/^\/api\/v1\/users\/(.+)$/);
    const u = m && this.users.find((x) => x.email === decodeURIComponent(m[1]!));
    if (m && !u) {
      return apiError(404, 'not_found', 'no such user');
    }
    if (u && req.method === 'PATCH') {
      Object.assign(u, body);
      return { body: u };
    }
    if (u && req.method === 'DELETE') {
      this.users = this.users.filter((x) => x !== u);
      return { status: 204 };
    }
    return null;
  }
}

// ApiClient: the console's only way to reach `ec2m serve`. It adds the bearer token, turns every
// failure into an ApiError, and reports a 401 (token expired, revoked, user disabled) once through
// onUnauthenticated so the app can go back to the sign-in page.

import { ApiError, errorFromResponse, parseRetryAfter } from './errors';
import type { TokenStore } from './session';
import type {
  ActionResult,
  Alarm,
  AlarmHistoryEntry,
  AlarmState,
  Applied,
  AuditEntry,
  AuditVerification,
  ChangeSet,
  Channel,
  CreatedUser,
  Dashboard,
  DashboardName,
  Delivery,
  DeliveryState,
  DriftReport,
  Environment,
  EnvironmentConfig,
  EnvironmentStatus,
  Incident,
  IncidentQuery,
  IncidentStatus,
  Instance,
  InstanceAction,
  LockRelease,
  LockState,
  LoginResult,
  ListedUser,
  MfaEnrollment,
  OpenIncident,
  Page,
  Plan,
  PlanResult,
  RecoveryCodes,
  Resolution,
  RoleMap,
  SessionToken,
  SingleActionResult,
  TestQueued,
  User,
} from './types';

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in answers 401 for a wrong password: that is not a lost session. */
  expectUnauthenticated?: boolean;
}

export interface ApiClientOptions {
  tokens: TokenStore;
  /** Called after a 401 on any request but sign-in; the token is already cleared. */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
  /** Prefix of every path; '' (same origin) in the console. */
  baseUrl?: string;
}

/** Appends the non-empty values of `query` to `path` as a query string. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') {
      params.append(k, String(v));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The `items` of an answer that is a list without paging (alarms, alarm history). */
function itemsOf<T>(raw: unknown, what: string): T[] {
  const r = raw as { items?: unknown } | null;
  if (!r || !Array.isArray(r.items)) {
    throw new ApiError(200, 'internal', `unexpected answer for ${what}: no items list`);
  }
  return r.items as T[];
}

function asPage<T>(raw: unknown, what: string): Page<T> {
  const r = raw as { items?: unknown; next_cursor?: unknown } | null;
  if (!r || !Array.isArray(r.items)) {
    throw new ApiError(200, 'internal', `unexpected answer for ${what}: no items list`);
  }
  const next = typeof r.next_cursor === 'string' && r.next_cursor !== '' ? r.next_cursor : null;
  return { items: r.items as T[], next_cursor: next };
}

const enc = encodeURIComponent;

/** Provision's and rollback's answer, whether `changeset` is the change set or its id. */
function asApplied(raw: unknown): Applied {
  const r = (raw ?? {}) as { changeset?: unknown; deployment?: unknown; plan?: Plan | null; rendered?: string };
  const cs = r.changeset as { id?: unknown } | string | null | undefined;
  const id = typeof cs === 'string' ? cs : typeof cs?.id === 'string' ? cs.id : null;
  const held = r.deployment as { id?: unknown } | null | undefined;
  const heldAs = typeof held?.id === 'string' ? held.id : null;
  // A held change's plan is its summary only: the plan to show is the one the page made.
  const plan = heldAs ? null : (r.plan ?? null);
  return { changesetId: id || null, heldAs, plan, rendered: r.rendered ?? '' };
}

export class ApiClient {
  private readonly tokens: TokenStore;
  private readonly onUnauthenticated: () => void;
  private readonly fetchFn: typeof fetch;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions) {
    this.tokens = options.tokens;
    this.onUnauthenticated = options.onUnauthenticated ?? (() => {});
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  get signedIn(): boolean {
    return this.tokens.get() !== null;
  }

  /** Sends one request; resolves to the parsed JSON body (undefined for 204), or throws ApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.tokens.get();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) {
      init.signal = options.signal;
    }
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + withQuery(path, options.query), init);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') {
        throw e;
      }
      const why = e instanceof Error ? e.message : String(e);
      throw new ApiError(0, 'unavailable', `cannot reach the server (${why})`);
    }
    const text = await res.text();
    if (!res.ok) {
      const err = errorFromResponse(
        res.status,
        res.statusText,
        text,
        res.headers.get('X-Request-Id'),
        parseRetryAfter(res.headers.get('Retry-After')),
      );
      // A request sent with a token replaced since (a password change gives a new one) says
      // nothing about the session now.
      if (res.status === 401 && !options.expectUnauthenticated && this.tokens.get() === token) {
        this.tokens.clear();
        this.onUnauthenticated();
      }
      throw err;
    }
    if (!text) {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'internal', `the server sent a body that is not JSON (${path})`);
    }
  }

  async page<T>(path: string, query: Query, cursor: string | null, signal?: AbortSignal): Promise<Page<T>> {
    const q = cursor ? { ...query, cursor } : query;
    const raw = await this.request<unknown>('GET', path, signal ? { query: q, signal } : { query: q });
    return asPage<T>(raw, path);
  }

  /**
   * Reads pages from the first until at least `count` items are in hand or the list ends; used
   * to refresh what a "Load more" list already shows without losing its length.
   */
  async pagesUpTo<T>(path: string, query: Query, count: number, signal?: AbortSignal): Promise<Page<T>> {
    const items: T[] = [];
    let cursor: string | null = null;
    const limit = Math.min(1000, Math.max(Number(query.limit ?? 100), count));
    do {
      const p: Page<T> = await this.page<T>(path, { ...query, limit }, cursor, signal);
      items.push(...p.items);
      cursor = p.next_cursor;
    } while (cursor && items.length < count);
    return { items, next_cursor: cursor };
  }

  // --- auth and the signed-in user ---

  async login(email: string, password: string, otp?: string): Promise<LoginResult> {
    const body: Record<string, string> = { email, password };
    if (otp) {
      body.otp = otp;
    }
    const result = await this.request<LoginResult>('POST', '/api/v1/auth/login', {
      body,
      expectUnauthenticated: true,
    });
    this.tokens.set(result.token);
    return result;
  }

  /** Ends the session on the server (best effort) and forgets the token. */
  async logout(): Promise<void> {
    try {
      if (this.signedIn) {
        await this.request<void>('POST', '/api/v1/auth/logout', { expectUnauthenticated: true });
      }
    } finally {
      this.tokens.clear();
    }
  }

  me(): Promise<User> {
    return this.request('GET', '/api/v1/me');
  }

  /**
   * Changes the signed-in user's password. The server ends every session and API token of the
   * user and answers with a new session, which this client keeps: the caller stays signed in.
   */
  async changePassword(current: string, next: string): Promise<SessionToken> {
    const session = await this.request<SessionToken>('POST', '/api/v1/me/password', {
      body: { current, new: next },
    });
    this.tokens.set(session.token);
    return session;
  }

  /** Starts enrolment; `otp` (the current code) only when MFA is already on (a new authenticator). */
  enrollMfa(password: string, otp?: string): Promise<MfaEnrollment> {
    return this.request('POST', '/api/v1/me/mfa/enroll', { body: otp ? { password, otp } : { password } });
  }

  verifyMfa(otp: string): Promise<RecoveryCodes> {
    return this.request('POST', '/api/v1/me/mfa/verify', { body: { otp } });
  }

  /** Turns the signed-in user's MFA off. */
  disableMfa(password: string, otp: string): Promise<void> {
    return this.request('DELETE', '/api/v1/me/mfa', { body: { password, otp } });
  }

  /** New recovery codes, shown once; the old ones stop working. */
  regenerateRecoveryCodes(password: string, otp: string): Promise<RecoveryCodes> {
    return this.request('POST', '/api/v1/me/mfa/recovery-codes', { body: { password, otp } });
  }

  // --- environments and instances ---

  async environments(): Promise<Environment[]> {
    const raw = await this.request<unknown>('GET', '/api/v1/environments');
    return asPage<Environment>(raw, 'environments').items;
  }

  instances(query: Query, cursor: string | null, signal?: AbortSignal): Promise<Page<Instance>> {
    return this.page('/api/v1/instances', query, cursor, signal);
  }

  instanceAction(env: string, id: string, action: InstanceAction): Promise<SingleActionResult> {
    return this.request('POST', `/api/v1/instances/${enc(env)}/${enc(id)}/${action}`);
  }

  async bulkAction(env: string, action: InstanceAction, ids: string[]): Promise<ActionResult[]> {
    const r = await this.request<{ results: ActionResult[] }>('POST', '/api/v1/instances/actions', {
      body: { env, action, ids },
    });
    return r.results;
  }

  setTags(env: string, id: string, set: Record<string, string>, remove: string[]): Promise<Instance> {
    return this.request('PUT', `/api/v1/instances/${enc(env)}/${enc(id)}/tags`, { body: { set, remove } });
  }

  // --- environments as code ---

  private envPath(env: string, rest: string): string {
    return `/api/v1/environments/${enc(env)}/${rest}`;
  }

  environmentConfig(env: string): Promise<EnvironmentConfig> {
    return this.request('GET', this.envPath(env, 'config'));
  }

  environmentStatus(env: string): Promise<EnvironmentStatus> {
    return this.request('GET', this.envPath(env, 'status'));
  }

  drift(env: string): Promise<DriftReport> {
    return this.request('GET', this.envPath(env, 'drift'));
  }

  lock(env: string): Promise<LockState> {
    return this.request('GET', this.envPath(env, 'lock'));
  }

  unlock(env: string): Promise<LockRelease> {
    return this.request('DELETE', this.envPath(env, 'lock'));
  }

  /** The plan of the environment's current config. */
  plan(env: string): Promise<PlanResult> {
    return this.request('POST', this.envPath(env, 'plan'), { body: {} });
  }

  async provision(env: string): Promise<Applied> {
    return asApplied(await this.request<unknown>('POST', this.envPath(env, 'provision'), { body: {} }));
  }

  /** `target`: "previous", a change set id or an RFC 3339 time; prod needs confirm "ROLLBACK". */
  async rollback(env: string, target: string, confirm?: 'ROLLBACK'): Promise<Applied> {
    const body = confirm ? { target, confirm } : { target };
    return asApplied(await this.request<unknown>('POST', this.envPath(env, 'rollback'), { body }));
  }

  /**
   * Change sets newest first, those numbered below `before` when given. The list pages by
   * number, so next_cursor may come as a number or a string: either way it is kept as text.
   */
  async changesets(env: string, before: number | null, limit = 20): Promise<Page<ChangeSet>> {
    const raw = await this.request<{ items?: unknown; next_cursor?: unknown } | null>(
      'GET',
      this.envPath(env, 'changesets'),
      { query: { limit, before } },
    );
    if (!raw || !Array.isArray(raw.items)) {
      throw new ApiError(200, 'internal', `unexpected answer for ${env}'s change sets: no items list`);
    }
    const next = raw.next_cursor;
    const cursor = typeof next === 'number' || (typeof next === 'string' && next !== '') ? String(next) : null;
    return { items: raw.items as ChangeSet[], next_cursor: cursor };
  }

  changeset(env: string, id: string): Promise<ChangeSet> {
    return this.request('GET', this.envPath(env, `changesets/${enc(id)}`));
  }

  // --- audit ---

  audit(cursor: string | null, limit = 50): Promise<Page<AuditEntry>> {
    return this.page('/api/v1/audit', { order: 'desc', limit }, cursor);
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.request('GET', '/api/v1/audit/verify');
  }

  // --- users ---

  async users(): Promise<ListedUser[]> {
    const all = await this.pagesUpTo<ListedUser>('/api/v1/users', { limit: 1000 }, Number.MAX_SAFE_INTEGER);
    return all.items;
  }

  createUser(email: string, roles: RoleMap, password?: string): Promise<CreatedUser> {
    const body: Record<string, unknown> = { email, roles };
    if (password) {
      body.password = password;
    }
    return this.request('POST', '/api/v1/users', { body });
  }

  updateUser(email: string, change: { roles?: RoleMap; disabled?: boolean }): Promise<User> {
    return this.request('PATCH', `/api/v1/users/${enc(email)}`, { body: change });
  }

  deleteUser(email: string): Promise<void> {
    return this.request('DELETE', `/api/v1/users/${enc(email)}`);
  }

  /** Turns off the MFA of a user who lost their device and ends their sessions and API tokens. */
  resetUserMfa(email: string): Promise<User> {
    return this.request('POST', `/api/v1/users/${enc(email)}/mfa/reset`);
  }

  // --- alarms (docs/api.md "Monitoring and alarms"); env "ec2m" is the control plane's ---

  /** The alarms of `env`, or of every environment the caller holds a role in when env is ''. */
  async alarms(env: string, state?: AlarmState | ''): Promise<Alarm[]> {
    return itemsOf<Alarm>(await this.request<unknown>('GET', '/api/v1/alarms', { query: { env, state } }), 'alarms');
  }

  /** Newest first. */
  async alarmHistory(env: string, name: string, limit = 100): Promise<AlarmHistoryEntry[]> {
    const raw = await this.request<unknown>('GET', `/api/v1/alarms/${enc(name)}/history`, { query: { env, limit } });
    return itemsOf<AlarmHistoryEntry>(raw, `the history of ${name}`);
  }

  /** No notifications until the alarm next returns to OK (deployer). */
  muteAlarm(env: string, name: string): Promise<Alarm> {
    return this.request('POST', `/api/v1/alarms/${enc(name)}/mute`, { body: { env } });
  }

  /** Only an alarm in ALARM (else 409 failed_precondition) (deployer). */
  acknowledgeAlarm(env: string, name: string): Promise<Alarm> {
    return this.request('POST', `/api/v1/alarms/${enc(name)}/ack`, { body: { env } });
  }

  // --- incidents ---

  incidents(query: IncidentQuery, cursor: string | null, limit = 50): Promise<Page<Incident>> {
    return this.page('/api/v1/incidents', { ...query, limit }, cursor);
  }

  /** With its timeline. */
  incident(id: string): Promise<Incident> {
    return this.request('GET', `/api/v1/incidents/${enc(id)}`);
  }

  openIncident(incident: OpenIncident): Promise<Incident> {
    return this.request('POST', '/api/v1/incidents', { body: incident });
  }

  private incidentAction(id: string, verb: string, body: object): Promise<Incident> {
    return this.request('POST', `/api/v1/incidents/${enc(id)}/${verb}`, { body });
  }

  acknowledgeIncident(id: string): Promise<Incident> {
    return this.incidentAction(id, 'ack', {});
  }

  /** `commander`: a handle, "@" optional, no spaces. */
  assignIncident(id: string, commander: string): Promise<Incident> {
    return this.incidentAction(id, 'assign', { commander });
  }

  addIncidentNote(id: string, text: string): Promise<Incident> {
    return this.incidentAction(id, 'notes', { text });
  }

  /** Forward only: identified, then monitoring; resolving is resolveIncident. */
  setIncidentStatus(id: string, status: Exclude<IncidentStatus, 'investigating' | 'resolved'>): Promise<Incident> {
    return this.incidentAction(id, 'status', { status });
  }

  resolveIncident(id: string, resolution: Resolution): Promise<Incident> {
    return this.incidentAction(id, 'resolve', resolution);
  }

  // --- notification channels and deliveries ---

  async channels(): Promise<Channel[]> {
    const raw = await this.request<unknown>('GET', '/api/v1/channels');
    return asPage<Channel>(raw, 'channels').items;
  }

  createChannel(channel: Channel): Promise<Channel> {
    return this.request('POST', '/api/v1/channels', { body: channel });
  }

  deleteChannel(name: string): Promise<void> {
    return this.request('DELETE', `/api/v1/channels/${enc(name)}`);
  }

  testChannel(name: string): Promise<TestQueued> {
    return this.request('POST', `/api/v1/channels/${enc(name)}/test`);
  }

  /** Deliveries newest first. */
  notifications(state: DeliveryState | '', cursor: string | null, limit = 50): Promise<Page<Delivery>> {
    return this.page('/api/v1/notifications', { state, limit }, cursor);
  }

  // --- dashboards ---

  /** `hours`: 1..336, the range ending now. */
  dashboard(name: DashboardName, env: string, hours: number, signal?: AbortSignal): Promise<Dashboard> {
    const query = { env, hours };
    return this.request('GET', `/api/v1/dashboards/${enc(name)}`, signal ? { query, signal } : { query });
  }
}

// The shapes of docs/api.md (REST API v1). Only what the console reads is typed.

export type Role = 'viewer' | 'operator' | 'deployer' | 'approver' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'deployer', 'approver', 'admin'];

/** Roles per environment name; "*" applies to every environment. */
export type RoleMap = Record<string, Role>;

export interface User {
  email: string;
  roles: RoleMap;
  admin: boolean;
  mfa_enabled: boolean;
  disabled: boolean;
  created_at: string;
}

export interface LoginResult {
  token: string;
  expires_at: string;
  user: User;
}

export interface MfaEnrollment {
  secret: string;
  otpauth_uri: string;
}

export interface Environment {
  name: string;
  region: string;
  provider: string;
  mfa_required: boolean;
  self_signup: boolean;
  instances: Record<string, number>;
}

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface Instance {
  id: string;
  env: string;
  name: string;
  state: InstanceState;
  type: string;
  zone: string;
  private_ip: string | null;
  public_ip: string | null;
  image_id: string;
  launch_time: string;
  tags: Record<string, string>;
  termination_protection: boolean;
}

export type InstanceAction = 'start' | 'stop' | 'reboot' | 'terminate';

export interface ErrorBody {
  code: string;
  message: string;
}

export interface ActionResult {
  id: string;
  ok: boolean;
  state?: InstanceState;
  error?: ErrorBody;
}

export interface SingleActionResult {
  id: string;
  previous_state: InstanceState;
  state: InstanceState;
}

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  environment: string;
  source: string;
  result: string;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

export interface AuditVerification {
  intact: boolean;
  entries: number;
  first_bad: number | null;
  problem: string | null;
}

export interface CreatedUser {
  user: User;
  password?: string;
}

// --- Environments as code (docs/api.md "Environments as code") ---

export type EnvStatusValue = 'HEALTHY' | 'DEPLOYING' | 'WARNING' | 'UNHEALTHY';

export interface StatusCheck {
  category: string;
  status: EnvStatusValue;
  summary: string;
  details: string[];
}

export interface EnvironmentStatus {
  environment: string;
  status: EnvStatusValue;
  checks: StatusCheck[];
  drift: number;
}

export interface DriftItem {
  logical_id: string;
  type: string;
  physical_id: string;
  kind: 'modified' | 'deleted';
  properties: { property: string; expected: unknown; actual: unknown }[];
}

export interface DriftReport {
  environment: string;
  drifted: number;
  items: DriftItem[];
}

export interface LockState {
  locked: boolean;
  owner?: string;
  acquired_at?: string;
  age_seconds?: number;
}

export interface LockRelease {
  released: boolean;
  owner?: string;
}

export interface EnvironmentConfig {
  environment: string;
  text: string;
  version: string;
  /** The change set that applied it; empty or null while the server's file was never applied. */
  applied_change_set: string | null;
}

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete';

export interface PropertyChange {
  property: string;
  /** Any JSON value; null when unknown (a hashed property). */
  from: unknown;
  to: unknown;
  replaces: boolean;
}

export interface PlanChange {
  action: ChangeAction;
  logical_id: string;
  type: string;
  name: string;
  physical_id: string;
  properties: PropertyChange[];
  /** Why a delete happens ("not in the config", "a duplicate of i-..."); '' otherwise. */
  reason: string;
  destructive: boolean;
  /** Deleting (or replacing) a resource whose removal policy is RETAIN, not allowed. */
  refused: boolean;
}

export interface ChangeCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
}

export interface Plan {
  environment: string;
  changes: PlanChange[];
  summary: ChangeCounts & { refused: boolean };
}

export interface PlanResult {
  plan: Plan;
  rendered: string;
  config_version: string;
}

export type ChangeSetStatus = 'planned' | 'applying' | 'succeeded' | 'failed' | 'interrupted';

export interface JournalEntry {
  logical_id: string;
  action: string;
  status: 'pending' | 'done' | 'failed';
  physical_id: string;
  error: string;
  at: string;
}

export interface ChangeSet {
  id: string;
  environment: string;
  number: number;
  config_version: string;
  author: string;
  created_at: string;
  status: ChangeSetStatus;
  started_at: string;
  finished_at: string;
  duration_ms: number | null;
  result: string;
  rollback_of: string | null;
  summary: ChangeCounts;
  journal?: JournalEntry[];
  /** Only when read one by one (GET .../changesets/{id}), not in the list. */
  plan?: Plan;
  config_text?: string;
}

/**
 * What provision and rollback started: the change set to follow (null when there was nothing to
 * do), and the plan it applies. The client reads the answer's `changeset` as an object or an id.
 */
export interface Applied {
  changesetId: string | null;
  plan: Plan | null;
  rendered: string;
}

/** One page of a list: pass next_cursor back as `cursor` for the next one; null means the end. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

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

/** One page of a list: pass next_cursor back as `cursor` for the next one; null means the end. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

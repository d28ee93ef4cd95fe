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

/** A user as GET /api/v1/users lists them: with their sign-in throttling. */
export interface ListedUser extends User {
  /** Failed sign-ins counted in the last day. */
  failed_sign_ins: number;
  /** Until when sign-ins from addresses the user never used are slowed; null when they are not. */
  throttled_until: string | null;
}

/** A session: what sign-in gives, and what a password change gives back. */
export interface SessionToken {
  token: string;
  expires_at: string;
}

export interface LoginResult extends SessionToken {
  user: User;
}

export interface MfaEnrollment {
  secret: string;
  otpauth_uri: string;
}

/** Each signs in once without the authenticator; shown only when made. */
export interface RecoveryCodes {
  recovery_codes: string[];
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
  /** null when hidden: the text carries user data, shown to deployers and admins only. */
  text: string | null;
  text_hidden?: boolean;
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
  /** The config text is left out: it carries user data, shown to deployers and admins only. */
  config_text_hidden?: boolean;
  /** The infrastructure deployment whose approval it carries out ("d-7"); '' if applied directly. */
  approval?: string;
}

/**
 * What provision and rollback started: the change set to follow (null when there was nothing to
 * do), and the plan it applies. The client reads the answer's `changeset` as an object or an id.
 */
export interface Applied {
  changesetId: string | null;
  /**
   * The deployment holding the change for approval (an environment whose config requires it);
   * null when it applies at once or there was nothing to do.
   */
  heldAs: string | null;
  plan: Plan | null;
  rendered: string;
}

/** One page of a list: pass next_cursor back as `cursor` for the next one; null means the end. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// --- Monitoring and alarms (docs/api.md "Monitoring and alarms") ---

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const ALARM_STATES: readonly AlarmState[] = ['ALARM', 'INSUFFICIENT_DATA', 'OK'];

/** The control plane's own scope of alarms and metrics (holders of a "*" role). */
export const CONTROL_PLANE = 'ec2m';

export interface Alarm {
  name: string;
  /** The scope: an environment's name, or "ec2m" for the control plane's. */
  environment: string;
  state: AlarmState;
  reason: string;
  /** When it entered its state; null until it was first evaluated. */
  since: string | null;
  last_evaluated: string | null;
  episode: number;
  muted: boolean;
  /** '' when nobody acknowledged the current ALARM. */
  acknowledged_by: string;
  description: string;
  metric: string;
  dimensions: Record<string, string>;
  statistic: string;
  /** Seconds. */
  period: number;
  evaluation_periods: number;
  datapoints_to_alarm: number;
  comparison: string;
  threshold: number;
  treat_missing_data: string;
  severity: string;
  channels: string[];
}

export interface AlarmHistoryEntry {
  time: string;
  kind: 'StateUpdate' | 'Action' | 'Mute' | 'Acknowledge' | string;
  summary: string;
  from: string;
  to: string;
  actor: string;
}

// --- Notifications (docs/api.md "Notifications") ---

export type ChannelType = 'slack' | 'teams' | 'email' | 'webhook' | 'github';
export const CHANNEL_TYPES: readonly ChannelType[] = ['slack', 'teams', 'email', 'webhook', 'github'];

export const NOTIFICATION_KINDS = [
  'alarm',
  'incident',
  'incident.opened',
  'incident.resolved',
  'incident.escalated',
  'deployment',
  'test',
] as const;

export type NotificationSeverity = 'info' | 'warning' | 'critical';

export interface ChannelFilter {
  environments?: string[];
  kinds?: string[];
  min_severity?: NotificationSeverity;
}

/** A channel as sent (secrets in full) and as answered (secrets masked, "****" + last 4). */
export interface Channel {
  name: string;
  type: ChannelType;
  /** slack, teams, webhook. */
  url?: string;
  /** webhook, 16+ characters. */
  secret?: string;
  /** email. */
  smtp_url?: string;
  from?: string;
  to?: string[];
  user?: string;
  password?: string;
  /** github. */
  repo?: string;
  token?: string;
  api_url?: string;
  filter: ChannelFilter;
  created_at?: string;
  created_by?: string;
}

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed';
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'sending', 'delivered', 'failed'];

/** One notification's delivery to one channel. */
export interface Delivery {
  id: string;
  channel: string;
  kind: string;
  environment: string;
  severity: string;
  title: string;
  state: DeliveryState;
  attempts: number;
  last_error: string;
  enqueued_at: string;
  updated_at: string;
  next_attempt_at: string | null;
  finished_at: string | null;
}

export interface TestQueued {
  id: string;
  channel: string;
}

// --- Incidents (docs/api.md "Incidents") ---

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4'];

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: string;
  text: string;
}

export interface Incident {
  /** YYYY-MMDD-NNN. */
  id: string;
  severity: Severity;
  severity_label: string;
  response_time_minutes: number;
  escalation: string;
  title: string;
  environment: string;
  service: string;
  description: string;
  status: IncidentStatus;
  commander: string | null;
  opened_by: string;
  opened_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  escalated_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  /** Resolved incidents only. */
  duration_minutes?: number;
  root_cause: string;
  resolution: string;
  postmortem_url: string;
  alarm: string | null;
  episode: string | null;
  /** Read one by one and in the answers of actions; not in the list. */
  timeline?: TimelineEntry[];
}

export interface IncidentQuery {
  status?: 'open' | 'resolved' | 'all';
  env?: string;
  severity?: Severity | '';
}

export interface OpenIncident {
  severity: Severity;
  title: string;
  environment: string;
  service?: string;
  description?: string;
}

export interface Resolution {
  root_cause: string;
  resolution: string;
  postmortem_url?: string;
}

// --- Dashboards (GET /api/v1/dashboards/{name}) ---

export type DashboardName = 'executive' | 'operations' | 'business';

export interface Series {
  label: string;
  /** One per period from the dashboard's `start`; null: no data in that period. */
  values: (number | null)[];
}

interface PanelBase {
  id: string;
  title: string;
  /** Seconds, Percent, Count, USD, ... */
  unit?: string;
}

export interface TimeseriesPanel extends PanelBase {
  kind: 'timeseries';
  series: Series[];
}

export interface StatPanel extends PanelBase {
  kind: 'stat';
  value: number | null;
}

export interface AlarmsPanel extends PanelBase {
  kind: 'alarms';
  alarms: Pick<Alarm, 'name' | 'state' | 'severity' | 'reason' | 'since'>[];
}

export interface TablePanel extends PanelBase {
  kind: 'table';
  rows: { label: string; value: number | null }[];
}

export type Panel = TimeseriesPanel | StatPanel | AlarmsPanel | TablePanel;

export interface Dashboard {
  dashboard: DashboardName;
  environment: string;
  from: string;
  to: string;
  /** The time of every timeseries' first value; value i is at start + i × period. */
  start: string;
  /** Seconds. */
  period: number;
  panels: Panel[];
}

// --- Releases and deployments (docs/api.md "Releases and deployments") ---

export const DEPLOYMENT_STATES = [
  'queued',
  'awaiting_approval',
  'awaiting_window',
  'launching',
  'health_check',
  'stabilizing',
  'switching',
  'watching',
  'retiring',
  'applying',
  'rolling_back',
  'succeeded',
  'rolled_back',
  'failed',
  'rejected',
  'aborted',
] as const;

export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** Why a release goes out outside the environment's windows; '' for none. */
export type Emergency = '' | 'security-patch' | 'critical-bugfix' | 'data-integrity';
export const EMERGENCIES: readonly Emergency[] = ['', 'security-patch', 'critical-bugfix', 'data-integrity'];

/** A release's deployment as its release lists it. */
export interface DeploymentRef {
  id: string;
  environment: string;
  state: DeploymentState;
}

export interface Release {
  /** "r-3". */
  id: string;
  group: string;
  /** The environment it was made against: the pipeline's start. */
  environment: string;
  /** '' keeps the group's image. */
  image: string;
  /** Absent or null keeps the group's user data; absent too when hidden from the caller. */
  user_data?: string | null;
  /** The release carries user data the caller may not see (deployers and admins of its environment may). */
  user_data_hidden?: boolean;
  commit: string;
  branch: string;
  author: string;
  workflow_url: string;
  created_at: string;
  deployments: DeploymentRef[];
}

export interface NewRelease {
  group: string;
  env: string;
  image?: string;
  user_data?: string;
  commit?: string;
  branch?: string;
}

export interface NewDeployment {
  env: string;
  group: string;
  release: string;
  emergency?: Exclude<Emergency, ''>;
  emergency_reason?: string;
}

export interface Approval {
  by: string;
  at: string;
  comment: string;
  /** The approver's role in the environment when they approved. */
  role?: string;
}

/** The automatic rollback trigger that fired. */
export interface RollbackTrigger {
  /** health, latency, error_rate, throughput, health_check. */
  name: string;
  message: string;
  values: number[];
  threshold: number;
}

/** The group's figures over a stretch of time; null when there was no data. */
export interface Performance {
  latency_ms?: number | null;
  requests_per_minute?: number | null;
  /** Server errors per 100 requests. */
  error_rate?: number | null;
}

export interface DeploymentEvent {
  at: string;
  state: string;
  message: string;
}

/** An instance of a fleet: its id, or the id and the logical id it stands for. */
export type FleetMember = string | { id: string; logical_id?: string };

/** What an infrastructure deployment applies once approved (kind "infrastructure"). */
export interface InfrastructureChange {
  action: 'provision' | 'rollback';
  /** Left out for callers who may not see user data (config_text_hidden). */
  config_text?: string;
  config_text_hidden?: boolean;
  config_version: string;
  /** rollback: the change set it returns to. */
  target: string;
  allow_delete_retained: boolean;
  /** The plan when it was requested, rendered. */
  plan: string;
  summary: Partial<ChangeCounts>;
  /** The sign-off rules in force it lowers ("approval.required true → false"). */
  lowers: string[];
}

export type DeploymentKind = 'release' | 'infrastructure';

export interface Deployment {
  /** "d-7". */
  id: string;
  /** Absent from older servers: a release. */
  kind?: DeploymentKind;
  infrastructure?: InfrastructureChange | null;
  release: string;
  environment: string;
  group: string;
  state: DeploymentState;
  author: string;
  /** The deployment whose success started this one; '' when started by hand. */
  promoted_from: string;
  emergency: Emergency;
  emergency_reason: string;
  required_approvals: number;
  approvals: Approval[];
  rejected_by: string;
  /** The environment's maintenance windows as text ("sun 02:00–06:00 America/Los_Angeles"). */
  window: string;
  /** While awaiting_window: when the next window opens. */
  window_opens_at: string;
  change_set: string;
  blue: FleetMember[];
  green: FleetMember[];
  /** Why it failed, rolled back, was rejected or aborted; '' otherwise. */
  reason: string;
  trigger: RollbackTrigger | null;
  baseline: Performance | null;
  comparison: Performance | null;
  created_at: string;
  started_at: string;
  finished_at: string;
  events: DeploymentEvent[];
  version: number;
}

// How a deployment's details read: the emergencies in words, the approvals counted, the fleets'
// instances, and the group's figures before and after.

import type { Deployment, Emergency, FleetMember, Performance } from '../api/types';

export const EMERGENCY_TEXT: Record<Emergency, string> = {
  '': 'None: wait for a maintenance window',
  'security-patch': 'Security patch: deploys at once',
  'critical-bugfix': 'Critical bug fix: an approver signs off',
  'data-integrity': 'Data integrity: an admin signs off',
};

/** Whether `d` carries an infrastructure change rather than a release. */
export function isInfrastructure(d: Deployment): boolean {
  return d.kind === 'infrastructure' && !!d.infrastructure;
}

/** "provision", "rollback to cs-prod-3"; for a release "r-3 (web)". */
export function changeText(d: Deployment): string {
  const c = d.infrastructure;
  if (!isInfrastructure(d) || !c) {
    return `${d.release} (${d.group})`;
  }
  return c.action === 'rollback' && c.target ? `rollback to ${c.target}` : c.action;
}

/** "1 of 2 required" (how many are in, how many are needed). */
export function approvalsText(d: Deployment): string {
  const needed = d.required_approvals;
  return needed > 0 ? `${d.approvals.length} of ${needed} required` : 'none required';
}

/** "i-0bb (Web1)" for a member with a logical id, else its id. */
export function memberText(m: FleetMember): string {
  if (typeof m === 'string') {
    return m;
  }
  return m.logical_id ? `${m.id} (${m.logical_id})` : m.id;
}

export interface FigureRow {
  label: string;
  before: string;
  after: string;
}

const FIGURES: [keyof Performance, string, (v: number) => string][] = [
  ['latency_ms', 'Latency (average)', (v) => `${Math.round(v)} ms`],
  ['requests_per_minute', 'Requests per minute', (v) => `${Math.round(v)}`],
  ['error_rate', 'Server errors', (v) => `${Number(v.toFixed(2))} %`],
];

/** The figures before the deployment (baseline) and after it (comparison); "—" for no data. */
export function figureRows(baseline: Performance | null, comparison: Performance | null): FigureRow[] {
  const text = (p: Performance | null, key: keyof Performance, f: (v: number) => string) => {
    const v = p?.[key];
    return typeof v === 'number' ? f(v) : '—';
  };
  return FIGURES.map(([key, label, f]) => ({ label, before: text(baseline, key, f), after: text(comparison, key, f) }));
}

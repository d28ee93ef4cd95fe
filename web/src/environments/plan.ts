// How a plan reads: the sign of each change, property values, the summary line (the same words
// as `ec2m diff`, src/stack/plan.cpp), and whether there is anything to provision.

import type { ChangeAction, ChangeCounts, Plan } from '../api/types';

export const SIGNS: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
};

/** A property value as text: strings as they are, other JSON as JSON, null as not readable. */
export function shown(v: unknown): string {
  if (v === null || v === undefined) {
    return '(not readable)';
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** "2 to create, 1 to update, 0 to replace, 1 to delete, 5 unchanged" */
export function countsText(c: ChangeCounts): string {
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.unchanged} unchanged`;
}

export function summaryLine(plan: Plan): string {
  const refused = plan.summary.refused ? ' Refused: it would delete retained resources.' : '';
  return `Plan for ${plan.environment}: ${countsText(plan.summary)}.${refused}`;
}

export function isRefused(plan: Plan): boolean {
  return plan.summary.refused || plan.changes.some((c) => c.refused);
}

/** Provision makes sense after a plan with changes, none refused. */
export function canProvision(plan: Plan): boolean {
  return plan.changes.length > 0 && !isRefused(plan);
}

/** Why a refused change is refused (the server's words in `ec2m diff`). */
export const REFUSAL = 'RemovalPolicy RETAIN keeps this resource; deleting it needs allow_delete_retained';

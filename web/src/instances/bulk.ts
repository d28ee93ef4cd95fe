// Bulk actions: POST /api/v1/instances/actions takes one environment, so a selection across
// environments becomes one request per environment. A request that fails whole (403, 503) is
// reported as a failure of each of its instances, so every selected instance gets a line.

import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { ActionResult, Instance, InstanceAction } from '../api/types';

export interface BulkResult extends ActionResult {
  env: string;
}

export interface BulkOutcome {
  action: InstanceAction;
  results: BulkResult[];
}

export function groupByEnv(rows: readonly Instance[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const ids = groups.get(r.env) ?? [];
    ids.push(r.id);
    groups.set(r.env, ids);
  }
  return groups;
}

function failedAll(env: string, ids: string[], e: unknown): BulkResult[] {
  const error =
    e instanceof ApiError
      ? { code: e.code, message: e.message }
      : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
  return ids.map((id) => ({ env, id, ok: false, error }));
}

export async function runBulk(
  api: Pick<ApiClient, 'bulkAction'>,
  action: InstanceAction,
  rows: readonly Instance[],
): Promise<BulkOutcome> {
  const groups = [...groupByEnv(rows)];
  const parts = await Promise.all(
    groups.map(async ([env, ids]) => {
      try {
        const results = await api.bulkAction(env, action, ids);
        return results.map((r) => ({ ...r, env }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          throw e;
        }
        return failedAll(env, ids, e);
      }
    }),
  );
  return { action, results: parts.flat() };
}

export function summarize(outcome: BulkOutcome): string {
  const ok = outcome.results.filter((r) => r.ok).length;
  const failed = outcome.results.length - ok;
  const verb = outcome.action.charAt(0).toUpperCase() + outcome.action.slice(1);
  return failed === 0 ? `${verb}: ${ok} succeeded` : `${verb}: ${ok} succeeded, ${failed} failed`;
}

// Small display helpers shared by the pages.

import type { RoleMap } from './api/types';

/** "2025-09-14 10:02:03 UTC" for an RFC 3339 time; the input unchanged when it does not parse. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) {
    return iso;
  }
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2025-09-14 10:02" (UTC, for narrow table cells; formatTime in the title). */
export function formatShortTime(iso: string): string {
  const full = formatTime(iso);
  return full.endsWith(' UTC') ? full.slice(0, 16) : full;
}

/** "*: viewer, dev: operator" ("*" first, then by name). */
export function formatRoles(roles: RoleMap): string {
  const entries = Object.entries(roles).sort(([a], [b]) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)));
  return entries.length ? entries.map(([env, role]) => `${env}: ${role}`).join(', ') : 'no roles';
}

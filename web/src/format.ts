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

/** "850 ms", "12.4 s", "3 min 5 s", "2 h 10 min": how long something took or has lasted. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const whole = Math.floor(s);
  if (whole < 3600) {
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  }
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": an age in whole seconds. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min`;
  }
  if (s < 86_400) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

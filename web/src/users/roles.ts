// Roles per environment as editable rows, and back to the API's {"env": "role"} map.

import type { Role, RoleMap } from '../api/types';

export interface RoleRow {
  env: string;
  role: Role;
}

export function rowsFromRoles(roles: RoleMap): RoleRow[] {
  return Object.entries(roles)
    .sort(([a], [b]) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)))
    .map(([env, role]) => ({ env, role }));
}

/** The map, or a message naming the environment that appears twice. */
export function rolesFromRows(rows: readonly RoleRow[]): { roles: RoleMap } | { problem: string } {
  const roles: RoleMap = {};
  for (const r of rows) {
    if (!r.env) {
      return { problem: 'Choose an environment for every role' };
    }
    if (r.env in roles) {
      return { problem: `Environment ${r.env === '*' ? '* (all)' : r.env} has two roles` };
    }
    roles[r.env] = r.role;
  }
  return { roles };
}

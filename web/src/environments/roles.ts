// What the signed-in user may do in one environment, as the server decides it (RoleAllows and
// User::RoleIn in src/server/identity.cpp): the console hides what would only be refused.

import type { Role, User } from '../api/types';

const LADDER: readonly Role[] = ['viewer', 'operator', 'deployer'];

/** Whether holding `held` allows an action that needs `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  if (held === 'admin' || held === needed || needed === 'viewer') {
    return true;
  }
  if (held === 'approver' || needed === 'approver' || needed === 'admin') {
    return false;
  }
  return LADDER.indexOf(held) >= LADDER.indexOf(needed);
}

/** The user's role in `env`: of the environment's role and the "*" one, the one allowing more. */
export function roleIn(user: User, env: string): Role | null {
  let best: Role | null = null;
  for (const key of [env, '*']) {
    const r = user.roles[key];
    if (r && (best === null || (r !== best && roleAllows(r, best)))) {
      best = r;
    }
  }
  return best;
}

export function may(user: User, env: string, needed: Role): boolean {
  const held = roleIn(user, env);
  return held !== null && roleAllows(held, needed);
}

/** Production asks for more before a change: the environment named "prod". */
export function isProd(env: string): boolean {
  return env === 'prod';
}

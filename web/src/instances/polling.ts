// How often the instances page asks again: fast while something is moving, slow otherwise.

import type { Instance, InstanceState } from '../api/types';

export const FAST_POLL_MS = 3_000;
export const SLOW_POLL_MS = 15_000;

const MOVING: ReadonlySet<InstanceState> = new Set(['pending', 'stopping', 'shutting-down']);

export function isTransitional(state: InstanceState): boolean {
  return MOVING.has(state);
}

export function pollInterval(instances: readonly Instance[]): number {
  return instances.some((i) => isTransitional(i.state)) ? FAST_POLL_MS : SLOW_POLL_MS;
}

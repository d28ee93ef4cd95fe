// How deployment states read in the console: which are final, how each is coloured, and how
// often the page reads again.

import type { DeploymentState } from '../api/types';

const FINAL: ReadonlySet<DeploymentState> = new Set(['succeeded', 'rolled_back', 'failed', 'rejected', 'aborted']);
const WAITING: ReadonlySet<DeploymentState> = new Set(['awaiting_approval', 'awaiting_window']);

export function isFinal(state: DeploymentState): boolean {
  return FINAL.has(state);
}

/** ok: green, bad: red, waiting (for people or a window): amber, moving: blue. */
export type Tone = 'ok' | 'bad' | 'waiting' | 'moving';

export function toneOf(state: DeploymentState): Tone {
  if (state === 'succeeded') {
    return 'ok';
  }
  if (FINAL.has(state)) {
    return 'bad';
  }
  return WAITING.has(state) ? 'waiting' : 'moving';
}

/** "awaiting approval" for awaiting_approval. */
export function stateText(state: string): string {
  return state.replace(/_/g, ' ');
}

export const FAST_POLL_MS = 2_000;
export const SLOW_POLL_MS = 30_000;

/** Fast while any deployment shown has not ended. */
export function pollInterval(states: readonly DeploymentState[]): number {
  return states.some((s) => !isFinal(s)) ? FAST_POLL_MS : SLOW_POLL_MS;
}

/** How the reason of a deployment is introduced. */
export function reasonTitle(state: DeploymentState): string {
  switch (state) {
    case 'rolled_back':
      return 'Rolled back';
    case 'rolling_back':
      return 'Rolling back';
    case 'failed':
      return 'Failed';
    case 'rejected':
      return 'Rejected';
    case 'aborted':
      return 'Aborted';
    default:
      return 'Reason';
  }
}

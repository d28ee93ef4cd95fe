// Which per-row actions make sense in each EC2 state (the server still decides: a refused
// action comes back as an error).

import type { InstanceAction, InstanceState } from '../api/types';

export const ACTIONS: readonly InstanceAction[] = ['start', 'stop', 'reboot', 'terminate'];

export function actionAllowed(action: InstanceAction, state: InstanceState): boolean {
  switch (action) {
    case 'start':
      return state === 'stopped';
    case 'stop':
      return state === 'running' || state === 'pending';
    case 'reboot':
      return state === 'running';
    case 'terminate':
      return state !== 'terminated' && state !== 'shutting-down';
  }
}

export function actionLabel(action: InstanceAction): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

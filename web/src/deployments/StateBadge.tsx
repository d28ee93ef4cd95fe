// A deployment's state as a coloured badge: green when it succeeded, red when it ended otherwise,
// amber while it waits for people or a window, blue while it moves.

import type { DeploymentState } from '../api/types';
import { stateText, toneOf } from './deployments';

export function StateBadge({ state }: { state: DeploymentState }) {
  return (
    <span data-testid="deployment-state" className={`status-badge deploy-${toneOf(state)}`}>
      {stateText(state)}
    </span>
  );
}

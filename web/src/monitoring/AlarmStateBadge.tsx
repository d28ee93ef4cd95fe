// An alarm's state, told apart by colour and by its word (never by colour alone).

import type { AlarmState } from '../api/types';

export function AlarmStateBadge({ state }: { state: AlarmState | string }) {
  return <span className={`alarm-state alarm-state-${String(state).toLowerCase()}`}>{state}</span>;
}

// The dashboards' tab list (WAI-ARIA tabs: arrow keys, Home and End move between them).

import { useRef, type KeyboardEvent } from 'react';
import type { DashboardName } from '../../api/types';
import { DASHBOARDS } from './dashboards';

export const PANEL_ID = 'dashboard-panel';
export const tabId = (name: DashboardName) => `dashboard-tab-${name}`;

export function Tabs({ current, onChoose }: { current: DashboardName; onChoose: (name: DashboardName) => void }) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const at = DASHBOARDS.findIndex((d) => d.name === current);

  const onKeyDown = (e: KeyboardEvent) => {
    const n = DASHBOARDS.length;
    const to =
      e.key === 'ArrowRight'
        ? (at + 1) % n
        : e.key === 'ArrowLeft'
          ? (at - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : -1;
    const next = DASHBOARDS[to];
    if (next) {
      e.preventDefault();
      onChoose(next.name);
      buttons.current[to]?.focus();
    }
  };

  return (
    <div role="tablist" aria-label="Dashboards" className="tabs" onKeyDown={onKeyDown}>
      {DASHBOARDS.map((d, i) => (
        <button
          key={d.name}
          ref={(b) => {
            buttons.current[i] = b;
          }}
          type="button"
          role="tab"
          id={tabId(d.name)}
          aria-selected={d.name === current}
          aria-controls={PANEL_ID}
          tabIndex={d.name === current ? 0 : -1}
          onClick={() => onChoose(d.name)}
        >
          {d.label}
        </button>
      ))}
    </div>
  );
}

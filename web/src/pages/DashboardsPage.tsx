// Dashboards of the environment chosen in the header: the Executive, Operations and Business tabs
// (?name=), a range (?hours=: 1 h, 24 h, 7 d, 14 d), every panel drawn by its kind, read again
// every minute while the page is open.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Dashboard, DashboardName } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { formatTime } from '../format';
import {
  dashboardParamsFrom,
  dashboardParamsTo,
  periodWords,
  rangeLabel,
  RANGES,
  RELOAD_MS,
  type DashboardParams,
} from '../monitoring/dashboards/dashboards';
import { PanelView } from '../monitoring/dashboards/PanelView';
import { PANEL_ID, tabId, Tabs } from '../monitoring/dashboards/Tabs';
import { navigate } from '../router';

function DashboardView({ env, name, hours }: { env: string; name: DashboardName; hours: number }) {
  const { api } = useSession();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const ctl = new AbortController();
    inFlight.current = ctl;
    try {
      const d = await api.dashboard(name, env, hours, ctl.signal);
      setData(d);
      setError(null);
      setLoadedAt(new Date());
    } catch (e) {
      if (!ctl.signal.aborted) {
        setError(e); // the last data stays shown under the error
      }
    }
  }, [api, name, env, hours]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), RELOAD_MS);
    return () => {
      window.clearInterval(timer);
      inFlight.current?.abort();
    };
  }, [load]);

  return (
    <>
      <div className="section-head">
        <p className="muted">
          {env}, the last {rangeLabel(hours)}
          {data && `, ${periodWords(data.period)}: ${formatTime(data.from)} to ${formatTime(data.to)}`}
          {loadedAt && `. Read at ${formatTime(loadedAt.toISOString())}, again every minute.`}
        </p>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <ErrorAlert error={error} />
      {!data && !error && <p role="status">Loading the dashboard…</p>}
      {data && (
        <div className="dash-grid">
          {data.panels.map((p) => (
            <PanelView key={p.id} panel={p} dashboard={data} />
          ))}
        </div>
      )}
      {data?.panels.length === 0 && <p className="muted">This dashboard has no panels.</p>}
    </>
  );
}

function Chooser() {
  const { environments, setEnv } = useSession();
  return (
    <>
      <p>Choose an environment in the header, or here:</p>
      <ul>
        {environments.map((e) => (
          <li key={e.name}>
            <button type="button" className="link" onClick={() => setEnv(e.name)}>
              {e.name}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

export function DashboardsPage({ params }: { params: URLSearchParams }) {
  const { env } = useSession();
  const paramString = params.toString();
  const p = useMemo(() => dashboardParamsFrom(new URLSearchParams(paramString)), [paramString]);
  const go = (next: Partial<DashboardParams>) => navigate('/dashboards', dashboardParamsTo({ ...p, ...next }), true);

  return (
    <main aria-labelledby="dashboards-title">
      <div className="page-head">
        <h1 id="dashboards-title">Dashboards</h1>
        <SelectField label="Range" value={String(p.hours)} onChange={(v) => go({ hours: Number(v) })}>
          {RANGES.map((r) => (
            <option key={r.hours} value={r.hours}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      <Tabs current={p.name} onChoose={(name) => go({ name })} />
      <div role="tabpanel" id={PANEL_ID} aria-labelledby={tabId(p.name)} className="tab-panel">
        {env ? (
          <DashboardView key={`${env}/${p.name}/${p.hours}`} env={env} name={p.name} hours={p.hours} />
        ) : (
          <Chooser />
        )}
      </div>
    </main>
  );
}

// Alarms of the environment chosen in the header (or of every environment), and for global
// admins those of the control plane (ec2m); a filter by state in the URL (?state=ALARM); a click
// shows an alarm's rule and history, with mute and acknowledge.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { ALARM_STATES, CONTROL_PLANE, type Alarm } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { AlarmDetails } from '../monitoring/AlarmDetails';
import {
  alarmFiltersFromParams,
  alarmFiltersToParams,
  alarmKey,
  parseAlarmState,
  sortAlarms,
  type AlarmFilters,
} from '../monitoring/alarms';
import { AlarmTable } from '../monitoring/AlarmTable';
import { navigate } from '../router';
import { useAction } from '../useAction';

function countsText(alarms: readonly Alarm[]): string {
  const parts = ALARM_STATES.map((s) => [s, alarms.filter((a) => a.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.length ? parts.join(', ') : 'none';
}

export function AlarmsPage({ params }: { params: URLSearchParams }) {
  const { api, user, env } = useSession();
  const paramString = params.toString();
  const filters = useMemo(() => alarmFiltersFromParams(new URLSearchParams(paramString)), [paramString]);
  const control = user.admin && filters.control;
  const [alarms, setAlarms] = useState<Alarm[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const listing = useAction();
  const { run } = listing;

  const load = useCallback(
    () =>
      run(async () => {
        // Without an environment the server answers every scope the user holds a role in, the
        // control plane's included for "*" roles: those show only when asked for.
        const scopes = env ? [env, ...(control ? [CONTROL_PLANE] : [])] : [''];
        const lists = await Promise.all(scopes.map((s) => api.alarms(s, filters.state)));
        setAlarms(sortAlarms(lists.flat().filter((a) => control || a.environment !== CONTROL_PLANE)));
      }),
    [api, env, control, filters.state, run],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const apply = (f: AlarmFilters) => navigate('/alarms', alarmFiltersToParams(f), true);
  const changed = (a: Alarm) => setAlarms((as) => (as ?? []).map((x) => (alarmKey(x) === alarmKey(a) ? a : x)));
  const current = alarms?.find((a) => alarmKey(a) === selected) ?? null;
  const scope = env ? `${env}${control ? ` and the control plane (${CONTROL_PLANE})` : ''}` : 'every environment';

  return (
    <main aria-labelledby="alarms-title">
      <div className="page-head">
        <h1 id="alarms-title">Alarms</h1>
        <p className="muted">
          Of {scope}
          {alarms && `: ${countsText(alarms)}`}
        </p>
        <button type="button" onClick={() => void load()} disabled={listing.busy}>
          Refresh
        </button>
      </div>
      <form className="filters" role="search" aria-label="Filter alarms" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="State"
          value={filters.state}
          onChange={(v) => apply({ ...filters, state: parseAlarmState(v) })}
        >
          <option value="">Any state</option>
          {ALARM_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        {user.admin && (
          <label className="check">
            <input
              type="checkbox"
              checked={filters.control}
              onChange={(e) => apply({ ...filters, control: e.target.checked })}
            />
            Include the control plane&apos;s alarms ({CONTROL_PLANE})
          </label>
        )}
      </form>
      <ErrorAlert error={listing.error} />
      {alarms === null ? (
        listing.busy && <p role="status">Loading alarms…</p>
      ) : (
        <AlarmTable alarms={alarms} selected={selected} onSelect={setSelected} />
      )}
      {alarms?.length === 0 && <p className="muted">No alarms{filters.state ? ` in ${filters.state}` : ''}.</p>}
      {current && <AlarmDetails key={selected} alarm={current} onChanged={changed} onClose={() => setSelected(null)} />}
    </main>
  );
}

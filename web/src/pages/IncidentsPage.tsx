// Incidents of the environment chosen in the header (or of every one): open ones by default,
// filters and the incident shown in the URL (?status=all&severity=P1&id=2026-1128-001), "Load
// more" by cursor; the incident's details, timeline and actions; a form to open one.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SEVERITIES, type Incident } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { IncidentDetails } from '../incidents/IncidentDetails';
import { incidentParamsFrom, incidentParamsTo, type IncidentParams, type StatusFilter } from '../incidents/incidents';
import { IncidentTable } from '../incidents/IncidentTable';
import { OpenIncidentForm } from '../incidents/OpenIncidentForm';
import { navigate } from '../router';
import { useAction } from '../useAction';

const PAGE = 50;

export function IncidentsPage({ params }: { params: URLSearchParams }) {
  const { api, env } = useSession();
  const paramString = params.toString();
  const f = useMemo(() => incidentParamsFrom(new URLSearchParams(paramString)), [paramString]);
  const [rows, setRows] = useState<Incident[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [detailsKey, setDetailsKey] = useState(0);
  const listing = useAction();
  const { run } = listing;
  const shown = useRef(0);
  shown.current = rows?.length ?? 0;

  const query = useMemo(() => ({ status: f.status, severity: f.severity, env }), [f.status, f.severity, env]);

  // A reload asks again for as many as are shown, so "Load more" pages survive it.
  const reload = useCallback(
    () =>
      run(async () => {
        const page = await api.incidents(query, null, Math.min(1000, Math.max(PAGE, shown.current)));
        setRows(page.items);
        setCursor(page.next_cursor);
      }),
    [api, query, run],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  const loadMore = (from: string) =>
    void run(async () => {
      const page = await api.incidents(query, from, PAGE);
      setRows((rs) => [...(rs ?? []), ...page.items.filter((i) => !rs?.some((r) => r.id === i.id))]);
      setCursor(page.next_cursor);
    });

  const go = (next: Partial<IncidentParams>) => navigate('/incidents', incidentParamsTo({ ...f, ...next }), true);
  const opened = (i: Incident) => {
    go({ id: i.id });
    void reload();
  };
  const refresh = () => {
    void reload();
    setDetailsKey((k) => k + 1);
  };

  return (
    <main aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">Incidents</h1>
        <p className="muted">Of {env || 'every environment'}</p>
        <button type="button" onClick={refresh} disabled={listing.busy}>
          Refresh
        </button>
      </div>
      <form className="filters" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Filter by status" value={f.status} onChange={(v) => go({ status: v as StatusFilter })}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </SelectField>
        <SelectField
          label="Filter by severity"
          value={f.severity}
          onChange={(v) => go({ severity: SEVERITIES.find((s) => s === v) ?? '' })}
        >
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
      </form>
      <ErrorAlert error={listing.error} />
      {rows !== null && <IncidentTable incidents={rows} selected={f.id} onSelect={(id) => go({ id })} />}
      {listing.busy && <p role="status">Loading incidents…</p>}
      {rows?.length === 0 && <p className="muted">No {f.status === 'all' ? '' : `${f.status} `}incidents.</p>}
      {cursor && !listing.busy && (
        <button type="button" onClick={() => loadMore(cursor)}>
          Load more
        </button>
      )}
      {f.id && (
        <IncidentDetails
          key={f.id}
          id={f.id}
          reloadKey={detailsKey}
          onChanged={() => void reload()}
          onClose={() => go({ id: '' })}
        />
      )}
      <OpenIncidentForm onOpened={opened} />
    </main>
  );
}

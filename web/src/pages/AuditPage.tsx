// The audit log, newest first, and a check of its hash chain.

import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditVerification } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatTime } from '../format';
import { useAction } from '../useAction';

function Verification({ v }: { v: AuditVerification }) {
  if (v.intact) {
    return (
      <p role="status" className="ok">
        Chain intact: {v.entries} {v.entries === 1 ? 'entry' : 'entries'} checked.
      </p>
    );
  }
  return (
    <p role="alert" className="error">
      Chain broken at entry {v.first_bad ?? '?'}
      {v.problem ? `: ${v.problem}` : ''} ({v.entries} {v.entries === 1 ? 'entry' : 'entries'} checked).
    </p>
  );
}

const COLUMNS = ['Seq', 'Time', 'Actor', 'Action', 'Target', 'Environment', 'Source', 'Result', 'Detail'];

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') {
    return '';
  }
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export function AuditPage() {
  const { api } = useSession();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const listing = useAction();
  const verifying = useAction();
  const { run } = listing;

  const load = useCallback(
    (from: string | null) =>
      run(async () => {
        const page = await api.audit(from);
        setEntries((es) => (from && es ? [...es, ...page.items] : page.items));
        setCursor(page.next_cursor);
      }),
    [api, run],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const verify = async () => {
    setVerification(null);
    setVerification((await verifying.run(() => api.verifyAudit())) ?? null);
  };

  return (
    <main aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit log</h1>
        <button type="button" onClick={() => void load(null)} disabled={listing.busy}>
          Refresh
        </button>
        <button type="button" className="primary" onClick={() => void verify()} disabled={verifying.busy}>
          {verifying.busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      {verification && <Verification v={verification} />}
      <ErrorAlert error={verifying.error ?? listing.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Audit entries, newest first</caption>
          <ColumnHeads names={COLUMNS} />
          <tbody>
            {(entries ?? []).map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{formatTime(e.time)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.target}</td>
                <td>{e.environment}</td>
                <td>{e.source}</td>
                <td>{e.result}</td>
                <td className="detail">{detailText(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listing.busy && <p role="status">Loading audit entries…</p>}
      {entries?.length === 0 && <p className="muted">No audit entries.</p>}
      {cursor && !listing.busy && (
        <button type="button" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </main>
  );
}

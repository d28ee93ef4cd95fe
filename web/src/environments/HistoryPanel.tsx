// The environment's change sets, newest first, "Load more" by number (`before`); a change set's
// details on a click; rollback to the previous one, to one of the list, or to a time.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChangeSet } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatShortTime, formatTime } from '../format';
import { useAction } from '../useAction';
import { ChangeSetDetails } from './ChangeSetDetails';
import { appendPage, changesText, durationText, inProgress, nextBefore } from './changesets';
import { RollbackBar } from './RollbackBar';

export const HISTORY_PAGE = 20;

const COLUMNS = [
  'Change set',
  'Number',
  'Status',
  'Author',
  'Created',
  'Duration',
  'Result',
  'Rollback of',
  'Changes',
  'Actions',
];

interface Props {
  env: string;
  reloadKey: number;
  /** The user may roll back (deployer). */
  canRollback: boolean;
  /** A rollback is being asked for or started: its buttons wait. */
  busy: boolean;
  following: string | null;
  onRollback: (target: string) => void;
  onFollow: (id: string) => void;
}

export function HistoryPanel({ env, reloadKey, canRollback, busy, following, onRollback, onFollow }: Props) {
  const { api } = useSession();
  const [rows, setRows] = useState<ChangeSet[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const listing = useAction();
  const { run } = listing;
  const shown = useRef<ChangeSet[]>([]);
  shown.current = rows ?? [];

  // A reload asks again for as many as are shown, so "Load more" pages survive it.
  const reload = useCallback(
    () =>
      run(async () => {
        const limit = Math.min(1000, Math.max(HISTORY_PAGE, shown.current.length));
        const page = await api.changesets(env, null, limit);
        setRows(page.items);
        setCursor(page.next_cursor);
      }),
    [api, env, run],
  );

  useEffect(() => {
    void reload();
  }, [reload, reloadKey]);

  const before = nextBefore(rows ?? [], cursor);
  const loadMore = (from: number) =>
    void run(async () => {
      const page = await api.changesets(env, from, HISTORY_PAGE);
      setRows((rs) => appendPage(rs ?? [], page.items));
      setCursor(page.next_cursor);
    });
  return (
    <section className="panel" aria-labelledby="env-history-title">
      <h2 id="env-history-title">Change sets</h2>
      {canRollback && (rows?.length ?? 0) > 0 && <RollbackBar disabled={busy} onRollback={onRollback} />}
      <ErrorAlert error={listing.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Change sets of {env}, newest first</caption>
          <ColumnHeads names={COLUMNS} />
          <tbody>
            {(rows ?? []).map((cs) => (
              <tr key={cs.id} className={open === cs.id ? 'selected' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    aria-expanded={open === cs.id}
                    aria-label={`Details of ${cs.id}`}
                    onClick={() => setOpen(open === cs.id ? null : cs.id)}
                  >
                    {cs.id}
                  </button>
                </th>
                <td>{cs.number}</td>
                <td className={`cs-status-${cs.status}`}>{cs.status}</td>
                <td>{cs.author}</td>
                <td title={formatTime(cs.created_at)}>{formatShortTime(cs.created_at)}</td>
                <td>{durationText(cs)}</td>
                <td className="detail">{cs.result}</td>
                <td>{cs.rollback_of ?? ''}</td>
                <td>{changesText(cs.summary)}</td>
                <td className="row-actions">
                  {canRollback && cs.status === 'succeeded' && (
                    <button type="button" className="danger" disabled={busy} onClick={() => onRollback(cs.id)}>
                      Roll back to {cs.id}
                    </button>
                  )}
                  {inProgress(cs.status) && following !== cs.id && (
                    <button type="button" onClick={() => onFollow(cs.id)}>
                      Follow {cs.id}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listing.busy && <p role="status">Loading change sets…</p>}
      {rows?.length === 0 && <p className="muted">No change sets yet: nothing was provisioned through ec2m.</p>}
      {before !== null && !listing.busy && (
        <button type="button" onClick={() => loadMore(before)}>
          Load more
        </button>
      )}
      {open && <ChangeSetDetails env={env} id={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

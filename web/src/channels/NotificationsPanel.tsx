// The outbox's deliveries, newest first: one per notification and channel, with its state
// (pending, sending, delivered, failed), attempts and last error; a filter by state, "Load more".

import { useCallback, useEffect, useRef, useState } from 'react';
import { DELIVERY_STATES, type Delivery, type DeliveryState } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { formatShortTime, formatTime } from '../format';
import { useAction } from '../useAction';

const PAGE = 50;
const COLUMNS = ['Queued', 'Channel', 'Kind', 'Environment', 'Severity', 'Title', 'State', 'Attempts', 'Last error'];

function StateCell({ d }: { d: Delivery }) {
  const when = d.state === 'pending' ? d.next_attempt_at : d.finished_at;
  const whenText = when ? `${d.state === 'pending' ? 'next try' : 'at'} ${formatShortTime(when)}` : '';
  return (
    <td data-testid="delivery-state" title={when ? formatTime(when) : undefined}>
      <span className={`delivery-${d.state}`}>{d.state}</span>
      {whenText && <span className="muted"> ({whenText})</span>}
    </td>
  );
}

export function NotificationsPanel({ reloadKey }: { reloadKey: number }) {
  const { api } = useSession();
  const [state, setState] = useState<DeliveryState | ''>('');
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const listing = useAction();
  const { run } = listing;
  const shown = useRef(0);
  shown.current = rows?.length ?? 0;

  const reload = useCallback(
    () =>
      run(async () => {
        const page = await api.notifications(state, null, Math.min(1000, Math.max(PAGE, shown.current)));
        setRows(page.items);
        setCursor(page.next_cursor);
      }),
    [api, state, run],
  );

  useEffect(() => {
    void reload();
  }, [reload, reloadKey]);

  const loadMore = (from: string) =>
    void run(async () => {
      const page = await api.notifications(state, from, PAGE);
      setRows((rs) => [...(rs ?? []), ...page.items]);
      setCursor(page.next_cursor);
    });

  return (
    <section className="panel" aria-labelledby="notifications-title">
      <div className="section-head">
        <h2 id="notifications-title">Recent notifications</h2>
        <SelectField
          label="Delivery state"
          value={state}
          onChange={(v) => {
            setRows(null);
            setState(v as DeliveryState | '');
          }}
        >
          <option value="">Any</option>
          {DELIVERY_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <button type="button" onClick={() => void reload()} disabled={listing.busy}>
          Refresh notifications
        </button>
      </div>
      <ErrorAlert error={listing.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Notifications, newest first</caption>
          <ColumnHeads names={COLUMNS} />
          <tbody>
            {(rows ?? []).map((d) => (
              <tr key={`${d.id}/${d.channel}`}>
                <td title={formatTime(d.enqueued_at)}>{formatShortTime(d.enqueued_at)}</td>
                <td>{d.channel}</td>
                <td>{d.kind}</td>
                <td>{d.environment || '—'}</td>
                <td>{d.severity}</td>
                <td className="detail">{d.title}</td>
                <StateCell d={d} />
                <td>{d.attempts}</td>
                <td className="detail">{d.last_error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listing.busy && <p role="status">Loading notifications…</p>}
      {rows?.length === 0 && <p className="muted">No notifications{state ? ` ${state}` : ''}.</p>}
      {cursor && !listing.busy && (
        <button type="button" onClick={() => loadMore(cursor)}>
          Load more notifications
        </button>
      )}
    </section>
  );
}

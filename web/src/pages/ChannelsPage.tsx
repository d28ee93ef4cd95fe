// Notification channels (global admins): the list with where each sends and what it takes, add,
// remove (asks first), send a test; and the recent notifications with their delivery state.

import { useCallback, useEffect, useState } from 'react';
import type { Channel, TestQueued } from '../api/types';
import { ChannelForm } from '../channels/ChannelForm';
import { destinationText, filterText } from '../channels/channels';
import { NotificationsPanel } from '../channels/NotificationsPanel';
import { ColumnHeads } from '../components/ColumnHeads';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatTime } from '../format';
import { useAction } from '../useAction';

export function ChannelsPage() {
  const { api, user } = useSession();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [queued, setQueued] = useState<TestQueued | null>(null);
  const [notificationsKey, setNotificationsKey] = useState(0);
  const listing = useAction();
  const acting = useAction();
  const { run } = listing;

  const load = useCallback(() => run(async () => setChannels(await api.channels())), [api, run]);

  useEffect(() => {
    if (user.admin) {
      void load();
    }
  }, [load, user.admin]);

  if (!user.admin) {
    return (
      <main aria-labelledby="channels-title">
        <h1 id="channels-title">Channels</h1>
        <p role="alert" className="error">
          Only global admins manage notification channels.
        </p>
      </main>
    );
  }

  const remove = async (name: string) => {
    const done = await acting.run(async () => {
      await api.deleteChannel(name);
      return true;
    });
    setRemoving(null);
    if (done) {
      void load();
    }
  };

  const test = async (name: string) => {
    setQueued(null);
    const q = await acting.run(() => api.testChannel(name));
    if (q) {
      setQueued(q);
      setNotificationsKey((k) => k + 1);
    }
  };

  return (
    <main aria-labelledby="channels-title">
      <div className="page-head">
        <h1 id="channels-title">Channels</h1>
        <button type="button" onClick={() => void load()} disabled={listing.busy}>
          Refresh
        </button>
      </div>
      <ErrorAlert error={listing.error} />
      {queued && (
        <p role="status" className="notice">
          Test notification {queued.id} queued for {queued.channel}: its delivery is listed below.
        </p>
      )}
      <ErrorAlert error={acting.error} />
      {removing && (
        <ConfirmDialog
          title={`Remove channel ${removing}?`}
          confirmLabel={`Remove ${removing}`}
          busy={acting.busy}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>Notifications stop going to {removing}; deliveries still queued for it fail.</p>
        </ConfirmDialog>
      )}
      {channels === null ? (
        listing.busy && <p role="status">Loading channels…</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Channels</caption>
            <ColumnHeads names={['Name', 'Type', 'Destination', 'Takes', 'Created', 'Actions']} />
            <tbody>
              {channels.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>{c.type}</td>
                  <td className="detail">
                    <code>{destinationText(c)}</code>
                  </td>
                  <td>{filterText(c.filter)}</td>
                  <td>
                    {c.created_at ? formatTime(c.created_at) : ''}
                    {c.created_by ? ` by ${c.created_by}` : ''}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={`Send a test to ${c.name}`}
                      disabled={acting.busy}
                      onClick={() => void test(c.name)}
                    >
                      Send test
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Remove ${c.name}`}
                      disabled={acting.busy || removing !== null}
                      onClick={() => setRemoving(c.name)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {channels?.length === 0 && <p className="muted">No channels: notifications are kept in the outbox only.</p>}
      <ChannelForm onAdded={() => void load()} />
      <NotificationsPanel reloadKey={notificationsKey} />
    </main>
  );
}

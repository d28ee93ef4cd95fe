// Working an incident (deployers of its environment): acknowledge, move the status forward,
// assign the commander, add a note (resolved incidents take notes too), resolve with a root cause
// and a resolution. Each action answers the incident, which replaces the one shown.

import { useState, type FormEvent } from 'react';
import type { Incident } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { nextStatuses } from './incidents';

interface Props {
  incident: Incident;
  onChanged: (i: Incident) => void;
}

export function IncidentActions({ incident: i, onChanged }: Props) {
  const { api } = useSession();
  const { busy, error, run } = useAction();
  const [commander, setCommander] = useState('');
  const [note, setNote] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [resolution, setResolution] = useState('');
  const [postmortem, setPostmortem] = useState('');
  const open = i.status !== 'resolved';

  const act = async (f: () => Promise<Incident>, after?: () => void) => {
    const changed = await run(f);
    if (changed) {
      after?.();
      onChanged(changed);
    }
  };
  const form = (f: () => Promise<Incident>, after: () => void) => (e: FormEvent) => {
    e.preventDefault();
    void act(f, after);
  };

  return (
    <div className="incident-actions">
      {open && (
        <div className="buttons">
          <button
            type="button"
            className="primary"
            disabled={busy || Boolean(i.acknowledged_by)}
            onClick={() => void act(() => api.acknowledgeIncident(i.id))}
          >
            Acknowledge
          </button>
          {nextStatuses(i.status).map((s) => (
            <button
              key={s}
              type="button"
              disabled={busy}
              onClick={() => void act(() => api.setIncidentStatus(i.id, s))}
            >
              Mark {s}
            </button>
          ))}
        </div>
      )}
      <ErrorAlert error={error} />
      {open && (
        <form
          className="inline-form"
          aria-label="Assign the commander"
          onSubmit={form(
            () => api.assignIncident(i.id, commander.trim()),
            () => setCommander(''),
          )}
        >
          <label>
            Commander
            <input
              required
              pattern="@?[^\s]+"
              placeholder="@alice"
              value={commander}
              onChange={(e) => setCommander(e.target.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            Assign commander
          </button>
        </form>
      )}
      <form
        className="inline-form"
        aria-label="Add a note"
        onSubmit={form(
          () => api.addIncidentNote(i.id, note.trim()),
          () => setNote(''),
        )}
      >
        <label>
          Note
          <textarea required rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Add note
        </button>
      </form>
      {open && (
        <form
          aria-label="Resolve the incident"
          onSubmit={form(
            () =>
              api.resolveIncident(i.id, {
                root_cause: rootCause.trim(),
                resolution: resolution.trim(),
                ...(postmortem.trim() ? { postmortem_url: postmortem.trim() } : {}),
              }),
            () => {
              setRootCause('');
              setResolution('');
              setPostmortem('');
            },
          )}
        >
          <h3>Resolve</h3>
          <label>
            Root cause
            <input required value={rootCause} onChange={(e) => setRootCause(e.target.value)} />
          </label>
          <label>
            Resolution
            <input required value={resolution} onChange={(e) => setResolution(e.target.value)} />
          </label>
          <label>
            Post-mortem link (optional)
            <input
              type="url"
              placeholder="https://wiki.example.com/pm/1"
              value={postmortem}
              onChange={(e) => setPostmortem(e.target.value)}
            />
          </label>
          <button type="submit" className="danger" disabled={busy}>
            Resolve incident
          </button>
        </form>
      )}
    </div>
  );
}

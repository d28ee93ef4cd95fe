// One incident read in full: what it is, who works it, its deadlines, its timeline, and the
// actions for deployers of its environment.

import { useEffect, useState, type ReactNode } from 'react';
import type { Incident } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { may } from '../environments/roles';
import { formatTime } from '../format';
import { useAction } from '../useAction';
import { IncidentActions } from './IncidentActions';
import { commanderText, minutesText, responseDue, STATUS_ORDER } from './incidents';

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Facts({ incident: i }: { incident: Incident }) {
  const due = responseDue(i, new Date());
  return (
    <dl className="facts">
      <Fact term="Severity">
        {i.severity} {i.severity_label}: respond within {minutesText(i.response_time_minutes)}, else{' '}
        {i.escalation.toLowerCase()}
      </Fact>
      <Fact term="Status">
        <ol className="steps" aria-label="Status">
          {STATUS_ORDER.map((s) => (
            <li key={s} aria-current={s === i.status ? 'step' : undefined}>
              {s}
            </li>
          ))}
        </ol>
      </Fact>
      <Fact term="Environment">{i.environment}</Fact>
      <Fact term="Service">{i.service}</Fact>
      <Fact term="Commander">{commanderText(i.commander)}</Fact>
      <Fact term="Opened">
        {formatTime(i.opened_at)} by {i.opened_by}
      </Fact>
      <Fact term="Acknowledged">
        {i.acknowledged_by
          ? `${i.acknowledged_at ? formatTime(i.acknowledged_at) : ''} by ${i.acknowledged_by}`
          : due.kind === 'due'
            ? `not yet: due ${formatTime(due.at.toISOString())}${due.overdue ? ' (overdue)' : ''}`
            : 'no'}
      </Fact>
      {i.escalated_at && <Fact term="Escalated">{formatTime(i.escalated_at)}</Fact>}
      {i.resolved_at && (
        <Fact term="Resolved">
          {formatTime(i.resolved_at)} by {i.resolved_by}
          {i.duration_minutes !== undefined && `, after ${minutesText(i.duration_minutes)}`}
        </Fact>
      )}
      {i.root_cause && <Fact term="Root cause">{i.root_cause}</Fact>}
      {i.resolution && <Fact term="Resolution">{i.resolution}</Fact>}
      {i.postmortem_url && (
        <Fact term="Post-mortem">
          <a href={i.postmortem_url} rel="noreferrer" target="_blank">
            {i.postmortem_url}
          </a>
        </Fact>
      )}
      {i.alarm && (
        <Fact term="Opened by alarm">
          {i.alarm}
          {i.episode && ` (episode ${i.episode})`}
        </Fact>
      )}
      {i.description && i.description !== i.title && <Fact term="Description">{i.description}</Fact>}
    </dl>
  );
}

interface Props {
  id: string;
  /** Bumped by the page to read the incident again. */
  reloadKey: number;
  onChanged: (i: Incident) => void;
  onClose: () => void;
}

export function IncidentDetails({ id, reloadKey, onChanged, onClose }: Props) {
  const { api, user } = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const loading = useAction();
  const { run } = loading;

  useEffect(() => {
    void run(async () => setIncident(await api.incident(id)));
  }, [api, id, run, reloadKey]);

  const changed = (i: Incident) => {
    setIncident(i);
    onChanged(i);
  };
  const canAct = incident !== null && may(user, incident.environment, 'deployer');

  return (
    <section className="panel incident" aria-labelledby="incident-title">
      <div className="section-head">
        <h2 id="incident-title">Incident {id}</h2>
        <button type="button" onClick={onClose}>
          Close incident
        </button>
      </div>
      <ErrorAlert error={loading.error} />
      {!incident && loading.busy && <p role="status">Loading {id}…</p>}
      {incident && (
        <>
          <p className="incident-head">
            <span className={`sev sev-${incident.severity.toLowerCase()}`}>{incident.severity}</span>{' '}
            <strong>{incident.title}</strong>{' '}
            <span className={`status-badge incident-status-${incident.status}`}>{incident.status}</span>
          </p>
          <Facts incident={incident} />
          {canAct ? (
            <IncidentActions incident={incident} onChanged={changed} />
          ) : (
            <p className="hint">Working an incident needs the deployer role in {incident.environment}.</p>
          )}
          <h3>Timeline</h3>
          <ol className="timeline" aria-label={`Timeline of ${id}`}>
            {(incident.timeline ?? []).map((e, n) => (
              <li key={`${e.at}-${n}`}>
                <time dateTime={e.at}>{formatTime(e.at)}</time> <span className="badge">{e.kind}</span>{' '}
                <span className="muted">{e.actor}</span> {e.text}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

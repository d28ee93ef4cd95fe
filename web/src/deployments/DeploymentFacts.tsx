// A deployment's facts: who and when, the emergency, the approvals, the window it waits for, the
// change set that records it, and the blue and green fleets.

import type { ReactNode } from 'react';
import type { Deployment, FleetMember } from '../api/types';
import { formatTime } from '../format';
import { hrefFor } from '../router';
import { approvalsText, memberText } from './details';

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Fleet({ members }: { members: readonly FleetMember[] }) {
  return members.length ? <>{members.map(memberText).join(', ')}</> : <span className="muted">none</span>;
}

export function DeploymentFacts({ deployment: d }: { deployment: Deployment }) {
  const history = hrefFor('/environments', new URLSearchParams({ env: d.environment }));
  return (
    <dl className="facts">
      <Fact term="Release">
        {d.release} to {d.environment}, group {d.group}
        {d.promoted_from && ` (promoted after ${d.promoted_from})`}
      </Fact>
      <Fact term="Author">{d.author}</Fact>
      <Fact term="Created">{formatTime(d.created_at)}</Fact>
      <Fact term="Started">{d.started_at ? formatTime(d.started_at) : 'not yet'}</Fact>
      <Fact term="Finished">{d.finished_at ? formatTime(d.finished_at) : 'not yet'}</Fact>
      {d.emergency && (
        <Fact term="Emergency">
          <span className="label">{d.emergency}</span> {d.emergency_reason}
        </Fact>
      )}
      <Fact term="Approvals">
        {approvalsText(d)}
        {d.approvals.length > 0 && (
          <ul className="approvals" aria-label={`Approvals of ${d.id}`}>
            {d.approvals.map((a) => (
              <li key={`${a.by}-${a.at}`}>
                {a.by}
                {a.role && ` (${a.role})`}, <time dateTime={a.at}>{formatTime(a.at)}</time>
                {a.comment && `: “${a.comment}”`}
              </li>
            ))}
          </ul>
        )}
      </Fact>
      {d.rejected_by && <Fact term="Rejected by">{d.rejected_by}</Fact>}
      {(d.window || d.window_opens_at) && (
        <Fact term="Window">
          {d.window || 'any time'}
          {d.window_opens_at && (
            <>
              {d.state === 'awaiting_window' ? '; waits until ' : '; next opens '}
              <time dateTime={d.window_opens_at}>{formatTime(d.window_opens_at)}</time>
            </>
          )}
        </Fact>
      )}
      {d.change_set && (
        <Fact term="Change set">
          <a href={history} title={`Change sets of ${d.environment}`}>
            {d.change_set}
          </a>
        </Fact>
      )}
      <Fact term="Blue (before)">
        <Fleet members={d.blue ?? []} />
      </Fact>
      <Fact term="Green (new)">
        <Fleet members={d.green ?? []} />
      </Fact>
    </dl>
  );
}

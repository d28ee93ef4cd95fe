// A deployment's facts: what it carries (a release, or an infrastructure change with its plan and
// the sign-off rules it lowers), who and when, the emergency, the approvals, the window it waits
// for, the change set that records it, and (a release's) the blue and green fleets.

import type { ReactNode } from 'react';
import type { Deployment, FleetMember, InfrastructureChange } from '../api/types';
import { formatTime } from '../format';
import { hrefFor } from '../router';
import { HIDDEN_CONFIG } from '../environments/ConfigPanel';
import { approvalsText, changeText, memberText } from './details';

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

/** An infrastructure change's own facts: what it applies, its config and plan, what it lowers. */
function ChangeFacts({ deployment: d, change: c }: { deployment: Deployment; change: InfrastructureChange }) {
  return (
    <>
      <Fact term="Infrastructure change">
        {changeText(d)} of {d.environment}
      </Fact>
      <Fact term="Config version">
        <code>{c.config_version}</code>
        {c.config_text_hidden && <p className="muted">{HIDDEN_CONFIG}</p>}
      </Fact>
      {c.lowers.length > 0 && (
        <Fact term="Lowers the sign-off rules">
          {c.lowers.join('; ')}: approved under the rules in force, which it replaces
        </Fact>
      )}
      <Fact term="Plan">
        <pre className="config" tabIndex={0} aria-label={`Plan of ${d.id}`}>
          {c.plan}
        </pre>
      </Fact>
    </>
  );
}

export function DeploymentFacts({ deployment: d }: { deployment: Deployment }) {
  const history = hrefFor('/environments', new URLSearchParams({ env: d.environment }));
  const change = d.kind === 'infrastructure' ? d.infrastructure : null;
  return (
    <dl className="facts">
      {change ? (
        <ChangeFacts deployment={d} change={change} />
      ) : (
        <Fact term="Release">
          {d.release} to {d.environment}, group {d.group}
          {d.promoted_from && ` (promoted after ${d.promoted_from})`}
        </Fact>
      )}
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
      {!change && (
        <>
          <Fact term="Blue (before)">
            <Fleet members={d.blue ?? []} />
          </Fact>
          <Fact term="Green (new)">
            <Fleet members={d.green ?? []} />
          </Fact>
        </>
      )}
    </dl>
  );
}

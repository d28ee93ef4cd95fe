// One deployment read in full: its state, why it failed or rolled back (an alert) and the trigger
// that fired, its facts, the group's figures before and after, the actions the user may take, and
// its events. The page reads it (and reads it again while it moves).

import type { Deployment, RollbackTrigger } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { useSession } from '../context';
import { may } from '../environments/roles';
import { formatTime } from '../format';
import { DeploymentActions } from './DeploymentActions';
import { DeploymentFacts } from './DeploymentFacts';
import { reasonTitle, stateText } from './deployments';
import { figureRows, isInfrastructure } from './details';
import { StateBadge } from './StateBadge';

function Trigger({ trigger: t }: { trigger: RollbackTrigger }) {
  return (
    <div className="trigger">
      <h3>Rollback trigger: {t.name}</h3>
      <p>{t.message}</p>
      <p className="muted">
        Values {t.values.length ? t.values.join(', ') : 'none'}; threshold {t.threshold}
      </p>
    </div>
  );
}

function Figures({ deployment: d }: { deployment: Deployment }) {
  if (!d.baseline && !d.comparison) {
    return null;
  }
  return (
    <table className="figures">
      <caption>Performance of {d.group}: before and after</caption>
      <ColumnHeads names={['Figure', 'Before (baseline)', 'After']} />
      <tbody>
        {figureRows(d.baseline, d.comparison).map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.before}</td>
            <td>{r.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Props {
  deployment: Deployment;
  onChanged: (d: Deployment) => void;
  onClose: () => void;
}

export function DeploymentDetails({ deployment: d, onChanged, onClose }: Props) {
  const { user } = useSession();
  const canApprove = may(user, d.environment, 'approver');
  return (
    <section className="panel deployment" aria-labelledby="deployment-title">
      <div className="section-head">
        <h2 id="deployment-title">Deployment {d.id}</h2>
        <StateBadge state={d.state} />
        <button type="button" onClick={onClose}>
          Close deployment
        </button>
      </div>
      {d.reason && (
        <p role="alert" className="reason-alert">
          <strong>{reasonTitle(d.state)}:</strong> {d.reason}
        </p>
      )}
      {d.trigger && <Trigger trigger={d.trigger} />}
      <DeploymentFacts deployment={d} />
      <Figures deployment={d} />
      <DeploymentActions
        key={d.id}
        deployment={d}
        canApprove={canApprove}
        canAbort={may(user, d.environment, 'deployer') && !(isInfrastructure(d) && d.state === 'applying')}
        onChanged={onChanged}
      />
      {d.state === 'awaiting_approval' && !canApprove && (
        <p className="hint">Approving needs the approver role in {d.environment}.</p>
      )}
      <h3>Events</h3>
      <ol className="timeline" aria-label={`Events of ${d.id}`}>
        {(d.events ?? []).map((e, n) => (
          <li key={`${e.at}-${n}`}>
            <time dateTime={e.at}>{formatTime(e.at)}</time> <span className="badge">{stateText(e.state)}</span>{' '}
            {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}

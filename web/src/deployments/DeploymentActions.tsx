// What may be done to a deployment: approvers of its environment approve or reject it while it
// awaits approval (a rejection needs a comment, checked here before anything is sent); deployers
// abort it, after saying yes, until it ends. Each action answers the deployment, which replaces
// the one shown.

import { useRef, useState } from 'react';
import type { Deployment } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { decideDeployment } from './api';
import { isFinal } from './deployments';
import { isInfrastructure } from './details';

interface Props {
  deployment: Deployment;
  canApprove: boolean;
  canAbort: boolean;
  onChanged: (d: Deployment) => void;
}

export function DeploymentActions({ deployment: d, canApprove, canAbort, onChanged }: Props) {
  const { api } = useSession();
  const { busy, error, setError, run } = useAction();
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [aborting, setAborting] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const deciding = d.state === 'awaiting_approval' && canApprove;

  const act = async (verb: 'approve' | 'reject' | 'abort') => {
    const changed = await run(() => decideDeployment(api, d.id, verb, comment.trim()));
    setAborting(false);
    if (changed) {
      setComment('');
      onChanged(changed);
    }
  };
  const reject = () => {
    if (!comment.trim()) {
      setMissing(true);
      setError('A rejection needs a comment: say why it may not go out.');
      field.current?.focus();
      return;
    }
    void act('reject');
  };

  return (
    <div className="deploy-actions">
      {deciding && (
        <form aria-label={`Approve or reject ${d.id}`} onSubmit={(e) => e.preventDefault()}>
          <label>
            Comment (required to reject)
            <textarea
              ref={field}
              rows={2}
              maxLength={2000}
              value={comment}
              aria-invalid={missing || undefined}
              onChange={(e) => {
                setComment(e.target.value);
                setMissing(false);
              }}
            />
          </label>
          <div className="buttons">
            <button type="button" className="primary" disabled={busy} onClick={() => void act('approve')}>
              Approve
            </button>
            <button type="button" className="danger" disabled={busy} onClick={reject}>
              Reject
            </button>
          </div>
        </form>
      )}
      {canAbort && !isFinal(d.state) && !aborting && (
        <div className="buttons">
          <button type="button" className="danger" disabled={busy} onClick={() => setAborting(true)}>
            Abort
          </button>
        </div>
      )}
      {aborting && (
        <ConfirmDialog
          title={`Abort ${d.id}?`}
          confirmLabel={`Abort ${d.id}`}
          cancelLabel="No, let it run"
          busy={busy}
          onConfirm={() => void act('abort')}
          onCancel={() => setAborting(false)}
        >
          {isInfrastructure(d) ? (
            <p>The infrastructure change of {d.environment} is withdrawn before it applies; nothing changes.</p>
          ) : (
            <p>
              The deployment of {d.release} to {d.environment} stops; green instances are terminated and traffic stays
              on (or returns to) blue.
            </p>
          )}
        </ConfirmDialog>
      )}
      <ErrorAlert error={error} />
    </div>
  );
}

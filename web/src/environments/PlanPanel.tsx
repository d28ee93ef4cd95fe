// Plan, then provision: the plan of the environment's current config as a diff, and (deployers,
// after a plan with changes and nothing refused) Provision, which asks first in prod. The change
// set it starts is followed by the page.

import { useState } from 'react';
import type { Plan } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { canProvision, countsText } from './plan';
import { PlanView } from './PlanView';
import { isProd } from './roles';
import { heldText } from './held';

interface Props {
  env: string;
  canDeploy: boolean;
  /** A change set is being applied from this page: no second one. */
  applying: boolean;
  onStarted: (changesetId: string) => void;
}

export function PlanPanel({ env, canDeploy, applying, onStarted }: Props) {
  const { api } = useSession();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const planning = useAction();
  const provisioning = useAction();

  const makePlan = async () => {
    setOutcome(null);
    const r = await planning.run(() => api.plan(env));
    if (r) {
      setPlan(r.plan);
    }
  };

  const provision = async () => {
    const r = await provisioning.run(() => api.provision(env));
    setConfirming(false);
    if (!r) {
      return;
    }
    if (r.plan) {
      setPlan(r.plan); // what provision planned and applies, which may be newer than the one shown
    }
    if (r.heldAs) {
      setOutcome(heldText(env, 'provision', r.heldAs));
    } else if (r.changesetId) {
      setOutcome(`Provisioning ${env} as ${r.changesetId}; its progress is below.`);
      onStarted(r.changesetId);
    } else {
      setOutcome('Nothing to provision: the cloud already matches the config.');
    }
  };

  const destructive = plan?.changes.filter((c) => c.destructive).length ?? 0;
  const offer = plan !== null && canProvision(plan) && outcome === null;
  return (
    <section className="panel" aria-labelledby="env-plan-title">
      <div className="section-head">
        <h2 id="env-plan-title">Plan</h2>
        <button type="button" onClick={() => void makePlan()} disabled={planning.busy}>
          {planning.busy ? 'Planning…' : 'Plan'}
        </button>
        {offer && canDeploy && (
          <button
            type="button"
            className="primary"
            disabled={applying || provisioning.busy || confirming}
            onClick={() => (isProd(env) ? setConfirming(true) : void provision())}
          >
            {provisioning.busy ? 'Provisioning…' : 'Provision'}
          </button>
        )}
      </div>
      <p className="hint">Compares the config with what the cloud holds; nothing changes until you provision.</p>
      {offer && !canDeploy && <p className="muted">Provisioning needs the deployer role in {env}.</p>}
      {confirming && plan && (
        <ConfirmDialog
          title={`Provision ${env}?`}
          confirmLabel={`Yes, provision ${env}`}
          cancelLabel="No"
          busy={provisioning.busy}
          onConfirm={() => void provision()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Are you sure? This applies the plan below to {env} ({countsText(plan.summary)}).
            {destructive > 0 && ` ${destructive} of the changes ${destructive === 1 ? 'is' : 'are'} destructive.`}
          </p>
        </ConfirmDialog>
      )}
      <ErrorAlert error={planning.error ?? provisioning.error} />
      {outcome && (
        <p role="status" className="notice">
          {outcome}
        </p>
      )}
      {plan && <PlanView plan={plan} />}
    </section>
  );
}

// Deploys a release to an environment (its group is the release's): the first environment of the
// pipeline it has not succeeded in by default; an emergency, with its reason, deploys outside the
// maintenance windows (with the sign-off the emergency needs).

import { useState, type FormEvent } from 'react';
import { EMERGENCIES, type Deployment, type Emergency, type NewDeployment, type Release } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { createDeployment } from './api';
import { EMERGENCY_TEXT } from './details';
import { nextEnvironment } from './pipeline';

interface Props {
  release: Release;
  /** Where the user may deploy, in pipeline order. */
  envs: readonly string[];
  onDeployed: (d: Deployment) => void;
  onCancel: () => void;
}

export function DeployForm({ release, envs, onDeployed, onCancel }: Props) {
  const { api } = useSession();
  const [env, setEnv] = useState(() => nextEnvironment(release, envs));
  const [emergency, setEmergency] = useState<Emergency>('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: NewDeployment = { env, group: release.group, release: release.id };
    if (emergency) {
      body.emergency = emergency;
      body.emergency_reason = reason.trim();
    }
    const d = await run(() => createDeployment(api, body));
    if (d) {
      onDeployed(d);
    }
  };

  return (
    <section aria-labelledby="deploy-title" className="panel">
      <h2 id="deploy-title">Deploy {release.id}</h2>
      <p className="muted">
        Group {release.group}
        {release.image && `, image ${release.image}`}
        {release.commit && `, commit ${release.commit.slice(0, 12)}`}
      </p>
      <form onSubmit={submit}>
        <SelectField label="To environment" value={env} onChange={setEnv}>
          {envs.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </SelectField>
        <SelectField label="Emergency" value={emergency} onChange={(v) => setEmergency(v as Emergency)}>
          {EMERGENCIES.map((m) => (
            <option key={m} value={m}>
              {EMERGENCY_TEXT[m]}
            </option>
          ))}
        </SelectField>
        {emergency && (
          <label>
            Emergency reason
            <input required placeholder="CVE-2026-1234" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
        <ErrorAlert error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy || !env}>
            Deploy {release.id} to {env || '…'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

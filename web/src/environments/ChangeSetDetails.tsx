// One change set read in full: what it planned, what its journal recorded, the config it applied.

import { useEffect, useState } from 'react';
import type { ChangeSet } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatTime } from '../format';
import { useAction } from '../useAction';
import { ConfigText, HIDDEN_CONFIG } from './ConfigPanel';
import { progressText } from './changesets';
import { JournalTable } from './JournalTable';
import { PlanView } from './PlanView';

export function ChangeSetDetails({ env, id, onClose }: { env: string; id: string; onClose: () => void }) {
  const { api } = useSession();
  const [cs, setCs] = useState<ChangeSet | null>(null);
  const loading = useAction();
  const { run } = loading;

  useEffect(() => {
    setCs(null);
    void run(async () => setCs(await api.changeset(env, id)));
  }, [api, env, id, run]);

  return (
    <section className="panel" aria-labelledby="cs-details-title">
      <div className="section-head">
        <h2 id="cs-details-title">Details of {id}</h2>
        <button type="button" onClick={onClose}>
          Close details
        </button>
      </div>
      <ErrorAlert error={loading.error} />
      {!cs && loading.busy && <p role="status">Loading {id}…</p>}
      {cs && (
        <>
          <p>
            {progressText(cs)} Created by {cs.author} at {formatTime(cs.created_at)}; config version{' '}
            <code>{cs.config_version}</code>
            {cs.rollback_of && `; it restored the config of ${cs.rollback_of}`}.
          </p>
          <h3>Plan</h3>
          {cs.plan ? <PlanView plan={cs.plan} caption={`Plan of ${id}`} /> : <p className="muted">No plan recorded.</p>}
          <h3>Journal</h3>
          <JournalTable id={id} journal={cs.journal ?? []} />
          <h3>Config</h3>
          {cs.config_text ? (
            <ConfigText label={`Config of ${id}`} text={cs.config_text} />
          ) : (
            <p className="muted">{cs.config_text_hidden ? HIDDEN_CONFIG : 'No config text recorded.'}</p>
          )}
          {cs.approval && <p>Applied as approved in deployment {cs.approval}.</p>}
        </>
      )}
    </section>
  );
}

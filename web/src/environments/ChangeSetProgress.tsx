// A change set being applied (after provision or rollback): its journal as it grows, then how it
// ended.

import type { ChangeSet } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { inProgress, progressText } from './changesets';
import { JournalTable } from './JournalTable';
import { useFollow } from './useFollow';

interface Props {
  env: string;
  id: string;
  onDone: (cs: ChangeSet) => void;
  onDismiss: () => void;
}

export function ChangeSetProgress({ env, id, onDone, onDismiss }: Props) {
  const { api } = useSession();
  const { changeset: cs, error } = useFollow(api, env, id, onDone);
  const moving = !cs || inProgress(cs.status);
  return (
    <section className={`panel progress${cs ? ` cs-${cs.status}` : ''}`} aria-labelledby="env-progress-title">
      <div className="section-head">
        <h2 id="env-progress-title">Progress of {id}</h2>
        {!moving && (
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <p role="status" className={cs ? `cs-status cs-status-${cs.status}` : 'cs-status'}>
        {cs ? progressText(cs) : `Reading ${id}…`}
      </p>
      <ErrorAlert error={error} />
      {cs && <JournalTable id={id} journal={cs.journal ?? []} />}
    </section>
  );
}

// The apply lock: who holds it and for how long, and (admins of the environment) an Unlock that
// waits until the environment's name is typed, since freeing a live apply's lock lets a second
// apply run beside it.

import { useEffect, useState } from 'react';
import type { LockState } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatAge, formatTime } from '../format';
import { useAction } from '../useAction';

interface Props {
  env: string;
  reloadKey: number;
  canUnlock: boolean;
}

export function LockBanner({ env, reloadKey, canUnlock }: Props) {
  const { api } = useSession();
  const [lock, setLock] = useState<LockState | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [released, setReleased] = useState<string | null>(null);
  const reading = useAction();
  const unlocking = useAction();
  const { run } = reading;
  const [again, setAgain] = useState(0);

  useEffect(() => {
    void run(async () => setLock(await api.lock(env)));
  }, [api, env, run, reloadKey, again]);

  const unlock = async () => {
    const r = await unlocking.run(() => api.unlock(env));
    setConfirming(false);
    if (r) {
      setReleased(
        r.released ? `Unlocked ${env}${r.owner ? ` (the lock of ${r.owner})` : ''}.` : `${env} was not locked.`,
      );
      setAgain((a) => a + 1);
    }
  };

  return (
    <>
      <ErrorAlert error={reading.error ?? unlocking.error} />
      {released && !lock?.locked && (
        <p role="status" className="ok">
          {released}
        </p>
      )}
      {lock?.locked && (
        <div className="lock-banner" role="status" aria-label={`${env} is locked`}>
          <p>
            <strong>Locked</strong>: {env} is held by {lock.owner ?? 'an unknown owner'}
            {lock.acquired_at && ` since ${formatTime(lock.acquired_at)}`}
            {lock.age_seconds !== undefined && ` (${formatAge(lock.age_seconds)})`}. Provision and rollback wait until
            it is released.
          </p>
          {canUnlock && (
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={confirming}>
              Unlock
            </button>
          )}
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Unlock ${env}?`}
          word={env}
          confirmLabel={`Unlock ${env}`}
          busy={unlocking.busy}
          onConfirm={() => void unlock()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The lock is held by {lock?.owner ?? 'an unknown owner'}. Unlock only when that apply has stopped: two
            applies at once can leave resources half made.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

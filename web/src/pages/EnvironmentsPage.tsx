// Environments as code, one environment at a time (the header's selector, or ?env= in the URL):
// status and drift, the lock, the applied config, plan and provision, the change sets and
// rollback; a change set being applied is followed until it ends.

import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { ChangeSetProgress } from '../environments/ChangeSetProgress';
import { ConfigPanel } from '../environments/ConfigPanel';
import { HistoryPanel } from '../environments/HistoryPanel';
import { LockBanner } from '../environments/LockBanner';
import { PlanPanel } from '../environments/PlanPanel';
import { isProd, may } from '../environments/roles';
import { ROLLBACK_WORD, targetText } from '../environments/rollback';
import { StatusPanel } from '../environments/StatusPanel';
import { hrefFor, navigate } from '../router';
import { useAction } from '../useAction';
import { heldText } from '../environments/held';

function RollbackConfirm(props: {
  env: string;
  target: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { env, target } = props;
  const prod = isProd(env);
  return (
    <ConfirmDialog
      title={`Roll back ${env} to ${targetText(target)}?`}
      {...(prod ? { word: ROLLBACK_WORD } : {})}
      confirmLabel={`Roll back ${env}`}
      busy={props.busy}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>
        A rollback applies that config again as a new change set: what it does not have is changed or deleted.
        {prod && ' This is production.'}
      </p>
    </ConfirmDialog>
  );
}

function EnvironmentView({ env }: { env: string }) {
  const { api, user, environments } = useSession();
  const [reloadKey, setReloadKey] = useState(0);
  const [following, setFollowing] = useState<string | null>(null);
  const [followEnded, setFollowEnded] = useState(false);
  const [target, setTarget] = useState<string | null>(null);
  const [rollbackNote, setRollbackNote] = useState<string | null>(null);
  const rolling = useAction();
  const info = environments.find((e) => e.name === env);
  const canDeploy = may(user, env, 'deployer');
  const applying = following !== null && !followEnded;

  const refresh = () => setReloadKey((k) => k + 1);
  const follow = (id: string) => {
    setFollowing(id);
    setFollowEnded(false);
    refresh(); // the lock is taken, the history has a new change set
  };
  const ended = () => {
    setFollowEnded(true);
    refresh();
  };

  const rollback = async (to: string) => {
    setRollbackNote(null);
    const r = await rolling.run(() => api.rollback(env, to, isProd(env) ? ROLLBACK_WORD : undefined));
    setTarget(null);
    if (r?.heldAs) {
      setRollbackNote(heldText(env, 'rollback', r.heldAs));
    } else if (r?.changesetId) {
      follow(r.changesetId);
    } else if (r) {
      setRollbackNote(`Nothing to roll back: ${env} already has the config of ${targetText(to)}.`);
    }
  };

  return (
    <main aria-labelledby="env-title">
      <div className="page-head">
        <h1 id="env-title">Environment {env}</h1>
        {info && (
          <p className="muted">
            {info.region}, {info.provider}
          </p>
        )}
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      <LockBanner env={env} reloadKey={reloadKey} canUnlock={may(user, env, 'admin')} />
      <StatusPanel env={env} reloadKey={reloadKey} />
      <ConfigPanel env={env} reloadKey={reloadKey} />
      <PlanPanel env={env} canDeploy={canDeploy} applying={applying} onStarted={follow} />
      {following && (
        <ChangeSetProgress
          key={following}
          env={env}
          id={following}
          onDone={ended}
          onDismiss={() => setFollowing(null)}
        />
      )}
      {target && (
        <RollbackConfirm
          env={env}
          target={target}
          busy={rolling.busy}
          onConfirm={() => void rollback(target)}
          onCancel={() => setTarget(null)}
        />
      )}
      <ErrorAlert error={rolling.error} />
      {rollbackNote && (
        <p role="status" className="notice">
          {rollbackNote}
        </p>
      )}
      <HistoryPanel
        env={env}
        reloadKey={reloadKey}
        canRollback={canDeploy}
        busy={applying || rolling.busy || target !== null}
        following={applying ? following : null}
        onRollback={setTarget}
        onFollow={follow}
      />
    </main>
  );
}

function Chooser() {
  const { environments } = useSession();
  return (
    <main aria-labelledby="env-title">
      <h1 id="env-title">Environments</h1>
      <p>Choose an environment in the header, or here:</p>
      <ul>
        {environments.map((e) => (
          <li key={e.name}>
            <a href={hrefFor('/environments', new URLSearchParams({ env: e.name }))}>{e.name}</a>{' '}
            <span className="muted">
              ({e.region}, {e.provider})
            </span>
          </li>
        ))}
      </ul>
    </main>
  );
}

/**
 * The environment is ?env= when given (it then sets the header's selector), else the selector's;
 * a change of the selector on this page moves the URL along.
 */
export function EnvironmentsPage({ params }: { params: URLSearchParams }) {
  const { env: selected, setEnv } = useSession();
  const urlEnv = params.get('env') ?? '';
  const selectedNow = useRef(selected);
  selectedNow.current = selected;
  const previous = useRef(selected);

  useEffect(() => {
    if (urlEnv && urlEnv !== selectedNow.current) {
      setEnv(urlEnv);
    }
  }, [urlEnv, setEnv]);

  useEffect(() => {
    if (previous.current === selected) {
      return;
    }
    previous.current = selected;
    if (selected !== urlEnv) {
      navigate('/environments', selected ? new URLSearchParams({ env: selected }) : undefined, true);
    }
  }, [selected, urlEnv]);

  const env = urlEnv || selected;
  return env ? <EnvironmentView key={env} env={env} /> : <Chooser />;
}

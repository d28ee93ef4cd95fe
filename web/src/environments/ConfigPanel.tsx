// The config last applied to the environment (else the server's file), read-only, with its
// version and the change set that applied it.

import { useEffect, useState } from 'react';
import type { EnvironmentConfig } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';

/** Why a config's text is not shown (the server left it out). */
export const HIDDEN_CONFIG =
  'The config text is shown to deployers and admins of this environment only: it carries the instance groups’ user data.';

export function ConfigText({ label, text }: { label: string; text: string }) {
  // Focusable, so a keyboard can scroll it (it is as tall as a screen at most).
  return (
    <pre className="config" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );
}

export function ConfigPanel({ env, reloadKey }: { env: string; reloadKey: number }) {
  const { api } = useSession();
  const [config, setConfig] = useState<EnvironmentConfig | null>(null);
  const loading = useAction();
  const { run } = loading;

  useEffect(() => {
    void run(async () => setConfig(await api.environmentConfig(env)));
  }, [api, env, run, reloadKey]);

  return (
    <section className="panel" aria-labelledby="env-config-title">
      <h2 id="env-config-title">Config</h2>
      <ErrorAlert error={loading.error} />
      {!config && loading.busy && <p role="status">Loading config…</p>}
      {config && (
        <>
          <p>
            Version <code>{config.version}</code>
            {config.applied_change_set
              ? `, applied by ${config.applied_change_set}`
              : ', not applied through ec2m yet (the server’s file)'}
          </p>
          {config.text !== null ? (
            <ConfigText label={`Config of ${env}`} text={config.text} />
          ) : (
            <p className="muted">{HIDDEN_CONFIG}</p>
          )}
        </>
      )}
    </section>
  );
}

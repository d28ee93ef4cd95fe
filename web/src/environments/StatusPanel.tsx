// The environment's health: the overall badge, the four categories with their summaries and
// details, and drift (resources changed or deleted outside ec2m: expected vs actual).

import { useEffect, useState } from 'react';
import type { DriftReport, EnvironmentStatus, EnvStatusValue } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { shown } from './plan';

export function StatusBadge({ status }: { status: EnvStatusValue | string }) {
  return <span className={`status-badge status-${String(status).toLowerCase()}`}>{status}</span>;
}

function Drift({ env, drift }: { env: string; drift: DriftReport }) {
  if (drift.items.length === 0) {
    return <p className="ok">No drift: every resource matches the applied config.</p>;
  }
  return (
    <>
      <p className="bad">
        {drift.drifted} {drift.drifted === 1 ? 'resource has' : 'resources have'} drifted from the applied config.
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Drift of {env}</caption>
          <ColumnHeads names={['Logical id', 'Type', 'Physical id', 'Drift', 'Expected → actual']} />
          <tbody>
            {drift.items.map((d) => (
              <tr key={`${d.logical_id}/${d.physical_id}`}>
                <th scope="row">{d.logical_id}</th>
                <td>{d.type}</td>
                <td>
                  <code>{d.physical_id}</code>
                </td>
                <td className={d.kind === 'deleted' ? 'bad' : 'warn'}>{d.kind}</td>
                <td>
                  <ul className="props">
                    {d.properties.map((p) => (
                      <li key={p.property}>
                        {p.property}: <code>{shown(p.expected)}</code> → <code>{shown(p.actual)}</code>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function StatusPanel({ env, reloadKey }: { env: string; reloadKey: number }) {
  const { api } = useSession();
  const [status, setStatus] = useState<EnvironmentStatus | null>(null);
  const [drift, setDrift] = useState<DriftReport | null>(null);
  const loading = useAction();
  const { run } = loading;

  useEffect(() => {
    void run(async () => {
      // One failing (drift needs the cloud) must not hide the other.
      const [s, d] = await Promise.allSettled([api.environmentStatus(env), api.drift(env)]);
      if (s.status === 'fulfilled') {
        setStatus(s.value);
      }
      if (d.status === 'fulfilled') {
        setDrift(d.value);
      }
      const failed = [s, d].find((r) => r.status === 'rejected');
      if (failed) {
        throw failed.reason;
      }
    });
  }, [api, env, run, reloadKey]);

  return (
    <section className="panel" aria-labelledby="env-status-title">
      <div className="section-head">
        <h2 id="env-status-title">Status</h2>
        {status && (
          <p className="overall">
            Overall: <StatusBadge status={status.status} />
          </p>
        )}
      </div>
      <ErrorAlert error={loading.error} />
      {!status && loading.busy && <p role="status">Loading status…</p>}
      {status && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Status checks of {env}</caption>
            <ColumnHeads names={['Category', 'Status', 'Summary', 'Details']} />
            <tbody>
              {status.checks.map((c) => (
                <tr key={c.category}>
                  <th scope="row">{c.category}</th>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.summary}</td>
                  <td>
                    {c.details.length > 0 && (
                      <ul className="details">
                        {c.details.map((d, i) => (
                          <li key={i}>{d}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Drift</h3>
      {drift && <Drift env={env} drift={drift} />}
    </section>
  );
}

// Releases newest first, each with the pipeline dev → staging → prod: one cell per environment
// with the release's deployment there (its state; a click opens it) or "—"; deployers get a
// Deploy button per release.

import type { Release } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { formatShortTime, formatTime } from '../format';
import { latestIn } from './pipeline';
import { StateBadge } from './StateBadge';

interface Props {
  releases: readonly Release[];
  columns: readonly string[];
  opened: string;
  onOpen: (deploymentId: string) => void;
  /** Absent for users who may deploy nowhere. */
  onDeploy?: (release: Release) => void;
}

function What({ release: r }: { release: Release }) {
  const commit = r.commit ? `${r.commit.slice(0, 12)}${r.branch ? ` (${r.branch})` : ''}` : '';
  return (
    <td className="detail">
      {r.image || 'image unchanged'}
      {r.user_data ? ', new user data' : ''}
      {r.user_data_hidden ? ', new user data (shown to deployers)' : ''}
      {commit && <div className="muted">{commit}</div>}
    </td>
  );
}

export function PipelineTable({ releases, columns, opened, onOpen, onDeploy }: Props) {
  const names = ['Release', 'Group', 'Image / commit', 'Author', 'Created', ...columns];
  return (
    <div className="table-wrap">
      <table className="pipeline">
        <caption className="visually-hidden">Releases, newest first</caption>
        <ColumnHeads names={onDeploy ? [...names, 'Actions'] : names} />
        <tbody>
          {releases.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.id}</th>
              <td>{r.group}</td>
              <What release={r} />
              <td>{r.author}</td>
              <td title={formatTime(r.created_at)}>{formatShortTime(r.created_at)}</td>
              {columns.map((env) => {
                const d = latestIn(r, env);
                if (!d) {
                  return (
                    <td key={env} className="muted">
                      —
                    </td>
                  );
                }
                return (
                  <td key={env} className={d.id === opened ? 'selected' : undefined}>
                    <button
                      type="button"
                      className="link"
                      aria-expanded={d.id === opened}
                      aria-label={`${d.id}: ${r.id} in ${env}`}
                      onClick={() => onOpen(d.id === opened ? '' : d.id)}
                    >
                      {d.id}
                    </button>{' '}
                    <StateBadge state={d.state} />
                  </td>
                );
              })}
              {onDeploy && (
                <td>
                  <button type="button" onClick={() => onDeploy(r)}>
                    Deploy {r.id}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

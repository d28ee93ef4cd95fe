// Infrastructure changes held for approval (provision and rollback of an environment whose
// config requires a second person), newest first: what each applies, who asked, its approvals
// and state; a click opens it (its plan, approvals and actions).

import type { Deployment } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { formatShortTime, formatTime } from '../format';
import { approvalsText, changeText } from './details';
import { StateBadge } from './StateBadge';

interface Props {
  changes: readonly Deployment[];
  opened: string;
  onOpen: (id: string) => void;
}

export function InfrastructureTable({ changes, opened, onOpen }: Props) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Infrastructure changes, newest first</caption>
        <ColumnHeads names={['Deployment', 'Environment', 'Change', 'Author', 'Created', 'Approvals', 'State']} />
        <tbody>
          {changes.map((d) => (
            <tr key={d.id} className={d.id === opened ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  aria-expanded={d.id === opened}
                  aria-label={`${d.id}: ${changeText(d)} of ${d.environment}`}
                  onClick={() => onOpen(d.id === opened ? '' : d.id)}
                >
                  {d.id}
                </button>
              </th>
              <td>{d.environment}</td>
              <td>{changeText(d)}</td>
              <td>{d.author}</td>
              <td title={formatTime(d.created_at)}>{formatShortTime(d.created_at)}</td>
              <td>{approvalsText(d)}</td>
              <td>
                <StateBadge state={d.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

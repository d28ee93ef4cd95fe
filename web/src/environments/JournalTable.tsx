// The journal of an apply: one line per step as it was recorded.

import type { JournalEntry } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { formatShortTime, formatTime } from '../format';

export function JournalTable({ id, journal }: { id: string; journal: readonly JournalEntry[] }) {
  if (journal.length === 0) {
    return <p className="muted">No steps recorded yet.</p>;
  }
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Journal of {id}</caption>
        <ColumnHeads names={['Logical id', 'Action', 'Status', 'Physical id', 'Error', 'At']} />
        <tbody>
          {journal.map((j, i) => (
            <tr key={`${j.logical_id}/${j.action}/${i}`}>
              <th scope="row">{j.logical_id}</th>
              <td>{j.action}</td>
              <td className={`step step-${j.status}`}>{j.status}</td>
              <td>{j.physical_id && <code>{j.physical_id}</code>}</td>
              <td className="bad">{j.error}</td>
              <td title={formatTime(j.at)}>{formatShortTime(j.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// The incidents table, newest first: severity, status, commander and the response deadline
// (overdue ones marked); a click on the id opens the incident.

import type { Incident } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { formatShortTime, formatTime } from '../format';
import { commanderText, responseDue } from './incidents';

const COLUMNS = ['ID', 'Severity', 'Title', 'Environment', 'Status', 'Commander', 'Opened', 'Response due'];

function DueCell({ incident, now }: { incident: Incident; now: Date }) {
  const due = responseDue(incident, now);
  if (due.kind === 'resolved') {
    return <td className="muted">—</td>;
  }
  if (due.kind === 'acknowledged') {
    return <td className="ok">acknowledged</td>;
  }
  const iso = due.at.toISOString();
  return (
    <td className={due.overdue ? 'bad' : undefined} title={formatTime(iso)}>
      {formatShortTime(iso)}
      {due.overdue && <span className="label">overdue</span>}
    </td>
  );
}

interface Props {
  incidents: readonly Incident[];
  selected: string;
  onSelect: (id: string) => void;
}

export function IncidentTable({ incidents, selected, onSelect }: Props) {
  const now = new Date();
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Incidents</caption>
        <ColumnHeads names={COLUMNS} />
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id} className={i.id === selected ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  aria-expanded={i.id === selected}
                  aria-label={`Details of ${i.id}`}
                  onClick={() => onSelect(i.id === selected ? '' : i.id)}
                >
                  {i.id}
                </button>
              </th>
              <td>
                <span className={`sev sev-${i.severity.toLowerCase()}`}>{i.severity}</span> {i.severity_label}
              </td>
              <td>{i.title}</td>
              <td>{i.environment}</td>
              <td className={`incident-status-${i.status}`}>{i.status}</td>
              <td>{commanderText(i.commander)}</td>
              <td title={formatTime(i.opened_at)}>{formatShortTime(i.opened_at)}</td>
              <DueCell incident={i} now={now} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

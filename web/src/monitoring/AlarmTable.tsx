// The alarms table: state first in the eye (a badge per state), a click on the name for details.

import type { Alarm } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { formatShortTime, formatTime } from '../format';
import { alarmKey } from './alarms';
import { AlarmStateBadge } from './AlarmStateBadge';

const COLUMNS = ['Alarm', 'Environment', 'Severity', 'State', 'Reason', 'Since', 'Muted', 'Acknowledged by'];

interface Props {
  alarms: readonly Alarm[];
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function AlarmTable({ alarms, selected, onSelect }: Props) {
  return (
    <div className="table-wrap">
      <table className="alarms">
        <caption className="visually-hidden">Alarms</caption>
        <ColumnHeads names={COLUMNS} />
        <tbody>
          {alarms.map((a) => {
            const key = alarmKey(a);
            const open = key === selected;
            return (
              <tr key={key} className={`alarm-row-${a.state.toLowerCase()}${open ? ' selected' : ''}`}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    aria-expanded={open}
                    aria-label={`Details of ${a.name} in ${a.environment}`}
                    onClick={() => onSelect(open ? null : key)}
                  >
                    {a.name}
                  </button>
                </th>
                <td>{a.environment}</td>
                <td className={`severity-${a.severity}`}>{a.severity}</td>
                <td data-testid="alarm-state">
                  <AlarmStateBadge state={a.state} />
                </td>
                <td className="detail">{a.reason}</td>
                <td title={a.since ? formatTime(a.since) : undefined}>{a.since ? formatShortTime(a.since) : '—'}</td>
                <td>{a.muted ? 'muted until resolved' : 'no'}</td>
                <td>{a.acknowledged_by || '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

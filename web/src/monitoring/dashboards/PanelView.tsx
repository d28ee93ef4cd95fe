// One dashboard panel, drawn by its kind: a stat's big number with its unit, a timeseries' line
// chart, an alarms list with states, a table of labelled values. An unknown kind says so.

import type { Dashboard, Panel } from '../../api/types';
import { ColumnHeads } from '../../components/ColumnHeads';
import { formatShortTime, formatTime } from '../../format';
import { AlarmStateBadge } from '../AlarmStateBadge';
import { LineChart } from '../charts/LineChart';
import { formatValue, NO_DATA } from '../units';

function Body({ panel, dashboard }: { panel: Panel; dashboard: Dashboard }) {
  switch (panel.kind) {
    case 'stat': {
      const text = formatValue(panel.value, panel.unit);
      return <p className={text === NO_DATA ? 'stat muted' : 'stat'}>{text}</p>;
    }
    case 'timeseries':
      return (
        <LineChart
          title={panel.title}
          unit={panel.unit}
          series={panel.series ?? []}
          start={dashboard.start}
          period={dashboard.period}
        />
      );
    case 'alarms':
      return (panel.alarms ?? []).length === 0 ? (
        <p className="muted">No alarms.</p>
      ) : (
        <ul className="alarm-list">
          {panel.alarms.map((a) => (
            <li key={a.name} title={a.reason}>
              <AlarmStateBadge state={a.state} /> {a.name} <span className="muted">{a.severity}</span>
              {a.since && (
                <span className="muted" title={formatTime(a.since)}>
                  {' '}
                  since {formatShortTime(a.since)}
                </span>
              )}
            </li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <table>
          <caption className="visually-hidden">{panel.title}</caption>
          <ColumnHeads names={['Name', 'Value']} />
          <tbody>
            {(panel.rows ?? []).map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td className="num">{formatValue(r.value, panel.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    default: {
      const kind = (panel as { kind?: unknown }).kind;
      return <p className="muted">This console cannot draw panels of kind &quot;{String(kind)}&quot;.</p>;
    }
  }
}

export function PanelView({ panel, dashboard }: { panel: Panel; dashboard: Dashboard }) {
  const titleId = `panel-${panel.id}-title`;
  return (
    <section className={`dash-panel dash-${panel.kind}`} aria-labelledby={titleId}>
      <h2 id={titleId}>{panel.title}</h2>
      <Body panel={panel} dashboard={dashboard} />
    </section>
  );
}

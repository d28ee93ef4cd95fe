// One alarm: its rule field by field, its history (newest first), and mute / acknowledge for
// deployers of its scope.

import { useEffect, useState, type ReactNode } from 'react';
import type { Alarm, AlarmHistoryEntry } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { may } from '../environments/roles';
import { formatTime } from '../format';
import { useAction } from '../useAction';
import { conditionText, missingDataText, periodText, ruleText } from './alarms';
import { AlarmStateBadge } from './AlarmStateBadge';

function History({ alarm, reloadKey }: { alarm: Alarm; reloadKey: number }) {
  const { api } = useSession();
  const [items, setItems] = useState<AlarmHistoryEntry[] | null>(null);
  const loading = useAction();
  const { run } = loading;
  const { environment: env, name } = alarm;

  useEffect(() => {
    void run(async () => setItems(await api.alarmHistory(env, name)));
  }, [api, env, name, run, reloadKey]);

  return (
    <>
      <h3>History</h3>
      <ErrorAlert error={loading.error} />
      {items === null && loading.busy && <p role="status">Loading the history…</p>}
      {items?.length === 0 && <p className="muted">No history yet: the alarm has not changed since it was created.</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              History of {name} in {env}, newest first
            </caption>
            <ColumnHeads names={['Time', 'Kind', 'Summary', 'Change', 'Actor']} />
            <tbody>
              {items.map((h, i) => (
                <tr key={`${h.time}-${i}`}>
                  <td>{formatTime(h.time)}</td>
                  <td>{h.kind}</td>
                  <td className="detail">{h.summary}</td>
                  <td>{h.from || h.to ? `${h.from || '?'} → ${h.to || '?'}` : ''}</td>
                  <td>{h.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

interface Props {
  alarm: Alarm;
  onChanged: (a: Alarm) => void;
  onClose: () => void;
}

export function AlarmDetails({ alarm: a, onChanged, onClose }: Props) {
  const { api, user } = useSession();
  const acting = useAction();
  const [reloadKey, setReloadKey] = useState(0);
  const canAct = may(user, a.environment, 'deployer');
  const dims = Object.entries(a.dimensions ?? {});

  const act = async (f: () => Promise<Alarm>) => {
    const changed = await acting.run(f);
    if (changed) {
      onChanged(changed);
      setReloadKey((k) => k + 1);
    }
  };

  return (
    <section className="panel" aria-labelledby="alarm-details-title">
      <div className="section-head">
        <h2 id="alarm-details-title">
          {a.name} in {a.environment}
        </h2>
        <button type="button" onClick={onClose}>
          Close details
        </button>
      </div>
      {a.description && <p>{a.description}</p>}
      <p>
        <AlarmStateBadge state={a.state} /> {a.reason}
      </p>
      <dl className="facts">
        <Fact term="Rule">{ruleText(a)}</Fact>
        <Fact term="Metric">
          <code>{a.metric}</code>
          {dims.length > 0 && ` (${dims.map(([k, v]) => `${k}=${v}`).join(', ')})`}
        </Fact>
        <Fact term="Statistic">{a.statistic}</Fact>
        <Fact term="Period">{periodText(a.period)}</Fact>
        <Fact term="Datapoints to alarm (M of N)">
          {a.datapoints_to_alarm} of {a.evaluation_periods}
        </Fact>
        <Fact term="Condition">
          {conditionText(a)} <span className="muted">({a.comparison})</span>
        </Fact>
        <Fact term="Missing data">{missingDataText(a.treat_missing_data)}</Fact>
        <Fact term="Severity">{a.severity}</Fact>
        <Fact term="Channels">{a.channels.length ? a.channels.join(', ') : 'every channel that takes alarms'}</Fact>
        <Fact term="Since">{a.since ? formatTime(a.since) : 'not evaluated yet'}</Fact>
        <Fact term="Last evaluated">{a.last_evaluated ? formatTime(a.last_evaluated) : 'never'}</Fact>
        <Fact term="Notifications">{a.muted ? 'muted until the alarm is resolved' : 'on'}</Fact>
        <Fact term="Acknowledged by">{a.acknowledged_by || 'nobody'}</Fact>
      </dl>
      <div className="buttons">
        <button
          type="button"
          disabled={!canAct || a.muted || acting.busy}
          onClick={() => void act(() => api.muteAlarm(a.environment, a.name))}
        >
          Mute until resolved
        </button>
        <button
          type="button"
          disabled={!canAct || a.state !== 'ALARM' || acting.busy}
          onClick={() => void act(() => api.acknowledgeAlarm(a.environment, a.name))}
        >
          Acknowledge
        </button>
      </div>
      {!canAct && <p className="hint">Muting and acknowledging need the deployer role in {a.environment}.</p>}
      {canAct && a.state !== 'ALARM' && <p className="hint">Only an alarm in ALARM can be acknowledged.</p>}
      <ErrorAlert error={acting.error} />
      <History alarm={a} reloadKey={reloadKey} />
    </section>
  );
}

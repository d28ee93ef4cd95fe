// A plan as a diff: one row per change with its sign, ids, type and property changes. A
// destructive change (replace, delete) carries a class and the word "destructive", a refused one
// the word "refused" and why, so neither depends on colour alone.

import type { Plan, PlanChange } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { REFUSAL, SIGNS, shown, summaryLine } from './plan';

function rowClass(c: PlanChange): string {
  return [`change-${c.action}`, c.destructive ? 'destructive' : '', c.refused ? 'refused' : '']
    .filter(Boolean)
    .join(' ');
}

function ChangeRow({ change: c }: { change: PlanChange }) {
  return (
    <tr className={rowClass(c)}>
      <td className="change">
        <span className="sign" aria-hidden="true">
          {SIGNS[c.action]}
        </span>{' '}
        {c.action}
      </td>
      <th scope="row">
        {c.logical_id}
        {c.name && <div className="hint">{c.name}</div>}
      </th>
      <td>{c.type}</td>
      <td>{c.physical_id ? <code>{c.physical_id}</code> : <span className="muted">(new)</span>}</td>
      <td>
        {c.properties.length > 0 && (
          <ul className="props">
            {c.properties.map((p) => (
              <li key={p.property}>
                {p.property}: <code>{shown(p.from)}</code> → <code>{shown(p.to)}</code>
                {p.replaces && <em> (forces replacement)</em>}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="notes">
        {c.destructive && <span className="label label-destructive">destructive</span>}
        {c.refused && (
          <>
            <span className="label label-refused">refused</span> <span className="bad">{REFUSAL}</span>
          </>
        )}
        {c.reason && <div>{c.reason}</div>}
      </td>
    </tr>
  );
}

export function PlanView({ plan, caption }: { plan: Plan; caption?: string }) {
  return (
    <>
      <p className={plan.summary.refused ? 'plan-summary bad' : 'plan-summary'}>{summaryLine(plan)}</p>
      {plan.changes.length === 0 ? (
        <p className="muted">No changes: the cloud already matches the config.</p>
      ) : (
        <div className="table-wrap">
          <table className="plan">
            <caption className="visually-hidden">{caption ?? `Plan for ${plan.environment}`}</caption>
            <ColumnHeads names={['Change', 'Logical id', 'Type', 'Physical id', 'Properties', 'Notes']} />
            <tbody>
              {plan.changes.map((c, i) => (
                <ChangeRow key={`${c.action}/${c.logical_id}/${c.physical_id}/${i}`} change={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

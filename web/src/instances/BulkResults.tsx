// The outcome of an action, one line per instance: what it is now, or why it was refused.

import { ColumnHeads } from '../components/ColumnHeads';
import { summarize, type BulkOutcome } from './bulk';

interface Props {
  outcome: BulkOutcome;
  onDismiss: () => void;
}

export function BulkResults({ outcome, onDismiss }: Props) {
  const failed = outcome.results.some((r) => !r.ok);
  return (
    <section className={failed ? 'results results-failed' : 'results'} aria-label="Action results">
      <div className="results-head">
        <h2 aria-live="polite">{summarize(outcome)}</h2>
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <table>
        <ColumnHeads names={['Instance', 'Environment', 'Result']} />
        <tbody>
          {outcome.results.map((r) => (
            <tr key={`${r.env}/${r.id}`}>
              <td>
                <code>{r.id}</code>
              </td>
              <td>{r.env}</td>
              <td className={r.ok ? 'ok' : 'bad'}>
                {r.ok
                  ? `OK${r.state ? `, now ${r.state}` : ''}`
                  : `Failed: ${r.error?.message ?? 'no reason given'}${r.error?.code ? ` (${r.error.code})` : ''}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

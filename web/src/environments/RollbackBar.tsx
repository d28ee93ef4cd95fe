// The rollback targets that are not a row of the history: the previous change set, or the config
// that was live at a time (RFC 3339).

import { useId, useState, type FormEvent } from 'react';
import { isRfc3339 } from './rollback';

export function RollbackBar({ disabled, onRollback }: { disabled: boolean; onRollback: (target: string) => void }) {
  const [time, setTime] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = time.trim();
    if (!isRfc3339(t)) {
      setProblem('Enter a time with its zone, as RFC 3339: 2025-09-14T10:00:00Z');
      return;
    }
    setProblem(null);
    onRollback(t);
  };

  return (
    <div className="rollback-bar" role="group" aria-label="Roll back">
      <button type="button" className="danger" disabled={disabled} onClick={() => onRollback('previous')}>
        Roll back to previous
      </button>
      <form onSubmit={submit} className="inline-form">
        <label htmlFor={`${id}-time`}>Roll back to time (RFC 3339)</label>
        <input
          id={`${id}-time`}
          value={time}
          placeholder="2025-09-14T10:00:00Z"
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(e) => setTime(e.target.value)}
        />
        <button type="submit" className="danger" disabled={disabled || time.trim() === ''}>
          Roll back to time
        </button>
      </form>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="error">
          {problem}
        </p>
      )}
    </div>
  );
}

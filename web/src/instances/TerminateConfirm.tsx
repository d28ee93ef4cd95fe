// Terminating is final, so it waits until the user types how many instances go (or the word
// "terminate"): a click alone, or Enter in the wrong place, never terminates anything.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Instance } from '../api/types';

export function isTerminateConfirmed(text: string, count: number): boolean {
  const t = text.trim();
  return t.toLowerCase() === 'terminate' || (count > 0 && t === String(count));
}

interface Props {
  rows: readonly Instance[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

const SHOWN = 10;

export function TerminateConfirm({ rows, busy, onConfirm, onCancel }: Props) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const count = rows.length;
  const ok = isTerminateConfirmed(text, count);
  const noun = count === 1 ? 'instance' : 'instances';

  useEffect(() => input.current?.focus(), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ok && !busy) {
      onConfirm();
    }
  };

  return (
    <section
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      className="dialog danger"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h2 id={`${id}-title`}>
        Terminate {count} {noun}?
      </h2>
      <p id={`${id}-desc`}>Terminated instances cannot be started again; their instance-store data is lost.</p>
      <ul className="id-list">
        {rows.slice(0, SHOWN).map((r) => (
          <li key={`${r.env}/${r.id}`}>
            <code>{r.id}</code> {r.name && `(${r.name})`} in {r.env}
            {r.termination_protection && ' — termination protection is on; it will be refused'}
          </li>
        ))}
        {count > SHOWN && <li>and {count - SHOWN} more</li>}
      </ul>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-input`}>Type {count} or “terminate” to confirm</label>
        <input
          id={`${id}-input`}
          ref={input}
          value={text}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
        />
        <div className="buttons">
          <button type="submit" className="danger" disabled={!ok || busy}>
            Terminate {count} {noun}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

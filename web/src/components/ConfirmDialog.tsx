// A confirmation in the page (an alertdialog, as TerminateConfirm): either a plain question whose
// default answer is no (the focus starts on the cancel button, as in "Are you sure? (y/N)"), or
// one that waits until an exact word is typed. Escape cancels.

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  /** The text to type before the confirm button works; none: a plain question. */
  word?: string;
  confirmLabel: string;
  cancelLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ title, children, word, confirmLabel, cancelLabel, busy, onConfirm, onCancel }: Props) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  const ok = word === undefined || text === word;

  useEffect(() => (word === undefined ? cancel.current : input.current)?.focus(), [word]);

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
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-desc`}>{children}</div>
      <form onSubmit={submit}>
        {word !== undefined && (
          <>
            <label htmlFor={`${id}-input`}>Type {word} to confirm</label>
            <input
              id={`${id}-input`}
              ref={input}
              value={text}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setText(e.target.value)}
            />
          </>
        )}
        <div className="buttons">
          <button type="submit" className="danger" disabled={!ok || busy}>
            {confirmLabel}
          </button>
          <button type="button" ref={cancel} onClick={onCancel}>
            {cancelLabel ?? 'Cancel'}
          </button>
        </div>
      </form>
    </section>
  );
}

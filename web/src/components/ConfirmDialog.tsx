// A confirmation in the page (an alertdialog): either a plain question whose default answer is no
// (the focus starts on the cancel button, as in "Are you sure? (y/N)"), or one that waits until
// the right text is typed (an exact word, or what `accepts` takes). Escape cancels.

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  /** The text to type before the confirm button works; none: a plain question. */
  word?: string;
  /** Instead of one exact word: which typed texts confirm, and the label that says so. */
  accepts?: (text: string) => boolean;
  typeLabel?: string;
  confirmLabel: string;
  cancelLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  title,
  children,
  word,
  accepts,
  typeLabel,
  confirmLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
}: Props) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  const typed = word !== undefined || accepts !== undefined;
  const ok = accepts ? accepts(text) : word === undefined || text === word;

  useEffect(() => (typed ? input.current : cancel.current)?.focus(), [typed]);

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
        {typed && (
          <>
            <label htmlFor={`${id}-input`}>{typeLabel ?? `Type ${word ?? ''} to confirm`}</label>
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

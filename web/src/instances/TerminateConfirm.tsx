// Terminating is final, so it waits until the user types how many instances go (or the word
// "terminate"): a click alone, or Enter in the wrong place, never terminates anything.

import { ConfirmDialog } from '../components/ConfirmDialog';
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
  const count = rows.length;
  const noun = count === 1 ? 'instance' : 'instances';
  return (
    <ConfirmDialog
      title={`Terminate ${count} ${noun}?`}
      accepts={(text) => isTerminateConfirmed(text, count)}
      typeLabel={`Type ${count} or “terminate” to confirm`}
      confirmLabel={`Terminate ${count} ${noun}`}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>Terminated instances cannot be started again; their instance-store data is lost.</p>
      <ul className="id-list">
        {rows.slice(0, SHOWN).map((r) => (
          <li key={`${r.env}/${r.id}`}>
            <code>{r.id}</code> {r.name && `(${r.name})`} in {r.env}
            {r.termination_protection && ' — termination protection is on; it will be refused'}
          </li>
        ))}
        {count > SHOWN && <li>and {count - SHOWN} more</li>}
      </ul>
    </ConfirmDialog>
  );
}

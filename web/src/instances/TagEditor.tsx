// Edits one instance's tags; Save sends only the keys set or removed. A refusal (a protected tag
// changed without the deployer role) is shown in the dialog, which stays open with nothing changed.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Instance } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../useAction';
import {
  diffTags,
  isNoChange,
  PROTECTED_TAGS_HINT,
  rowsFromTags,
  tagRowsProblem,
  type TagChange,
  type TagRow,
} from './tags';

interface Props {
  instance: Instance;
  onSave: (change: TagChange) => Promise<void>;
  onClose: () => void;
  /** False for callers below deployer: the tags ec2m manages instances by are not theirs to change. */
  mayChangeProtected?: boolean;
}

export function TagEditor({ instance, onSave, onClose, mayChangeProtected = true }: Props) {
  const [rows, setRows] = useState<TagRow[]>(() => [...rowsFromTags(instance.tags), { key: '', value: '' }]);
  const { busy, error, setError, run } = useAction();
  const id = useId();
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const update = (n: number, patch: Partial<TagRow>) =>
    setRows((rs) => rs.map((r, i) => (i === n ? { ...r, ...patch } : r)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = tagRowsProblem(rows);
    if (problem) {
      setError(problem);
      return;
    }
    const change = diffTags(instance.tags, rows);
    if (isNoChange(change)) {
      onClose();
      return;
    }
    const saved = await run(async () => {
      await onSave(change);
      return true;
    });
    if (saved) {
      onClose();
    }
  };

  return (
    <section
      role="dialog"
      aria-labelledby={`${id}-title`}
      className="dialog"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h2 id={`${id}-title`}>Tags of {instance.id}</h2>
      <form onSubmit={submit}>
        <table className="tag-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, n) => (
              <tr key={n}>
                <td>
                  <input
                    ref={n === 0 ? first : undefined}
                    aria-label={`Key of tag ${n + 1}`}
                    value={r.key}
                    onChange={(e) => update(n, { key: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Value of tag ${n + 1}`}
                    value={r.value}
                    onChange={(e) => update(n, { value: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove tag ${n + 1}${r.key ? ` (${r.key})` : ''}`}
                    onClick={() => setRows((rs) => rs.filter((_, i) => i !== n))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!mayChangeProtected && <p className="hint">{PROTECTED_TAGS_HINT}</p>}
        <ErrorAlert error={error} />
        <div className="buttons">
          <button type="button" onClick={() => setRows((rs) => [...rs, { key: '', value: '' }])}>
            Add tag
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save tags
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

// Adds a notification channel: name, type, that type's fields, and the filter (environments,
// kinds, minimum severity; nothing chosen takes everything).

import { useId, useState, type FormEvent } from 'react';
import { CHANNEL_TYPES, NOTIFICATION_KINDS, type ChannelType, type NotificationSeverity } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { channelFromDraft, emptyDraft, FIELDS, type ChannelDraft, type FieldKey } from './channels';

function Checks(props: {
  legend: string;
  options: readonly string[];
  chosen: string[];
  onChange: (v: string[]) => void;
}) {
  const { legend, options, chosen, onChange } = props;
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(o)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o))}
          />
          {o}
        </label>
      ))}
    </fieldset>
  );
}

export function ChannelForm({ onAdded }: { onAdded: (name: string) => void }) {
  const { api, environments } = useSession();
  const [draft, setDraft] = useState<ChannelDraft>(() => emptyDraft());
  const { busy, error, run } = useAction();
  const id = useId();

  const set = (patch: Partial<ChannelDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setField = (key: FieldKey, value: string) => setDraft((d) => ({ ...d, fields: { ...d.fields, [key]: value } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const added = await run(() => api.createChannel(channelFromDraft(draft)));
    if (added) {
      setDraft(emptyDraft(draft.type));
      onAdded(added.name);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>Add a channel</h2>
      <form onSubmit={submit}>
        <label>
          Name
          <input
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,62}"
            title="1 to 63 of a-z, 0-9, - and _, starting with a letter or digit"
            autoComplete="off"
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </label>
        <SelectField label="Type" value={draft.type} onChange={(v) => set({ type: v as ChannelType })}>
          {CHANNEL_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        {FIELDS[draft.type].map((f) => (
          <label key={`${draft.type}-${f.key}`}>
            {f.label}
            <input
              type={f.input}
              required={f.required}
              autoComplete={f.input === 'password' ? 'new-password' : 'off'}
              placeholder={f.placeholder}
              value={draft.fields[f.key] ?? ''}
              onChange={(e) => setField(f.key, e.target.value)}
            />
          </label>
        ))}
        {draft.type === 'github' && (
          <p className="hint">GitHub channels take deployment and test notifications only.</p>
        )}
        <Checks
          legend="Only these environments (none: all)"
          options={environments.map((e) => e.name)}
          chosen={draft.environments}
          onChange={(environments) => set({ environments })}
        />
        <Checks
          legend="Only these kinds (none: all)"
          options={NOTIFICATION_KINDS}
          chosen={draft.kinds}
          onChange={(kinds) => set({ kinds })}
        />
        <SelectField
          label="Minimum severity"
          value={draft.minSeverity}
          onChange={(v) => set({ minSeverity: v as NotificationSeverity | '' })}
        >
          <option value="">Any</option>
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </SelectField>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Add channel
        </button>
      </form>
    </section>
  );
}

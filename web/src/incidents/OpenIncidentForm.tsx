// Opens an incident: severity, title, the affected environment (the header's by default),
// service and description (optional; the server fills in its defaults).

import { useState, type FormEvent } from 'react';
import { SEVERITIES, type Incident, type OpenIncident, type Severity } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { SEVERITY_TEXT } from './incidents';

export function OpenIncidentForm({ onOpened }: { onOpened: (i: Incident) => void }) {
  const { api, env, environments } = useSession();
  const [severity, setSeverity] = useState<Severity>('P3');
  const [title, setTitle] = useState('');
  const [environment, setEnvironment] = useState(env);
  const [service, setService] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useAction();
  const chosen = environment || environments[0]?.name || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: OpenIncident = { severity, title: title.trim(), environment: chosen };
    if (service.trim()) {
      body.service = service.trim();
    }
    if (description.trim()) {
      body.description = description.trim();
    }
    const opened = await run(() => api.openIncident(body));
    if (opened) {
      setTitle('');
      setService('');
      setDescription('');
      onOpened(opened);
    }
  };

  return (
    <section aria-labelledby="open-incident-title" className="panel">
      <h2 id="open-incident-title">Open an incident</h2>
      <form onSubmit={submit}>
        <SelectField label="Severity" value={severity} onChange={(v) => setSeverity(v as Severity)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_TEXT[s]}
            </option>
          ))}
        </SelectField>
        <label>
          Title
          <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <SelectField label="Affected environment" value={chosen} onChange={setEnvironment}>
          {environments.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
            </option>
          ))}
        </SelectField>
        <label>
          Service (optional)
          <input value={service} placeholder="EC2 Manager API" onChange={(e) => setService(e.target.value)} />
        </label>
        <label>
          Description (optional)
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || !chosen}>
          Open incident
        </button>
      </form>
    </section>
  );
}

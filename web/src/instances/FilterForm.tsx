// The filters above the instances table. Text filters apply on submit, not per keystroke.

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { EMPTY_FILTERS, STATES, tagFilterProblem, type InstanceFilters } from './filters';

interface Props {
  filters: InstanceFilters;
  onApply: (f: InstanceFilters) => void;
}

export function FilterForm({ filters, onApply }: Props) {
  const [draft, setDraft] = useState(filters);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => setDraft(filters), [filters]);

  const set = <K extends keyof InstanceFilters>(k: K, v: InstanceFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = tagFilterProblem(draft.tag);
    setProblem(p);
    if (!p) {
      onApply(draft);
    }
  };

  return (
    <form className="filters" role="search" aria-label="Filter instances" onSubmit={submit}>
      <SelectField label="State" value={draft.state} onChange={(v) => set('state', v as InstanceFilters['state'])}>
        <option value="">Any state</option>
        {STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <label>
        Type
        <input value={draft.type} placeholder="t3.micro" onChange={(e) => set('type', e.target.value)} />
      </label>
      <label>
        Zone
        <input value={draft.zone} placeholder="us-west-2a" onChange={(e) => set('zone', e.target.value)} />
      </label>
      <label>
        Tag
        <input value={draft.tag} placeholder="Key=Value" onChange={(e) => set('tag', e.target.value)} />
      </label>
      <label>
        Search
        <input type="search" value={draft.q} placeholder="id, name, IP" onChange={(e) => set('q', e.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => onApply({ ...EMPTY_FILTERS, sort: filters.sort })}>
          Clear filters
        </button>
      </div>
      <ErrorAlert error={problem} />
    </form>
  );
}

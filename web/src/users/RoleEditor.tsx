// Rows of (environment, role); "*" is every environment.

import { ROLES, type Role } from '../api/types';
import { SelectField } from '../components/SelectField';
import type { RoleRow } from './roles';

interface Props {
  /** Names the controls ("Roles of a@b"), so several editors on a page stay distinct. */
  label: string;
  rows: RoleRow[];
  environments: string[];
  onChange: (rows: RoleRow[]) => void;
}

export function RoleEditor({ label, rows, environments, onChange }: Props) {
  const envs = ['*', ...environments.filter((e) => e !== '*')];
  const update = (n: number, patch: Partial<RoleRow>) =>
    onChange(rows.map((r, i) => (i === n ? { ...r, ...patch } : r)));
  const unused = envs.find((e) => !rows.some((r) => r.env === e));
  return (
    <fieldset className="roles">
      <legend>{label}</legend>
      {rows.length === 0 && <p className="muted">No roles: the user can sign in but see nothing.</p>}
      {rows.map((r, n) => (
        <div key={n} className="role-row">
          <SelectField label={`Environment ${n + 1}`} value={r.env} onChange={(v) => update(n, { env: v })}>
            {envs.map((e) => (
              <option key={e} value={e}>
                {e === '*' ? '* (all environments)' : e}
              </option>
            ))}
          </SelectField>
          <SelectField label={`Role ${n + 1}`} value={r.role} onChange={(v) => update(n, { role: v as Role })}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </SelectField>
          <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== n))}>
            Remove role {n + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={!unused}
        onClick={() => unused && onChange([...rows, { env: unused, role: 'viewer' }])}
      >
        Add role
      </button>
    </fieldset>
  );
}

// Creates a user; the generated one-time password is shown once, here, and never again.

import { useState, type FormEvent } from 'react';
import type { CreatedUser } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { RoleEditor } from './RoleEditor';
import { rolesFromRows, type RoleRow } from './roles';

export function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const { api, environments } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [rows, setRows] = useState<RoleRow[]>([{ env: '*', role: 'viewer' }]);
  const { busy, error, setError, run } = useAction();
  const [created, setCreated] = useState<CreatedUser | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = rolesFromRows(rows);
    if ('problem' in r) {
      setError(r.problem);
      return;
    }
    const made = await run(() => api.createUser(email.trim(), r.roles, password || undefined));
    if (made) {
      setCreated(made);
      setEmail('');
      setPassword('');
      setRows([{ env: '*', role: 'viewer' }]);
      onCreated();
    }
  };

  return (
    <section aria-labelledby="create-user-title" className="panel">
      <h2 id="create-user-title">Create a user</h2>
      {created && (
        <div role="status" className="secret-once">
          <p>
            Created <strong>{created.user.email}</strong>.
            {created.password ? ' Their one-time password, shown only now:' : ''}
          </p>
          {created.password && <code className="secret">{created.password}</code>}
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <form onSubmit={submit}>
        <label>
          Email
          <input type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password (optional; empty generates a one-time password)
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <RoleEditor
          label="Roles of the new user"
          rows={rows}
          environments={environments.map((e) => e.name)}
          onChange={setRows}
        />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </form>
    </section>
  );
}

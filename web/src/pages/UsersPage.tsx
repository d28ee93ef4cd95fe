// Users (global admins only): list with their sign-in throttling, create, change roles per
// environment, disable, delete, and reset the MFA of a user who lost their device.

import { useCallback, useEffect, useState } from 'react';
import type { ListedUser, User } from '../api/types';
import { ColumnHeads } from '../components/ColumnHeads';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { formatRoles, formatTime } from '../format';
import { useAction } from '../useAction';
import { CreateUserForm } from '../users/CreateUserForm';
import { RoleEditor } from '../users/RoleEditor';
import { rolesFromRows, rowsFromRoles, type RoleRow } from '../users/roles';

function EditRoles({ user, onDone }: { user: User; onDone: (changed: boolean) => void }) {
  const { api, environments } = useSession();
  const [rows, setRows] = useState<RoleRow[]>(() => rowsFromRoles(user.roles));
  const { error, setError, run, busy } = useAction();
  const save = async () => {
    const r = rolesFromRows(rows);
    if ('problem' in r) {
      setError(r.problem);
      return;
    }
    if (await run(() => api.updateUser(user.email, { roles: r.roles }))) {
      onDone(true);
    }
  };
  return (
    <div className="inline-editor">
      <RoleEditor
        label={`Roles of ${user.email}`}
        rows={rows}
        environments={environments.map((e) => e.name)}
        onChange={setRows}
      />
      <ErrorAlert error={error} />
      <div className="buttons">
        <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
          Save roles
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function UserRow({ user, self, onChanged }: { user: ListedUser; self: boolean; onChanged: () => void }) {
  const { api } = useSession();
  const [mode, setMode] = useState<'view' | 'roles' | 'delete' | 'reset-mfa'>('view');
  const action = useAction();
  const { error } = action;
  const run = async (f: () => Promise<unknown>) => {
    await action.run(async () => {
      await f();
      setMode('view');
      onChanged();
    });
  };
  return (
    <tr>
      <th scope="row">{user.email}</th>
      <td>
        {mode === 'roles' ? (
          <EditRoles
            user={user}
            onDone={(changed) => {
              setMode('view');
              if (changed) {
                onChanged();
              }
            }}
          />
        ) : (
          <>
            {formatRoles(user.roles)}
            {user.admin && <span className="badge">global admin</span>}
          </>
        )}
      </td>
      <td>{user.mfa_enabled ? 'on' : 'off'}</td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td className="num">{user.failed_sign_ins ?? 0}</td>
      <td>{user.throttled_until ? formatTime(user.throttled_until) : '—'}</td>
      <td>{formatTime(user.created_at)}</td>
      <td className="row-actions">
        {mode === 'reset-mfa' ? (
          <span role="group" aria-label={`Confirm resetting the MFA of ${user.email}`}>
            Reset the MFA of {user.email}? They sign in with their password alone until they set it up again, and every
            session and API token of theirs ends.{' '}
            <button type="button" className="danger" onClick={() => void run(() => api.resetUserMfa(user.email))}>
              Yes, reset the MFA of {user.email}
            </button>
            <button type="button" onClick={() => setMode('view')}>
              Keep
            </button>
          </span>
        ) : mode === 'delete' ? (
          <span role="group" aria-label={`Confirm deleting ${user.email}`}>
            Delete {user.email}?{' '}
            <button type="button" className="danger" onClick={() => void run(() => api.deleteUser(user.email))}>
              Yes, delete {user.email}
            </button>
            <button type="button" onClick={() => setMode('view')}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <button
              type="button"
              aria-label={`Edit roles of ${user.email}`}
              onClick={() => setMode('roles')}
              disabled={mode === 'roles'}
            >
              Edit roles
            </button>
            <button
              type="button"
              aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
              disabled={self}
              onClick={() => void run(() => api.updateUser(user.email, { disabled: !user.disabled }))}
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </button>
            {user.mfa_enabled && !self && (
              <button
                type="button"
                aria-label={`Reset the MFA of ${user.email}`}
                title="For a user who lost their authenticator"
                onClick={() => setMode('reset-mfa')}
              >
                Reset MFA
              </button>
            )}
            <button
              type="button"
              className="danger"
              aria-label={`Delete ${user.email}`}
              disabled={self}
              onClick={() => setMode('delete')}
            >
              Delete
            </button>
          </>
        )}
        <ErrorAlert error={error} />
      </td>
    </tr>
  );
}

export function UsersPage() {
  const { api, user: me } = useSession();
  const [users, setUsers] = useState<ListedUser[] | null>(null);
  const listing = useAction();
  const { run } = listing;

  const load = useCallback(() => run(async () => setUsers(await api.users())), [api, run]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!me.admin) {
    return (
      <main aria-labelledby="users-title">
        <h1 id="users-title">Users</h1>
        <p role="alert" className="error">
          Only global admins manage users.
        </p>
      </main>
    );
  }

  return (
    <main aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">Users</h1>
      </div>
      <ErrorAlert error={listing.error} />
      {users === null ? (
        listing.busy && <p role="status">Loading users…</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Users</caption>
            <ColumnHeads
              names={['Email', 'Roles', 'MFA', 'Status', 'Failed sign-ins', 'Throttled until', 'Created', 'Actions']}
            />
            <tbody>
              {users.map((u) => (
                <UserRow key={u.email} user={u} self={u.email === me.email} onChanged={() => void load()} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserForm onCreated={() => void load()} />
    </main>
  );
}

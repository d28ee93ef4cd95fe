// Change password: the current one and the new one twice. The server ends every other session
// and API token of the user and gives this tab a new session, so the user stays signed in here.

import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { useAction } from '../useAction';

export function PasswordPage() {
  const { api, user } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (next !== again) {
      setError('The two new passwords differ: type the same new password twice.');
      return;
    }
    if (await run(() => api.changePassword(current, next))) {
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
    }
  };

  return (
    <main aria-labelledby="password-title">
      <h1 id="password-title">Change password</h1>
      <p>
        For {user.email}. Changing it signs you out everywhere else: every other session and every API token of yours
        stops working. This tab stays signed in.
      </p>
      {done && (
        <p role="status" className="notice">
          Password changed. Other sessions and your API tokens were signed out; make new API tokens where you need them.
        </p>
      )}
      <form onSubmit={submit} className="panel">
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            aria-describedby="password-policy"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <p id="password-policy" className="hint">
          At least 12 characters mixing 3 of: lower-case letters, upper-case letters, digits, symbols; not containing
          the part of your email before the @.
        </p>
        <label>
          New password again
          <input
            type="password"
            autoComplete="new-password"
            required
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </main>
  );
}

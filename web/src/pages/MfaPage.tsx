// MFA: set it up (the password first) → scan the QR code (or type the secret) → confirm with a
// code → keep the recovery codes, which are shown this once. With MFA on: a new authenticator,
// new recovery codes or MFA off, each proven with the password and a current code.

import { useState, type FormEvent, type ReactNode } from 'react';
import type { MfaEnrollment } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { QrCode } from '../components/QrCode';
import { useSession } from '../context';
import { useAction } from '../useAction';

function RecoveryCodes({ codes, renewed }: { codes: string[]; renewed: boolean }) {
  return (
    <section aria-labelledby="recovery-title" className="secret-once">
      <h2 id="recovery-title">{renewed ? 'New recovery codes' : 'Recovery codes'}</h2>
      <p role="status">
        {renewed ? 'Your old recovery codes no longer work.' : 'MFA is on.'} Keep these {codes.length} recovery codes
        somewhere safe: each signs you in once without your authenticator. They are shown only now.
      </p>
      <ol className="codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** What the user is proving who they are for. */
type Change = 'enrol' | 'codes' | 'disable';

const TITLES: Record<Change, { title: string; submit: string }> = {
  enrol: { title: 'Confirm it is you', submit: 'Continue' },
  codes: { title: 'New recovery codes', submit: 'Make new recovery codes' },
  disable: { title: 'Turn MFA off', submit: 'Turn MFA off' },
};

interface ReauthProps {
  change: Change;
  needsCode: boolean;
  busy: boolean;
  /** Said above the fields: what happens. */
  children: ReactNode;
  onSubmit: (password: string, otp: string) => void;
  onCancel: () => void;
}

/** The current password, and the current code when MFA is on: what every MFA change needs. */
function ReauthForm({ change, needsCode, busy, children, onSubmit, onCancel }: ReauthProps) {
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const { title, submit } = TITLES[change];
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(password, otp.replace(/\s+/g, ''));
  };
  return (
    <section aria-labelledby="reauth-title" className="panel">
      <h2 id="reauth-title">{title}</h2>
      {children}
      <form onSubmit={send}>
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needsCode && (
          <label>
            Current MFA code
            <input
              autoComplete="one-time-code"
              aria-describedby="reauth-code-hint"
              required
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
            />
          </label>
        )}
        {needsCode && (
          <p id="reauth-code-hint" className="hint">
            The 6-digit code from your authenticator app, or one of your recovery codes.
          </p>
        )}
        <div className="buttons">
          <button type="submit" className={change === 'disable' ? 'danger' : 'primary'} disabled={busy}>
            {submit}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

export function MfaPage() {
  const { api, user, environments, reloadUser } = useSession();
  const [change, setChange] = useState<Change | null>(null);
  const [enrollment, setEnrollment] = useState<MfaEnrollment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<{ list: string[]; renewed: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const requiring = environments.filter((e) => e.mfa_required).map((e) => e.name);

  const begin = (c: Change) => {
    setChange(c);
    setEnrollment(null);
    setCodes(null);
    setNotice(null);
    setError(null);
  };

  const prove = async (password: string, otp: string) => {
    if (change === 'enrol') {
      const e = await run(() => api.enrollMfa(password, user.mfa_enabled ? otp : undefined));
      if (e) {
        setEnrollment(e);
        setCode('');
        setChange(null);
      }
    } else if (change === 'codes') {
      const r = await run(() => api.regenerateRecoveryCodes(password, otp));
      if (r) {
        setCodes({ list: r.recovery_codes, renewed: true });
        setChange(null);
      }
    } else if (change === 'disable') {
      const done = await run(async () => {
        await api.disableMfa(password, otp);
        return true;
      });
      if (done) {
        setChange(null);
        setNotice('MFA is off: you sign in with your password alone.');
        await run(reloadUser);
      }
    }
  };

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => api.verifyMfa(code.replace(/\s+/g, '')));
    if (r) {
      setCodes({ list: r.recovery_codes, renewed: false });
      setEnrollment(null);
      await run(reloadUser);
    }
  };

  const idle = !change && !enrollment;
  return (
    <main aria-labelledby="mfa-title">
      <h1 id="mfa-title">Multi-factor authentication</h1>
      <p>
        MFA is <strong>{user.mfa_enabled ? 'on' : 'off'}</strong> for {user.email}.
      </p>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {codes && <RecoveryCodes codes={codes.list} renewed={codes.renewed} />}
      {idle && (
        <div className="buttons">
          <button type="button" className="primary" onClick={() => begin('enrol')}>
            {user.mfa_enabled ? 'Enrol a new authenticator' : 'Set up MFA'}
          </button>
          {user.mfa_enabled && (
            <>
              <button type="button" onClick={() => begin('codes')}>
                New recovery codes
              </button>
              <button type="button" className="danger" onClick={() => begin('disable')}>
                Turn MFA off
              </button>
            </>
          )}
        </div>
      )}
      {change && (
        <ReauthForm
          change={change}
          needsCode={user.mfa_enabled}
          busy={busy}
          onSubmit={(p, o) => void prove(p, o)}
          onCancel={() => {
            setChange(null);
            setError(null);
          }}
        >
          {change === 'enrol' && (
            <p>
              {user.mfa_enabled
                ? 'Your current authenticator stops working once the new one is confirmed.'
                : 'Enter your password to set up an authenticator app.'}
            </p>
          )}
          {change === 'codes' && <p>Your current recovery codes stop working.</p>}
          {change === 'disable' && (
            <p>
              You will sign in with your password alone.
              {requiring.length > 0 &&
                ` ${requiring.join(', ')} ${requiring.length === 1 ? 'requires' : 'require'} MFA: without it you cannot change anything there, nor act as a global admin.`}
            </p>
          )}
        </ReauthForm>
      )}
      {enrollment && (
        <section aria-labelledby="enrol-title" className="panel">
          <h2 id="enrol-title">Scan with your authenticator app</h2>
          <QrCode text={enrollment.otpauth_uri} label="QR code to add this account to an authenticator app" />
          <p>
            Or enter this secret by hand: <code className="secret">{enrollment.secret}</code>
          </p>
          <details>
            <summary>otpauth URI</summary>
            <code className="wrap">{enrollment.otpauth_uri}</code>
          </details>
          <form onSubmit={verify}>
            <label>
              Code from the app
              <input
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,8}"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            <div className="buttons">
              <button type="submit" className="primary" disabled={busy}>
                {user.mfa_enabled ? 'Verify and switch to this authenticator' : 'Verify and turn on MFA'}
              </button>
              <button type="button" onClick={() => setEnrollment(null)}>
                Cancel
              </button>
            </div>
          </form>
        </section>
      )}
      <ErrorAlert error={error} />
    </main>
  );
}

// MFA enrolment: start → scan the QR code (or type the secret) → confirm with a code → keep the
// recovery codes, which are shown this once.

import { useState, type FormEvent } from 'react';
import type { MfaEnrollment } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { QrCode } from '../components/QrCode';
import { useSession } from '../context';
import { useAction } from '../useAction';

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section aria-labelledby="recovery-title" className="secret-once">
      <h2 id="recovery-title">Recovery codes</h2>
      <p role="status">
        MFA is on. Keep these {codes.length} recovery codes somewhere safe: each signs you in once without your
        authenticator. They are shown only now.
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

export function MfaPage() {
  const { api, user, reloadUser } = useSession();
  const [enrollment, setEnrollment] = useState<MfaEnrollment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, error, run } = useAction();

  const start = async () => {
    const e = await run(() => api.enrollMfa());
    if (e) {
      setEnrollment(e);
      setCodes(null);
      setCode('');
    }
  };

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => api.verifyMfa(code.replace(/\s+/g, '')));
    if (r) {
      setCodes(r.recovery_codes);
      setEnrollment(null);
      await run(reloadUser);
    }
  };

  return (
    <main aria-labelledby="mfa-title">
      <h1 id="mfa-title">Multi-factor authentication</h1>
      <p>
        MFA is <strong>{user.mfa_enabled ? 'on' : 'off'}</strong> for {user.email}.
      </p>
      {codes && <RecoveryCodes codes={codes} />}
      {!enrollment && (
        <button type="button" className="primary" onClick={() => void start()} disabled={busy}>
          {user.mfa_enabled ? 'Enrol a new authenticator' : 'Set up MFA'}
        </button>
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
            <button type="submit" className="primary" disabled={busy}>
              Verify and turn on MFA
            </button>
          </form>
        </section>
      )}
      <ErrorAlert error={error} />
    </main>
  );
}

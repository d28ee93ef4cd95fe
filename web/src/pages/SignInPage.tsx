// Sign-in: email, password and an optional one-time code. When the server says a code is needed
// (401 "otp: ..."), the code field gets the focus and the message says so. When it slows sign-in
// down after failures (429), it says how long to wait, and the button waits that long: nothing was
// checked, so it is no verdict on the password.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiClient } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import type { User } from '../api/types';

interface Props {
  api: ApiClient;
  /** Shown above the form, e.g. why the user is here again. */
  notice?: string | null;
  onSignedIn: (user: User) => void;
}

export function SignInPage({ api, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [otpNeeded, setOtpNeeded] = useState(false);
  /** Seconds left before the server takes another attempt (after a 429); 0 = now. */
  const [wait, setWait] = useState(0);
  const [throttled, setThrottled] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const otpRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  useEffect(() => {
    if (wait <= 0) {
      return;
    }
    const timer = setTimeout(() => setWait((w) => Math.max(0, w - 1)), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setThrottled(false);
    try {
      const result = await api.login(email.trim(), password, otp.replace(/\s+/g, '') || undefined);
      onSignedIn(result.user);
    } catch (err) {
      if (err instanceof ApiError && err.needsOtp) {
        setOtpNeeded(true);
        const why = err.message.replace(/^otp:\s*/, '');
        setError(
          otp
            ? `That code was not accepted (${why}). Enter the current code from your authenticator app.`
            : 'A one-time code is needed: enter the code from your authenticator app (or a recovery code).',
        );
        setOtp('');
        otpRef.current?.focus();
      } else if (err instanceof ApiError && err.throttled) {
        // The server's own words ("... try again in N s"): the password was not checked.
        setError(
          `${err.message}. Sign-in is slowed down after failed attempts; your password was not checked this time.`,
        );
        setThrottled(true);
        setWait(err.retryAfter ?? 1);
      } else {
        setError(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to ec2m</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label>
          Email
          <input
            ref={emailRef}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          One-time code (optional)
          <input
            ref={otpRef}
            autoComplete="one-time-code"
            aria-describedby="otp-hint"
            aria-invalid={otpNeeded && !otp ? true : undefined}
            value={otp}
            onChange={(e) => setOtp(e.target.value)}
          />
        </label>
        <p id="otp-hint" className="hint">
          Only if MFA is on for your account: the 6-digit code from your authenticator app, or a recovery code.
        </p>
        {error && (
          <p role="alert" className={throttled ? 'warn' : 'error'}>
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || wait > 0}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {wait > 0 && (
          <p className="hint" aria-live="polite">
            You can try again in {wait} s.
          </p>
        )}
      </form>
    </main>
  );
}

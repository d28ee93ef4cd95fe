import { useContext } from 'react';
import { ApiError, describeError } from '../api/errors';
import { SessionContext } from '../context';
import { hrefFor } from '../router';

/**
 * An error message read out at once by screen readers; nothing when there is no error. A refusal
 * for want of an MFA-verified session also says how to get one (outside the alert's text).
 */
export function ErrorAlert({ error }: { error: unknown }) {
  const session = useContext(SessionContext);
  if (error === null || error === undefined || error === '') {
    return null;
  }
  const text = typeof error === 'string' ? error : describeError(error);
  const needsMfa = error instanceof ApiError && error.needsMfaSession;
  return (
    <>
      <p role="alert" className="error">
        {text}
      </p>
      {needsMfa && (
        <p className="hint">
          {session?.user.mfa_enabled ? (
            'This session was signed in without your code: sign out and sign in again with the code from your authenticator app.'
          ) : (
            <>
              Your session needs MFA: <a href={hrefFor('/mfa')}>set up multi-factor authentication</a>, then try again.
            </>
          )}
        </p>
      )}
    </>
  );
}

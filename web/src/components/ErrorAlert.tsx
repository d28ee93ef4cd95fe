import { describeError } from '../api/errors';

/** An error message read out at once by screen readers; nothing when there is no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (error === null || error === undefined || error === '') {
    return null;
  }
  const text = typeof error === 'string' ? error : describeError(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

// The busy flag and error of a button's request: run(f) clears the error, marks busy, and keeps
// what f threw for an ErrorAlert (resolving to undefined then).

import { useCallback, useState } from 'react';

export interface Action {
  busy: boolean;
  error: unknown;
  setError: (e: unknown) => void;
  run: <T>(f: () => Promise<T>) => Promise<T | undefined>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await f();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

// Follows one change set: reads it now and then every second while it is in progress, and
// reports the final one once. A failed read is tried again (a replica may not have it yet) up to
// a limit; a lost session (401) or a refusal (403) ends it.

import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { ChangeSet } from '../api/types';
import { FOLLOW_MS, inProgress } from './changesets';

const MAX_FAILURES = 10;

export interface Followed {
  changeset: ChangeSet | null;
  error: unknown;
}

export function useFollow(api: ApiClient, env: string, id: string, onDone: (cs: ChangeSet) => void): Followed {
  const [changeset, setChangeset] = useState<ChangeSet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = useRef(onDone);
  done.current = onDone;

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let failures = 0;
    const read = async () => {
      try {
        const cs = await api.changeset(env, id);
        if (stopped) {
          return;
        }
        failures = 0;
        setChangeset(cs);
        setError(null);
        if (inProgress(cs.status)) {
          timer = window.setTimeout(() => void read(), FOLLOW_MS);
        } else {
          done.current(cs);
        }
      } catch (e) {
        if (stopped) {
          return;
        }
        setError(e);
        const final = e instanceof ApiError && (e.status === 401 || e.status === 403);
        if (!final && ++failures < MAX_FAILURES) {
          timer = window.setTimeout(() => void read(), FOLLOW_MS);
        }
      }
    };
    setChangeset(null);
    setError(null);
    void read();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [api, env, id]);

  return { changeset, error };
}

// The data behind the Deployments page: the releases (newest first), the infrastructure changes
// held for approval, and the deployment opened, read together now and again after every answer: every 2 s while a deployment shown has not
// ended, else every 30 s. A hidden tab skips the read but keeps the timer.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { Deployment, Release } from '../api/types';
import { getDeployment, listDeployments, listReleases } from './api';
import { pollInterval } from './deployments';
import { newestFirst, shownStates } from './pipeline';

export interface Deployments {
  releases: Release[] | null;
  /** Infrastructure changes (provision and rollback held for approval), newest first. */
  changes: Deployment[] | null;
  opened: Deployment | null;
  listError: unknown;
  openError: unknown;
  /** Reads both again now. */
  reload: () => void;
  /** Shows what an action answered, and reads the releases again for the pipeline. */
  replace: (d: Deployment) => void;
}

/** A lost session is the app's to handle: it returns to the sign-in page. */
const shown = (e: unknown) => (e instanceof ApiError && e.status === 401 ? null : e);

export function useDeployments(api: ApiClient, openedId: string): Deployments {
  const [releases, setReleases] = useState<Release[] | null>(null);
  const [changes, setChanges] = useState<Deployment[] | null>(null);
  const [opened, setOpened] = useState<Deployment | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  const [answers, setAnswers] = useState(0);
  // An answer is applied only if no later read started (a slow one never overwrites a newer).
  const generation = useRef(0);
  const now = useRef({ releases, changes, opened });
  now.current = { releases, changes, opened };

  const read = useCallback(async () => {
    const gen = ++generation.current;
    const current = () => gen === generation.current;
    const list = listReleases(api).then(
      (rs) => {
        if (current()) {
          setReleases(newestFirst(rs));
          setListError(null);
        }
      },
      (e) => current() && setListError(shown(e)),
    );
    const infrastructure = listDeployments(api, 'infrastructure').then(
      (ds) => current() && setChanges(ds),
      (e) => current() && setListError(shown(e)),
    );
    const one = openedId
      ? getDeployment(api, openedId).then(
          (d) => {
            if (current()) {
              setOpened(d);
              setOpenError(null);
            }
          },
          (e) => current() && setOpenError(shown(e)),
        )
      : null;
    await Promise.all([list, infrastructure, one]);
    if (current()) {
      setAnswers((n) => n + 1);
    }
  }, [api, openedId]);

  useEffect(() => {
    setOpened((d) => (d?.id === openedId ? d : null));
    setOpenError(null);
    void read();
    return () => {
      generation.current++;
    };
  }, [read, openedId]);

  useEffect(() => {
    if (answers === 0) {
      return;
    }
    const { releases: rs, changes: cs, opened: d } = now.current;
    const timer = window.setTimeout(
      () => (document.visibilityState === 'hidden' ? setAnswers((n) => n + 1) : void read()),
      pollInterval([...shownStates(rs ?? [], d), ...(cs ?? []).map((c) => c.state)]),
    );
    return () => window.clearTimeout(timer);
  }, [answers, read]);

  const reload = useCallback(() => void read(), [read]);
  const replace = useCallback(
    (d: Deployment) => {
      setOpened(d);
      void read();
    },
    [read],
  );
  return { releases, changes, opened, listError, openError, reload, replace };
}

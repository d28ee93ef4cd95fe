// The instances list behind the page: first page on a new query, "Load more" with the cursor,
// and a refresh on a timer (3 s while an instance is moving, else 15 s) that asks again for as
// many rows as are shown, so paging and the user's place survive the refresh.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, Query } from '../api/client';
import { ApiError } from '../api/errors';
import type { Instance, InstanceState } from '../api/types';
import { pollInterval } from './polling';
import { instanceKey } from './selection';

export interface InstanceList {
  rows: Instance[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  updatedAt: Date | null;
  loadMore: () => void;
  refresh: () => void;
  /** Shows states an action just reported, before the next refresh confirms them. */
  patchStates: (states: Map<string, InstanceState>) => void;
  replaceRow: (row: Instance) => void;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export function useInstanceList(api: ApiClient, query: Query): InstanceList {
  const [rows, setRows] = useState<Instance[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Each load or refresh takes a number; an answer is applied only if no later one started,
  // so a slow refresh never overwrites a newer query's rows or a "Load more".
  const generation = useRef(0);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const queryKey = JSON.stringify(query);

  const fail = useCallback((e: unknown) => {
    if (!isAbort(e) && !(e instanceof ApiError && e.status === 401)) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    const gen = ++generation.current;
    const ctrl = new AbortController();
    setLoading(true);
    setRows([]);
    setNextCursor(null);
    setError(null);
    api
      .instances(query, null, ctrl.signal)
      .then((p) => {
        if (gen === generation.current) {
          setRows(p.items);
          setNextCursor(p.next_cursor);
          setUpdatedAt(new Date());
        }
      })
      .catch(fail)
      .finally(() => {
        if (gen === generation.current) {
          setLoading(false);
          setAttempt((a) => a + 1);
        }
      });
    return () => ctrl.abort();
    // queryKey stands for query: a new object with the same content is the same query.
  }, [api, queryKey, fail]);

  const refresh = useCallback(() => {
    const gen = ++generation.current;
    api
      .pagesUpTo<Instance>('/api/v1/instances', query, rowsRef.current.length)
      .then((p) => {
        if (gen === generation.current) {
          setRows(p.items);
          setNextCursor(p.next_cursor);
          setUpdatedAt(new Date());
          setError(null);
        }
      })
      .catch(fail)
      .finally(() => {
        if (gen === generation.current) {
          setAttempt((a) => a + 1);
        }
      });
  }, [api, queryKey, fail]);

  const loadMore = useCallback(() => {
    if (!nextCursor) {
      return;
    }
    const gen = ++generation.current;
    setLoadingMore(true);
    api
      .instances(query, nextCursor)
      .then((p) => {
        if (gen === generation.current) {
          setRows((rs) => {
            const have = new Set(rs.map(instanceKey));
            return [...rs, ...p.items.filter((i) => !have.has(instanceKey(i)))];
          });
          setNextCursor(p.next_cursor);
        }
      })
      .catch(fail)
      .finally(() => {
        setLoadingMore(false);
        if (gen === generation.current) {
          setAttempt((a) => a + 1);
        }
      });
  }, [api, queryKey, nextCursor, fail]);

  // One timer at a time, set again after every answer (or failure) with the interval the
  // current rows call for. A hidden tab skips the request but keeps the timer.
  useEffect(() => {
    if (loading) {
      return;
    }
    const timer = window.setTimeout(() => {
      if (document.visibilityState === 'hidden') {
        setAttempt((a) => a + 1);
      } else {
        refresh();
      }
    }, pollInterval(rowsRef.current));
    return () => window.clearTimeout(timer);
  }, [attempt, loading, refresh]);

  const patchStates = useCallback((states: Map<string, InstanceState>) => {
    setRows((rs) =>
      rs.map((r) => {
        const s = states.get(instanceKey(r));
        return s && s !== r.state ? { ...r, state: s } : r;
      }),
    );
    // A moving instance wants the fast interval now, not after the slow timer.
    setAttempt((a) => a + 1);
  }, []);

  const replaceRow = useCallback((row: Instance) => {
    setRows((rs) => rs.map((r) => (instanceKey(r) === instanceKey(row) ? row : r)));
  }, []);

  return { rows, nextCursor, loading, loadingMore, error, updatedAt, loadMore, refresh, patchStates, replaceRow };
}

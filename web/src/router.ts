// Hash routing (#/instances?state=running): the server only has to serve index.html and
// /assets/*, and a reload keeps the page and its filters.

import { useEffect, useState } from 'react';

export interface Route {
  /** '/instances', '/audit', ... ('/' when the hash is empty). */
  path: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, params: new URLSearchParams(query) };
}

export function hrefFor(path: string, params?: URLSearchParams): string {
  const qs = params?.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/** Moves to a route; `replace` keeps the history entry (filters typed in do not pile up). */
export function navigate(path: string, params?: URLSearchParams, replace = false): void {
  const href = hrefFor(path, params);
  if (replace) {
    window.history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

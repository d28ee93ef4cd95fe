// Where the session token lives: sessionStorage, so it ends with the tab and is never shared
// between tabs or written to disk by the console itself.

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

const KEY = 'ec2m.token';

export function sessionTokenStore(storage: Storage = window.sessionStorage): TokenStore {
  return {
    get: () => storage.getItem(KEY),
    set: (token) => storage.setItem(KEY, token),
    clear: () => storage.removeItem(KEY),
  };
}

/** A store in memory (tests, or a browser that refuses sessionStorage). */
export function memoryTokenStore(initial: string | null = null): TokenStore {
  let token = initial;
  return {
    get: () => token,
    set: (t) => {
      token = t;
    },
    clear: () => {
      token = null;
    },
  };
}

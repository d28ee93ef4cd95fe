// What every page reads from the app: the API client, the signed-in user, the environments and
// the one chosen in the header's selector ('' = all).

import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { Environment, User } from './api/types';

export interface Session {
  api: ApiClient;
  user: User;
  environments: Environment[];
  env: string;
  setEnv: (env: string) => void;
  /** Reads the signed-in user again (after MFA enrolment, for instance). */
  reloadUser: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) {
    throw new Error('useSession outside SessionContext');
  }
  return s;
}

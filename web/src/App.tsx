// The app shell: who is signed in, the environments, and which page the hash names.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/client';
import { describeError } from './api/errors';
import { sessionTokenStore, type TokenStore } from './api/session';
import type { Environment, User } from './api/types';
import { Header } from './components/Header';
import { SessionContext, type Session } from './context';
import { AlarmsPage } from './pages/AlarmsPage';
import { AuditPage } from './pages/AuditPage';
import { ChannelsPage } from './pages/ChannelsPage';
import { DashboardsPage } from './pages/DashboardsPage';
import { DeploymentsPage } from './pages/DeploymentsPage';
import { EnvironmentsPage } from './pages/EnvironmentsPage';
import { IncidentsPage } from './pages/IncidentsPage';
import { InstancesPage } from './pages/InstancesPage';
import { MfaPage } from './pages/MfaPage';
import { PasswordPage } from './pages/PasswordPage';
import { SignInPage } from './pages/SignInPage';
import { UsersPage } from './pages/UsersPage';
import { navigate, useRoute, type Route } from './router';

const ENV_KEY = 'ec2m.env';
const HOME = '/instances';

type Phase = { kind: 'checking' } | { kind: 'signedOut'; notice: string | null } | { kind: 'signedIn'; user: User };

function Page({ route }: { route: Route }) {
  switch (route.path) {
    case '/instances':
      return <InstancesPage params={route.params} />;
    case '/environments':
      return <EnvironmentsPage params={route.params} />;
    case '/deployments':
      return <DeploymentsPage params={route.params} />;
    case '/alarms':
      return <AlarmsPage params={route.params} />;
    case '/incidents':
      return <IncidentsPage params={route.params} />;
    case '/dashboards':
      return <DashboardsPage params={route.params} />;
    case '/channels':
      return <ChannelsPage />;
    case '/audit':
      return <AuditPage />;
    case '/users':
      return <UsersPage />;
    case '/mfa':
      return <MfaPage />;
    case '/password':
      return <PasswordPage />;
    default:
      return (
        <main>
          <h1>Not found</h1>
          <p>
            No page at {route.path}. <a href={`#${HOME}`}>Go to instances</a>.
          </p>
        </main>
      );
  }
}

export function App(props: { tokens?: TokenStore; fetchFn?: typeof fetch }) {
  const [tokens] = useState(() => props.tokens ?? sessionTokenStore());
  const [fetchFn] = useState(() => props.fetchFn);
  const route = useRoute();
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [environments, setEnvironments] = useState<Environment[]>([]);
  const [envError, setEnvError] = useState<string | null>(null);
  const [env, setEnvState] = useState(() => window.sessionStorage.getItem(ENV_KEY) ?? '');

  const api = useMemo(
    () =>
      new ApiClient({
        tokens,
        ...(fetchFn ? { fetch: fetchFn } : {}),
        onUnauthenticated: () => setPhase({ kind: 'signedOut', notice: 'Your session has ended. Sign in again.' }),
      }),
    [tokens, fetchFn],
  );

  useEffect(() => {
    if (!api.signedIn) {
      setPhase({ kind: 'signedOut', notice: null });
      return;
    }
    api.me().then(
      (user) => setPhase({ kind: 'signedIn', user }),
      (e) => setPhase({ kind: 'signedOut', notice: describeError(e) }),
    );
  }, [api]);

  const signedIn = phase.kind === 'signedIn';
  useEffect(() => {
    if (!signedIn) {
      return;
    }
    api.environments().then(
      (envs) => {
        setEnvironments(envs);
        setEnvError(null);
      },
      (e) => setEnvError(`Environments could not be read: ${describeError(e)}`),
    );
  }, [api, signedIn]);

  // Signed out on any page: show sign-in there, remembering the page to come back to.
  useEffect(() => {
    if (phase.kind === 'signedOut' && route.path !== '/signin') {
      const next = new URLSearchParams({ next: `${route.path}?${route.params.toString()}` });
      navigate('/signin', next, true);
    }
  }, [phase.kind, route]);

  // A remembered environment that no longer exists falls back to all environments.
  useEffect(() => {
    if (env && environments.length > 0 && !environments.some((e) => e.name === env)) {
      setEnvState('');
    }
  }, [env, environments]);

  const atRoot = route.path === '/' || route.path === '/signin';
  useEffect(() => {
    if (signedIn && atRoot) {
      navigate(HOME, undefined, true);
    }
  }, [signedIn, atRoot]);

  const setEnv = useCallback((e: string) => {
    window.sessionStorage.setItem(ENV_KEY, e);
    setEnvState(e);
  }, []);

  const reloadUser = useCallback(async () => {
    const user = await api.me();
    setPhase({ kind: 'signedIn', user });
  }, [api]);

  const onSignedIn = (user: User) => {
    setPhase({ kind: 'signedIn', user });
    const next = route.params.get('next') ?? '';
    const [path = HOME, query = ''] = next.split('?', 2);
    navigate(path.startsWith('/') && path !== '/signin' ? path : HOME, new URLSearchParams(query), true);
  };

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setPhase({ kind: 'signedOut', notice: 'Signed out.' });
  };

  if (phase.kind === 'checking') {
    return <p role="status">Loading…</p>;
  }
  if (phase.kind === 'signedOut') {
    return <SignInPage api={api} notice={phase.notice} onSignedIn={onSignedIn} />;
  }
  if (atRoot) {
    return null;
  }

  const session: Session = { api, user: phase.user, environments, env, setEnv, reloadUser };
  return (
    <SessionContext.Provider value={session}>
      <Header
        path={route.path}
        user={phase.user}
        environments={environments}
        env={env}
        onEnv={setEnv}
        onSignOut={() => void signOut()}
      />
      {envError && (
        <p role="alert" className="error banner">
          {envError}
        </p>
      )}
      <div id="content" tabIndex={-1}>
        <Page route={route} />
      </div>
    </SessionContext.Provider>
  );
}

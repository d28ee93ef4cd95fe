// The bar above every page: navigation, the environment selector and the user menu.

import type { Environment, User } from '../api/types';
import { hrefFor } from '../router';
import { SelectField } from './SelectField';

interface Props {
  path: string;
  user: User;
  environments: Environment[];
  env: string;
  onEnv: (env: string) => void;
  onSignOut: () => void;
}

function NavLink({ path, current, children }: { path: string; current: string; children: string }) {
  return (
    <a href={hrefFor(path)} aria-current={current === path ? 'page' : undefined}>
      {children}
    </a>
  );
}

function envLabel(e: Environment): string {
  const running = e.instances?.running;
  return `${e.name} (${e.region}, ${e.provider}${running !== undefined ? `, ${running} running` : ''})`;
}

export function Header({ path, user, environments, env, onEnv, onSignOut }: Props) {
  return (
    <header className="top">
      <a
        className="skip"
        href="#content"
        onClick={(e) => {
          e.preventDefault(); // the hash is the router's: move the focus instead
          document.getElementById('content')?.focus();
        }}
      >
        Skip to content
      </a>
      <span className="brand">ec2m</span>
      <nav aria-label="Main">
        <NavLink path="/instances" current={path}>
          Instances
        </NavLink>
        <NavLink path="/environments" current={path}>
          Environments
        </NavLink>
        <NavLink path="/deployments" current={path}>
          Deployments
        </NavLink>
        <NavLink path="/alarms" current={path}>
          Alarms
        </NavLink>
        <NavLink path="/incidents" current={path}>
          Incidents
        </NavLink>
        <NavLink path="/dashboards" current={path}>
          Dashboards
        </NavLink>
        {user.admin && (
          <NavLink path="/audit" current={path}>
            Audit
          </NavLink>
        )}
        {user.admin && (
          <NavLink path="/users" current={path}>
            Users
          </NavLink>
        )}
        {user.admin && (
          <NavLink path="/channels" current={path}>
            Channels
          </NavLink>
        )}
      </nav>
      <SelectField label="Environment" className="env" value={env} onChange={onEnv}>
        <option value="">All environments</option>
        {environments.map((e) => (
          <option key={e.name} value={e.name}>
            {envLabel(e)}
          </option>
        ))}
      </SelectField>
      <details className="user-menu">
        <summary aria-label={`User menu for ${user.email}`}>{user.email}</summary>
        <ul>
          <li>
            <a href={hrefFor('/mfa')}>Multi-factor authentication</a>
          </li>
          <li>
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          </li>
        </ul>
      </details>
    </header>
  );
}

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

// The main navigation, in order; the last three are for global admins.
const NAV: { path: string; label: string; adminOnly?: boolean }[] = [
  { path: '/instances', label: 'Instances' },
  { path: '/environments', label: 'Environments' },
  { path: '/deployments', label: 'Deployments' },
  { path: '/alarms', label: 'Alarms' },
  { path: '/incidents', label: 'Incidents' },
  { path: '/dashboards', label: 'Dashboards' },
  { path: '/audit', label: 'Audit', adminOnly: true },
  { path: '/users', label: 'Users', adminOnly: true },
  { path: '/channels', label: 'Channels', adminOnly: true },
];

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
        {NAV.filter((link) => !link.adminOnly || user.admin).map((link) => (
          <NavLink key={link.path} path={link.path} current={path}>
            {link.label}
          </NavLink>
        ))}
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
            <a href={hrefFor('/password')}>Change password</a>
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

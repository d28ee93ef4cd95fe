import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { memoryTokenStore } from '../api/session';
import { Backend } from '../test/backend';
import { fakeFetch } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openUsers = () => openApp('#/users');

function rowOf(email: string) {
  return screen.getByRole('row', { name: new RegExp(`^${email.replace('.', '\\.')}`) });
}

describe('Users page', () => {
  it('creates a user and shows the one-time password once', async () => {
    const { calls } = openUsers();
    await userEvent.type(await screen.findByLabelText('Email'), 'dev@example.com');
    const form = screen.getByRole('region', { name: 'Create a user' });
    await userEvent.selectOptions(within(form).getByLabelText('Role 1'), 'operator');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    const status = await within(form).findByRole('status');
    expect(status.textContent).toMatch(/one-time password, shown only now/);
    expect(within(status).getByText('one-time-Pw-1')).toBeTruthy();
    const create = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/users');
    expect(create?.body).toEqual({ email: 'dev@example.com', roles: { '*': 'operator' } });
    await waitFor(() => expect(rowOf('dev@example.com')).toBeTruthy());
    await userEvent.click(within(status).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('one-time-Pw-1')).toBeNull();
  });

  it('changes roles per environment, disables and deletes', async () => {
    const { backend, calls } = openUsers();
    backend.users.push({
      email: 'ops@example.com',
      roles: { '*': 'viewer' },
      admin: false,
      mfa_enabled: false,
      disabled: false,
      created_at: '',
      failed_sign_ins: 0,
      throttled_until: null,
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit roles of ops@example.com' }));
    const editor = screen.getByRole('group', { name: 'Roles of ops@example.com' });
    await userEvent.click(within(editor).getByRole('button', { name: 'Add role' }));
    await userEvent.selectOptions(within(editor).getByLabelText('Environment 2'), 'prod');
    await userEvent.selectOptions(within(editor).getByLabelText('Role 2'), 'deployer');
    await userEvent.click(screen.getByRole('button', { name: 'Save roles' }));
    await waitFor(() => expect(rowOf('ops@example.com').textContent).toMatch(/\*: viewer, prod: deployer/));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ roles: { '*': 'viewer', prod: 'deployer' } });

    await userEvent.click(screen.getByRole('button', { name: 'Disable ops@example.com' }));
    await waitFor(() => expect(rowOf('ops@example.com').textContent).toMatch(/disabled/));

    await userEvent.click(screen.getByRole('button', { name: 'Delete ops@example.com' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete ops@example.com' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: /^ops@example\.com/ })).toBeNull());
  });

  it('refuses two roles for one environment', async () => {
    openUsers();
    await screen.findByLabelText('Email');
    await userEvent.type(screen.getByLabelText('Email'), 'x@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add role' }));
    const form = screen.getByRole('region', { name: 'Create a user' });
    await userEvent.selectOptions(within(form).getByLabelText('Environment 2'), '*');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/\* \(all\) has two roles/);
  });

  it("shows each user's failed sign-ins and throttling, and resets a lost device's MFA after a confirmation", async () => {
    const { calls } = openApp('#/users', {
      setup: (b) =>
        b.users.push({
          email: 'lost@example.com',
          roles: { dev: 'operator' },
          admin: false,
          mfa_enabled: true,
          disabled: false,
          created_at: '2025-09-14T11:00:00Z',
          failed_sign_ins: 7,
          throttled_until: '2025-09-14T12:30:00Z',
        }),
    });
    await waitFor(() => expect(rowOf('lost@example.com')).toBeTruthy());
    const cells = within(rowOf('lost@example.com'))
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(1, 5)).toEqual(['on', 'active', '7', '2025-09-14 12:30:00 UTC']);
    expect(within(rowOf('admin@example.com')).getAllByRole('cell')[4]?.textContent).toBe('—');
    // No reset for oneself (DELETE /api/v1/me/mfa is theirs) nor for users without MFA.
    expect(screen.queryByRole('button', { name: 'Reset the MFA of admin@example.com' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Reset the MFA of lost@example.com' }));
    const confirm = screen.getByRole('group', { name: 'Confirm resetting the MFA of lost@example.com' });
    expect(confirm.textContent).toMatch(/every session and API token of theirs ends/);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Keep' }));
    expect(calls.some((c) => c.url.pathname.endsWith('/mfa/reset'))).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Reset the MFA of lost@example.com' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, reset the MFA of lost@example.com' }));
    await waitFor(() => expect(within(rowOf('lost@example.com')).getAllByRole('cell')[1]?.textContent).toBe('off'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname)).toEqual([
      '/api/v1/users/lost%40example.com/mfa/reset',
    ]);
    expect(screen.queryByRole('button', { name: 'Reset the MFA of lost@example.com' })).toBeNull();
  });

  it('says when the session needs MFA, with a link to set it up; after enrolment the list opens', async () => {
    openApp('#/users', { setup: (b) => (b.mfaRequiredForAdmins = true) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/need an MFA-verified session/);
    await userEvent.click(screen.getByRole('link', { name: 'set up multi-factor authentication' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Set up MFA' }));
    await userEvent.type(screen.getByLabelText('Current password'), 'Old-Password-42{Enter}');
    await userEvent.type(await screen.findByLabelText('Code from the app'), '123456{Enter}');
    await screen.findByRole('list', { name: 'Recovery codes' });
    await userEvent.click(screen.getByRole('link', { name: 'Users' }));
    await waitFor(() => expect(rowOf('admin@example.com')).toBeTruthy());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('does not let an admin disable or delete themselves', async () => {
    openUsers();
    await screen.findByRole('row', { name: /^admin@example\.com/ });
    expect((screen.getByRole('button', { name: 'Delete admin@example.com' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('Audit page', () => {
  it('lists entries newest first and shows the first bad entry', async () => {
    const backend = new Backend();
    backend.token = 'tok-1';
    window.location.hash = '#/audit';
    render(<App tokens={memoryTokenStore('tok-1')} fetchFn={fakeFetch(backend.handle).fetch} />);
    const table = await screen.findByRole('table', { name: 'Audit entries, newest first' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(within(table).getAllByRole('row')[1]?.textContent).toMatch(/instance\.stop/);
    await userEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Chain broken at entry 2: hash does not match (2 entries checked).',
    );
  });
});

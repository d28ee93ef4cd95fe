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

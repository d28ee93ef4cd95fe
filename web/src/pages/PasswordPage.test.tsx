import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { openApp } from '../test/openApp';

async function change(current: string, next: string, again = next) {
  const form = await screen.findByRole('button', { name: 'Change password' });
  await userEvent.type(screen.getByLabelText('Current password'), current);
  await userEvent.type(screen.getByLabelText('New password'), next);
  await userEvent.type(screen.getByLabelText('New password again'), again);
  await userEvent.click(form);
}

describe('Change password', () => {
  it('is reached from the user menu', async () => {
    openApp('#/instances');
    await userEvent.click(await screen.findByText('admin@example.com'));
    await userEvent.click(screen.getByRole('link', { name: 'Change password' }));
    expect(await screen.findByRole('heading', { name: 'Change password' })).toBeTruthy();
  });

  it('changes it and goes on with the new session token', async () => {
    const { backend, calls } = openApp('#/password');
    await change('Old-Password-42', 'New-Password-42');
    expect((await screen.findByRole('status')).textContent).toMatch(/Password changed/);
    expect(backend.password).toBe('New-Password-42');
    expect(backend.token).toBe('tok-2');
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');

    // Still signed in: the next request carries the new token, and the old one is refused.
    await userEvent.click(screen.getByRole('link', { name: 'Instances' }));
    await screen.findByRole('heading', { name: 'Instances' });
    await waitFor(() => expect(calls.at(-1)?.headers.Authorization).toBe('Bearer tok-2'));
    expect(screen.queryByRole('heading', { name: 'Sign in to ec2m' })).toBeNull();
  });

  it('shows why the server refused, and keeps the session', async () => {
    const { backend } = openApp('#/password');
    await change('Old-Password-42', 'short');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'password must be at least 12 characters long (request req-1)',
    );
    await userEvent.clear(screen.getByLabelText('Current password'));
    await userEvent.clear(screen.getByLabelText('New password'));
    await userEvent.clear(screen.getByLabelText('New password again'));
    await change('Wrong-Password-1', 'New-Password-42');
    expect((await screen.findByRole('alert')).textContent).toBe('current: the password is not right (request req-1)');
    expect(backend.token).toBe('tok-1');
    expect(screen.getByRole('heading', { name: 'Change password' })).toBeTruthy();
  });

  it('refuses two different new passwords without asking the server', async () => {
    const { calls } = openApp('#/password');
    await change('Old-Password-42', 'New-Password-42', 'New-Password-43');
    expect((await screen.findByRole('alert')).textContent).toMatch(/two new passwords differ/);
    expect(calls.some((c) => c.url.pathname === '/api/v1/me/password')).toBe(false);
  });
});

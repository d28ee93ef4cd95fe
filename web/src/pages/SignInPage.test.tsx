import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { memoryTokenStore } from '../api/session';
import { apiError, fakeFetch, type Handler } from '../test/fakeFetch';
import { SignInPage } from './SignInPage';

const user = {
  email: 'ops@example.com',
  roles: { '*': 'admin' },
  admin: true,
  mfa_enabled: true,
  disabled: false,
  created_at: '',
};

function setup(handler: Handler) {
  const f = fakeFetch(handler);
  const tokens = memoryTokenStore();
  const api = new ApiClient({ tokens, fetch: f.fetch });
  const onSignedIn = vi.fn();
  render(<SignInPage api={api} onSignedIn={onSignedIn} />);
  return { calls: f.calls, tokens, onSignedIn };
}

async function fill(email: string, password: string) {
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.type(screen.getByLabelText('Password'), password);
}

describe('SignInPage', () => {
  it('always shows the optional code field', () => {
    setup(() => ({ body: {} }));
    expect(screen.getByLabelText('One-time code (optional)')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
  });

  it('signs in and keeps the token', async () => {
    const { calls, tokens, onSignedIn } = setup(() => ({ body: { token: 'tok', expires_at: 'x', user } }));
    await fill('ops@example.com', 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(user));
    expect(tokens.get()).toBe('tok');
    expect(calls[0]?.body).toEqual({ email: 'ops@example.com', password: 'pw' });
  });

  it('asks for the code when the server answers otp:, then sends it', async () => {
    const { calls, onSignedIn } = setup((req) =>
      (req.body as { otp?: string }).otp === '123456'
        ? { body: { token: 'tok', expires_at: 'x', user } }
        : apiError(401, 'unauthenticated', 'otp: a one-time code is required'),
    );
    await fill('ops@example.com', 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/one-time code is needed/);
    const otp = screen.getByLabelText('One-time code (optional)');
    expect(document.activeElement).toBe(otp);
    expect(otp.getAttribute('aria-invalid')).toBe('true');
    await userEvent.type(otp, '123 456{Enter}');
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(calls[1]?.body).toEqual({ email: 'ops@example.com', password: 'pw', otp: '123456' });
  });

  it('says when a code was given but refused', async () => {
    setup(() => apiError(401, 'unauthenticated', 'otp: invalid code'));
    await fill('ops@example.com', 'pw');
    await userEvent.type(screen.getByLabelText('One-time code (optional)'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not accepted \(invalid code\)/);
  });

  it('says how long to wait when sign-in is throttled, not that the password was wrong', async () => {
    let slowed = true;
    const { calls, onSignedIn } = setup(() =>
      slowed
        ? {
            ...apiError(429, 'throttled', 'too many sign-in attempts: try again in 1 s'),
            headers: { 'Retry-After': '1' },
          }
        : { body: { token: 'tok', expires_at: 'x', user } },
    );
    await fill('ops@example.com', 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'too many sign-in attempts: try again in 1 s. Sign-in is slowed down after failed attempts; ' +
        'your password was not checked this time.',
    );
    expect(alert.className).toBe('warn');
    const button = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText('You can try again in 1 s.')).toBeTruthy();
    // The form keeps what was typed; the button comes back once the wait is over.
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('pw');
    await waitFor(() => expect(button.disabled).toBe(false), { timeout: 2500 });
    slowed = false;
    await userEvent.click(button);
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(user));
    expect(calls).toHaveLength(2);
  });

  it('shows other refusals as they are', async () => {
    setup(() => apiError(401, 'unauthenticated', 'wrong email or password'));
    await fill('ops@example.com', 'bad');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('wrong email or password (request req-1)');
    expect(document.activeElement).not.toBe(screen.getByLabelText('One-time code (optional)'));
  });
});

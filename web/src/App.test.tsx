import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { memoryTokenStore } from './api/session';
import { Backend } from './test/backend';
import { fakeFetch } from './test/fakeFetch';

function start(backend: Backend, token: string | null = null) {
  const f = fakeFetch(backend.handle);
  const tokens = memoryTokenStore(token);
  render(<App tokens={tokens} fetchFn={f.fetch} />);
  return { calls: f.calls, tokens };
}

async function signIn(user: Pick<typeof userEvent, 'type' | 'click'> = userEvent) {
  await user.type(await screen.findByLabelText('Email'), 'admin@example.com');
  await user.type(screen.getByLabelText('Password'), 'pw');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

function stateOf(id: string): string {
  const table = screen.getByRole('table', { name: 'Instances' });
  const row = within(table).getByRole('row', { name: new RegExp(`Select ${id}`) });
  return within(row).getByTestId('instance-state').textContent ?? '';
}

describe('App', () => {
  it('starts at sign-in without a token, then shows the instances', async () => {
    const backend = new Backend();
    const { calls } = start(backend);
    await signIn();
    expect(await screen.findByRole('heading', { name: 'Instances' })).toBeTruthy();
    await screen.findByRole('row', { name: /i-1/ });
    expect(window.location.hash).toBe('#/instances');
    expect(
      calls
        .filter((c) => c.url.pathname !== '/api/v1/auth/login')
        .every((c) => c.headers.Authorization === 'Bearer tok-1'),
    ).toBe(true);
    const select = screen.getByLabelText('Environment') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect(select.options[1]?.textContent).toBe('dev (us-west-2, sim, 2 running)');
  });

  it('goes back to sign-in on a 401 anywhere, and returns to the page after signing in', async () => {
    const backend = new Backend();
    backend.token = 'tok-1';
    window.location.hash = '#/audit';
    const { tokens } = start(backend, 'tok-1');
    await screen.findByRole('heading', { name: 'Audit log' });
    backend.revoked = true;
    await userEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect((await screen.findByRole('status')).textContent).toBe('Your session has ended. Sign in again.');
    expect(tokens.get()).toBeNull();
    await waitFor(() => expect(window.location.hash).toBe('#/signin?next=%2Faudit%3F'));
    await signIn();
    await screen.findByRole('heading', { name: 'Audit log' });
  });

  it('shows the Audit, Users and Channels links to admins only', async () => {
    const backend = new Backend();
    backend.user = { ...backend.user, admin: false, roles: { dev: 'operator' } };
    start(backend);
    await signIn();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Instances', 'Environments', 'Deployments', 'Alarms', 'Incidents', 'Dashboards']);
  });
});

describe('Instances page', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops an instance, polls every 3 s while it moves and keeps the selection', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const backend = new Backend();
    const { calls } = start(backend);
    await signIn(user);
    await screen.findByRole('row', { name: /i-1/ });

    await user.click(screen.getByRole('checkbox', { name: 'Select i-2' }));
    await user.click(screen.getByRole('button', { name: 'Stop i-1' }));
    const results = await screen.findByRole('region', { name: 'Action results' });
    expect(within(results).getByRole('heading').textContent).toBe('Stop: 1 succeeded');
    await waitFor(() => expect(stateOf('i-1')).toMatch(/^stopping/));

    const listCalls = () => calls.filter((c) => c.url.pathname === '/api/v1/instances').length;
    const before = listCalls();
    backend.instances[0]!.state = 'stopped';
    await act(() => vi.advanceTimersByTimeAsync(3_100));
    await waitFor(() => expect(stateOf('i-1')).toBe('stopped'));
    expect(listCalls()).toBeGreaterThan(before);
    expect((screen.getByRole('checkbox', { name: 'Select i-2' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('toolbar').textContent).toMatch(/^1 selected/);

    // Settled: the next refresh waits 15 s.
    const settled = listCalls();
    // (Fake time also follows the wall clock here, so leave the margin on the early side.)
    await act(() => vi.advanceTimersByTimeAsync(8_000));
    expect(listCalls()).toBe(settled);
    await act(() => vi.advanceTimersByTimeAsync(7_500));
    expect(listCalls()).toBe(settled + 1);
  });
});

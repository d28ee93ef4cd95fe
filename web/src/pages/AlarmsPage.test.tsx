import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Backend } from '../test/backend';
import { apiError, type Recorded } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openAlarms = (hash = '#/alarms', setup: (b: Backend) => void = () => {}, env = 'dev') =>
  openApp(hash, { setup, env });

const table = () => screen.getByRole('table', { name: 'Alarms' });
const names = () =>
  within(table())
    .getAllByRole('rowheader')
    .map((h) => `${h.textContent}@${h.nextElementSibling?.textContent}`);
const alarmQueries = (calls: Recorded[]) =>
  calls.filter((c) => c.url.pathname === '/api/v1/alarms').map((c) => c.url.search);
const details = () => screen.getByRole('region', { name: /^High Error Rate in dev$/ });

describe('Alarms page', () => {
  it("lists the environment's alarms, ALARM first, each state marked", async () => {
    const { calls } = openAlarms();
    await screen.findByRole('table', { name: 'Alarms' });
    await waitFor(() => expect(names()).toEqual(['High Error Rate@dev', 'Throttling@dev', 'High Latency@dev']));
    expect(alarmQueries(calls)).toEqual(['?env=dev']);
    const states = within(table())
      .getAllByTestId('alarm-state')
      .map((c) => [c.textContent, c.firstElementChild?.className]);
    expect(states).toEqual([
      ['ALARM', 'alarm-state alarm-state-alarm'],
      ['INSUFFICIENT_DATA', 'alarm-state alarm-state-insufficient_data'],
      ['OK', 'alarm-state alarm-state-ok'],
    ]);
    expect(screen.getByText(/^Of dev: /).textContent).toBe('Of dev: 1 ALARM, 1 INSUFFICIENT_DATA, 1 OK');
  });

  it('filters by state through the URL and shows the control plane on request', async () => {
    const { calls } = openAlarms();
    await screen.findByRole('table', { name: 'Alarms' });
    await userEvent.selectOptions(screen.getByLabelText('State'), 'ALARM');
    await waitFor(() => expect(window.location.hash).toBe('#/alarms?state=ALARM'));
    await waitFor(() => expect(names()).toEqual(['High Error Rate@dev']));
    expect(alarmQueries(calls).at(-1)).toBe('?env=dev&state=ALARM');

    await userEvent.click(screen.getByLabelText("Include the control plane's alarms (ec2m)"));
    await waitFor(() => expect(names()).toEqual(['High Error Rate@dev', 'Critical API Errors@ec2m']));
    expect(alarmQueries(calls).slice(-2)).toEqual(['?env=dev&state=ALARM', '?env=ec2m&state=ALARM']);
  });

  it('leaves out the control plane without an environment chosen, and hides its toggle from non-admins', async () => {
    const { calls } = openAlarms(
      '#/alarms?control=1',
      (b) => {
        b.user = { ...b.user, admin: false, roles: { '*': 'viewer' } };
      },
      '',
    );
    await screen.findByRole('table', { name: 'Alarms' });
    await waitFor(() => expect(names()).toContain('Critical API Errors@prod'));
    expect(names().some((n) => n.endsWith('@ec2m'))).toBe(false);
    expect(alarmQueries(calls)).toEqual(['']);
    expect(screen.queryByLabelText(/control plane/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Details of High Error Rate in dev' }));
    expect(within(details()).getByText('Muting and acknowledging need the deployer role in dev.')).toBeTruthy();
    expect((within(details()).getByRole('button', { name: 'Mute until resolved' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it("shows an alarm's rule and history, mutes and acknowledges it", async () => {
    const { calls } = openAlarms();
    await userEvent.click(await screen.findByRole('button', { name: 'Details of High Error Rate in dev' }));
    const facts = within(details());
    const fact = (term: string) => facts.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(fact('Metric')).toBe('ServerErrors');
    expect(fact('Statistic')).toBe('Sum');
    expect(fact('Period')).toBe('10 min');
    expect(fact('Datapoints to alarm (M of N)')).toBe('1 of 1');
    expect(fact('Condition')).toBe('≥ 3 (GreaterThanOrEqualToThreshold)');
    expect(fact('Missing data')).toMatch(/^notBreaching: /);
    const history = await facts.findByRole('table', { name: 'History of High Error Rate in dev, newest first' });
    expect(within(history).getAllByRole('row')).toHaveLength(2);

    await userEvent.click(facts.getByRole('button', { name: 'Mute until resolved' }));
    await waitFor(() =>
      expect(within(table()).getByRole('row', { name: /High Error Rate/ }).textContent).toMatch(/muted until resolved/),
    );
    expect((facts.getByRole('button', { name: 'Mute until resolved' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(within(history).getAllByRole('row')).toHaveLength(3));
    expect(within(history).getAllByRole('row')[1]?.textContent).toMatch(/Mute/);

    await userEvent.click(facts.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(fact('Acknowledged by')).toBe('admin@example.com'));
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => [c.url.pathname, c.body])).toEqual([
      ['/api/v1/alarms/High%20Error%20Rate/mute', { env: 'dev' }],
      ['/api/v1/alarms/High%20Error%20Rate/ack', { env: 'dev' }],
    ]);
  });

  it('shows why an action or the list was refused', async () => {
    openAlarms('#/alarms', (b) => {
      b.monitoring.refuse = apiError(403, 'permission_denied', 'environment dev requires an MFA-verified session');
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Details of High Error Rate in dev' }));
    await userEvent.click(within(details()).getByRole('button', { name: 'Mute until resolved' }));
    expect((await within(details()).findByRole('alert')).textContent).toBe(
      'environment dev requires an MFA-verified session (request req-1)',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Details of High Latency in dev' }));
    const latency = screen.getByRole('region', { name: 'High Latency in dev' });
    expect((within(latency).getByRole('button', { name: 'Acknowledge' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(latency).getByText('Only an alarm in ALARM can be acknowledged.')).toBeTruthy();
  });

  it('says when monitoring is not running', async () => {
    openAlarms('#/alarms', (b) => {
      const h = b.handle;
      b.handle = (req) =>
        req.url.pathname === '/api/v1/alarms'
          ? apiError(503, 'unavailable', 'monitoring is not running on this server')
          : h(req);
    });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'monitoring is not running on this server (request req-1)',
    );
    expect(screen.queryByRole('table', { name: 'Alarms' })).toBeNull();
  });
});

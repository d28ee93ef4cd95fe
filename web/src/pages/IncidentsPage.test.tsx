import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Backend } from '../test/backend';
import { type Recorded } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openIncidents = (hash = '#/incidents', setup: (b: Backend) => void = () => {}) => openApp(hash, { setup });

const table = () => screen.getByRole('table', { name: 'Incidents' });
const ids = () =>
  within(table())
    .queryAllByRole('rowheader')
    .map((h) => h.textContent);
const listQueries = (calls: Recorded[]) =>
  calls.filter((c) => c.url.pathname === '/api/v1/incidents' && c.method === 'GET').map((c) => c.url.search);
const posts = (calls: Recorded[]) =>
  calls.filter((c) => c.method === 'POST').map((c) => [c.url.pathname.replace('/api/v1/incidents', ''), c.body]);

describe('Incidents page', () => {
  it('lists open incidents by default, filters by status and severity through the URL', async () => {
    const { calls } = openIncidents();
    await screen.findByRole('table', { name: 'Incidents' });
    await waitFor(() => expect(ids()).toEqual(['2026-1128-002']));
    expect(listQueries(calls)[0]).toBe('?status=open&limit=50');
    const row = within(table()).getByRole('row', { name: /2026-1128-002/ });
    expect(row.textContent).toMatch(/^2026-1128-002P1 CriticalCheckout errorsprodinvestigatingunassigned/);

    await userEvent.selectOptions(screen.getByLabelText('Filter by status'), 'all');
    await waitFor(() => expect(ids()).toEqual(['2026-1128-002', '2026-1128-001']));
    expect(window.location.hash).toBe('#/incidents?status=all');
    expect(within(table()).getByRole('row', { name: /2026-1128-001/ }).textContent).toMatch(/resolved.*—$/);

    await userEvent.selectOptions(screen.getByLabelText('Filter by severity'), 'P3');
    await waitFor(() => expect(ids()).toEqual(['2026-1128-001']));
    expect(listQueries(calls).at(-1)).toBe('?status=all&severity=P3&limit=50');

    await userEvent.selectOptions(screen.getByLabelText('Environment'), 'prod');
    await waitFor(() => expect(listQueries(calls).at(-1)).toBe('?status=all&severity=P3&env=prod&limit=50'));
    await waitFor(() => expect(ids()).toEqual([]));
    expect(screen.getByText('No incidents.')).toBeTruthy();
  });

  it('opens an incident through the form, shows it and lists it', async () => {
    const { calls } = openIncidents('#/incidents', () => window.sessionStorage.setItem('ec2m.env', 'dev'));
    const form = await screen.findByRole('region', { name: 'Open an incident' });
    expect((within(form).getByLabelText('Affected environment') as HTMLSelectElement).value).toBe('dev');
    await userEvent.selectOptions(within(form).getByLabelText('Severity'), 'P3');
    await userEvent.type(within(form).getByLabelText('Title'), 'Slow sign-in');
    await userEvent.click(within(form).getByRole('button', { name: 'Open incident' }));

    const details = await screen.findByRole('region', { name: 'Incident 2026-1128-003' });
    expect(window.location.hash).toBe('#/incidents?id=2026-1128-003');
    expect(posts(calls)).toEqual([['', { severity: 'P3', title: 'Slow sign-in', environment: 'dev' }]]);
    await within(details).findByText('Slow sign-in');
    await waitFor(() => expect(ids()).toEqual(['2026-1128-003']));
    expect((within(form).getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });

  it('shows the server refusing the form', async () => {
    openIncidents();
    const form = await screen.findByRole('region', { name: 'Open an incident' });
    const title = within(form).getByLabelText('Title');
    await userEvent.type(title, '   ');
    await userEvent.click(within(form).getByRole('button', { name: 'Open incident' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'request body: $.title: required (request req-1)',
    );
  });

  it('works an incident: acknowledge, status, commander, note, resolve', async () => {
    const { calls } = openIncidents('#/incidents?id=2026-1128-002');
    const details = await screen.findByRole('region', { name: 'Incident 2026-1128-002' });
    const d = within(details);
    const fact = (term: string) => d.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    await d.findByText('Checkout errors');
    expect(fact('Severity')).toBe('P1 Critical: respond within 15 min, else immediate page');
    expect(d.getByRole('list', { name: 'Status' }).querySelector('[aria-current]')?.textContent).toBe('investigating');

    await userEvent.click(d.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(fact('Acknowledged')).toMatch(/by admin@example\.com$/));
    expect((d.getByRole('button', { name: 'Acknowledge' }) as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(d.getByRole('button', { name: 'Mark identified' }));
    await waitFor(() => expect(d.queryByRole('button', { name: 'Mark identified' })).toBeNull());
    expect(d.getByRole('list', { name: 'Status' }).querySelector('[aria-current]')?.textContent).toBe('identified');

    await userEvent.type(d.getByLabelText('Commander'), '@alice');
    await userEvent.click(d.getByRole('button', { name: 'Assign commander' }));
    await waitFor(() => expect(fact('Commander')).toBe('@alice'));

    await userEvent.type(d.getByLabelText('Note'), 'rolled back the payment service');
    await userEvent.click(d.getByRole('button', { name: 'Add note' }));
    const timeline = d.getByRole('list', { name: 'Timeline of 2026-1128-002' });
    await waitFor(() => expect(within(timeline).getAllByRole('listitem').at(-1)?.textContent).toMatch(/rolled back/));

    await userEvent.type(d.getByLabelText('Root cause'), 'DB pool exhausted');
    await userEvent.type(d.getByLabelText('Resolution'), 'Pool raised to 64');
    await userEvent.click(d.getByRole('button', { name: 'Resolve incident' }));
    await waitFor(() => expect(fact('Root cause')).toBe('DB pool exhausted'));
    expect(fact('Resolved')).toMatch(/after 1 h$/);
    expect(d.queryByRole('button', { name: 'Resolve incident' })).toBeNull();
    expect(d.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    // Resolved: gone from the open ones.
    await waitFor(() => expect(ids()).toEqual([]));

    expect(posts(calls)).toEqual([
      ['/2026-1128-002/ack', {}],
      ['/2026-1128-002/status', { status: 'identified' }],
      ['/2026-1128-002/assign', { commander: '@alice' }],
      ['/2026-1128-002/notes', { text: 'rolled back the payment service' }],
      ['/2026-1128-002/resolve', { root_cause: 'DB pool exhausted', resolution: 'Pool raised to 64' }],
    ]);
  });

  it('shows a refused action', async () => {
    const { backend } = openIncidents('#/incidents?id=2026-1128-002');
    const details = await screen.findByRole('region', { name: 'Incident 2026-1128-002' });
    const ack = await within(details).findByRole('button', { name: 'Acknowledge' });
    // Someone else acknowledged it meanwhile: the server refuses, the page says why.
    Object.assign(backend.incidents.incidents[0]!, {
      acknowledged_by: 'bob@example.com',
      acknowledged_at: '2026-11-28T09:05:00.000Z',
    });
    await userEvent.click(ack);
    expect((await within(details).findByRole('alert')).textContent).toBe(
      'incident 2026-1128-002 was acknowledged by bob@example.com (request req-1)',
    );
  });

  it('shows viewers the incident without its actions', async () => {
    openIncidents('#/incidents?id=2026-1128-002', (b) => {
      b.user = { ...b.user, admin: false, roles: { '*': 'viewer' } };
    });
    const details = await screen.findByRole('region', { name: 'Incident 2026-1128-002' });
    expect(await within(details).findByText('Working an incident needs the deployer role in prod.')).toBeTruthy();
    expect(within(details).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(within(details).getByRole('list', { name: 'Timeline of 2026-1128-002' }).textContent).toMatch(
      /P1 incident opened/,
    );
  });
});

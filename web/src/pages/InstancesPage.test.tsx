import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { openApp } from '../test/openApp';

const openInstances = (hash = '#/instances') => openApp(hash);

const table = () => screen.getByRole('table', { name: 'Instances' });
const listQueries = (calls: ReturnType<typeof openInstances>['calls']) =>
  calls.filter((c) => c.url.pathname === '/api/v1/instances').map((c) => c.url.search);

describe('Instances page', () => {
  it('terminates the selection across environments after the count is typed', async () => {
    const { backend, calls } = openInstances();
    backend.instances[1]!.termination_protection = true;
    await screen.findByRole('row', { name: /Select i-1/ });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select i-1' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select i-2' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select i-3' }));
    await userEvent.click(screen.getByRole('button', { name: 'Terminate selected' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Terminate 3 instances?' });
    await userEvent.type(within(dialog).getByRole('textbox'), '3{Enter}');
    const results = await screen.findByRole('region', { name: 'Action results' });
    expect(within(results).getByRole('heading').textContent).toBe('Terminate: 2 succeeded, 1 failed');
    expect(within(results).getByRole('row', { name: /i-2/ }).textContent).toMatch(/termination protection is on/);
    const bulk = calls.filter((c) => c.url.pathname === '/api/v1/instances/actions').map((c) => c.body);
    expect(bulk).toEqual([
      { env: 'dev', action: 'terminate', ids: ['i-1', 'i-2'] },
      { env: 'prod', action: 'terminate', ids: ['i-3'] },
    ]);
  });

  it('sends nothing when terminate is cancelled', async () => {
    const { calls } = openInstances();
    await userEvent.click(await screen.findByRole('button', { name: 'Terminate i-1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('applies filters and sort through the URL and the query', async () => {
    const { calls } = openInstances('#/instances?state=running');
    await screen.findByRole('row', { name: /Select i-1/ });
    expect(listQueries(calls)[0]).toBe('?state=running&limit=100');
    expect((screen.getByLabelText('State') as HTMLSelectElement).value).toBe('running');

    await userEvent.type(screen.getByLabelText('Tag'), 'Team=web');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(window.location.hash).toBe('#/instances?state=running&tag=Team%3Dweb'));
    await waitFor(() => expect(listQueries(calls).at(-1)).toBe('?state=running&tag=Team%3Dweb&limit=100'));

    await userEvent.click(within(table()).getByRole('button', { name: 'Launched' }));
    await waitFor(() => expect(listQueries(calls).at(-1)).toMatch(/sort=launch_time/));
    await userEvent.click(within(table()).getByRole('button', { name: 'Launched' }));
    await waitFor(() => expect(listQueries(calls).at(-1)).toMatch(/sort=-launch_time/));
    expect(
      within(table())
        .getByRole('columnheader', { name: /Launched/ })
        .getAttribute('aria-sort'),
    ).toBe('descending');

    await userEvent.selectOptions(screen.getByLabelText('Environment'), 'prod');
    await waitFor(() => expect(listQueries(calls).at(-1)).toMatch(/^\?env=prod&/));
  });

  it('shows an operator why the tags ec2m manages are refused, and changes nothing', async () => {
    const { backend, calls } = openApp('#/instances', {
      setup: (b) => {
        b.user = { ...b.user, admin: false, roles: { dev: 'operator' } };
      },
    });
    backend.instances[0]!.tags = { Name: 'web-1', ManagedBy: 'ec2m' };
    await userEvent.click(await screen.findByRole('button', { name: 'Edit tags of i-1' }));
    const dialog = screen.getByRole('dialog', { name: 'Tags of i-1' });
    expect(dialog.textContent).toMatch(/changing or removing them needs the deployer role/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove tag 1 (ManagedBy)' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save tags' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(
      /tag "ManagedBy" is one ec2m manages instances by: changing or removing it needs the deployer or admin role in dev; admin@example\.com has operator/,
    );
    expect(screen.getByRole('dialog', { name: 'Tags of i-1' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
    expect(backend.instances[0]!.tags).toEqual({ Name: 'web-1', ManagedBy: 'ec2m' });
  });

  it('edits tags, sending only what changed', async () => {
    const { backend, calls } = openInstances();
    backend.instances[0]!.tags = { Name: 'web-1', Team: 'web', Old: 'x' };
    await userEvent.click(await screen.findByRole('button', { name: 'Edit tags of i-1' }));
    const dialog = screen.getByRole('dialog', { name: 'Tags of i-1' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove tag 2 (Old)' }));
    const value = within(dialog).getByLabelText('Value of tag 2');
    await userEvent.clear(value);
    await userEvent.type(value, 'platform');
    await userEvent.type(within(dialog).getByLabelText('Key of tag 3'), 'Cost');
    await userEvent.type(within(dialog).getByLabelText('Value of tag 3'), '42');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save tags' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      set: { Team: 'platform', Cost: '42' },
      remove: ['Old'],
    });
    expect(within(table()).getByRole('row', { name: /Select i-1/ }).textContent).toMatch(/Cost=42Team=platform/);
  });
});

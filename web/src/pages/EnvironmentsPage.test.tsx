import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REFUSAL } from '../environments/plan';
import { Backend } from '../test/backend';
import { change, changeset, plan } from '../test/environments';
import { type Recorded } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openEnvironments = (hash: string, setup: (b: Backend) => void = () => {}) => openApp(hash, { setup });

const region = (name: string | RegExp) => screen.getByRole('region', { name });
const posts = (calls: Recorded[], what: string) =>
  calls.filter((c) => c.method === 'POST' && c.url.pathname.endsWith(`/${what}`));
const historyTable = () => screen.getByRole('table', { name: /^Change sets of / });

describe('Environments page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the plan: destructive changes highlighted and labelled, refused ones explained, no Provision', async () => {
    openEnvironments('#/environments?env=dev', (b) => {
      b.envs.plans.dev = plan('dev', [
        change('Web'),
        change('Db', {
          action: 'replace',
          physical_id: 'i-db',
          destructive: true,
          properties: [{ property: 'ImageId', from: 'ami-old', to: 'ami-new', replaces: true }],
        }),
        change('Old', {
          action: 'delete',
          physical_id: 'i-old',
          destructive: true,
          refused: true,
          reason: 'not in the config',
        }),
      ]);
    });
    const panel = await screen.findByRole('region', { name: 'Plan' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Plan' }));
    const table = await within(panel).findByRole('table', { name: 'Plan for dev' });
    const row = (id: string) => within(table).getByRole('row', { name: new RegExp(`\\b${id}\\b`) });

    expect(row('Web').className).not.toMatch(/destructive/);
    expect(row('Web').textContent).toMatch(/^\+ create/);
    expect(row('Db').className).toMatch(/\bdestructive\b/);
    expect(within(row('Db')).getByText('destructive')).toBeTruthy();
    expect(row('Db').textContent).toMatch(/^-\/\+ replace/);
    expect(row('Db').textContent).toContain('ImageId: ami-old → ami-new (forces replacement)');
    expect(row('Old').className).toMatch(/\brefused\b/);
    expect(within(row('Old')).getByText('refused')).toBeTruthy();
    expect(row('Old').textContent).toContain(REFUSAL);
    expect(row('Old').textContent).toContain('not in the config');
    expect(within(panel).getByText(/^Plan for dev:/).textContent).toBe(
      'Plan for dev: 1 to create, 0 to update, 1 to replace, 1 to delete, 3 unchanged. Refused: it would delete retained resources.',
    );
    expect(within(panel).queryByRole('button', { name: 'Provision' })).toBeNull();
  });

  it('asks "are you sure" before provisioning prod, and No sends nothing', async () => {
    const { calls } = openEnvironments('#/environments?env=prod');
    const panel = await screen.findByRole('region', { name: 'Plan' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Plan' }));
    await userEvent.click(await within(panel).findByRole('button', { name: 'Provision' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Provision prod?' });
    expect(dialog.textContent).toMatch(/Are you sure\?/);
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'No' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'No' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(posts(calls, 'provision')).toHaveLength(0);

    await userEvent.click(within(panel).getByRole('button', { name: 'Provision' }));
    dialog = screen.getByRole('alertdialog', { name: 'Provision prod?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Yes, provision prod' }));
    await screen.findByRole('region', { name: 'Progress of cs-prod-3' });
    expect(posts(calls, 'provision')).toHaveLength(1);
  });

  it('says a provision of an environment that requires approval is held, and follows nothing', async () => {
    const { calls } = openEnvironments('#/environments?env=dev', (b) => b.envs.twoPersons.add('dev'));
    const panel = await screen.findByRole('region', { name: 'Plan' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Plan' }));
    await userEvent.click(await within(panel).findByRole('button', { name: 'Provision' }));
    await waitFor(() => expect(panel.textContent).toMatch(/Held for approval as d-41: dev requires a second person/));
    expect(screen.queryByRole('region', { name: /^Progress of / })).toBeNull();
    expect(posts(calls, 'provision')).toHaveLength(1);
    expect(calls.some((c) => /\/changesets\/cs-dev-3$/.test(c.url.pathname))).toBe(false);
  });

  it('provisions dev at once and follows the journal every second until it succeeds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { calls } = openEnvironments('#/environments?env=dev');
    const panel = await screen.findByRole('region', { name: 'Plan' });
    await user.click(within(panel).getByRole('button', { name: 'Plan' }));
    await user.click(await within(panel).findByRole('button', { name: 'Provision' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    const progress = await screen.findByRole('region', { name: 'Progress of cs-dev-3' });
    const line = () => within(progress).getByRole('status').textContent;
    await waitFor(() => expect(line()).toBe('cs-dev-3 applying: 1 of 2 steps done.'));
    const journal = within(progress).getByRole('table', { name: 'Journal of cs-dev-3' });
    expect(within(journal).getAllByRole('row')).toHaveLength(2); // head + Web
    expect(within(journal).getByRole('row', { name: /Web/ }).textContent).toMatch(/Webcreatedonei-new1/);

    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(line()).toBe('cs-dev-3 applying: 2 of 2 steps done.'));
    expect(within(journal).getByRole('row', { name: /Db/ }).textContent).toMatch(/Dbupdatedonei-db/);

    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await waitFor(() => expect(line()).toBe('cs-dev-3 succeeded: applied 2 changes (2.5 s)'));
    const reads = () => calls.filter((c) => c.url.pathname.endsWith('/changesets/cs-dev-3')).length;
    expect(reads()).toBe(3);
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(reads()).toBe(3);

    await waitFor(() =>
      expect(within(historyTable()).getByRole('row', { name: /cs-dev-3/ }).textContent).toMatch(/succeeded/),
    );
  });

  it('rolls prod back only after ROLLBACK is typed, and sends it as confirm', async () => {
    const { calls } = openEnvironments('#/environments?env=prod');
    const history = await screen.findByRole('region', { name: 'Change sets' });
    await userEvent.click(within(history).getByRole('button', { name: 'Roll back to previous' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Roll back prod to the previous change set?' });
    const input = within(dialog).getByLabelText('Type ROLLBACK to confirm');
    const button = within(dialog).getByRole('button', { name: 'Roll back prod' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await userEvent.type(input, 'rollback{Enter}');
    expect(button.disabled).toBe(true);
    await userEvent.clear(input);
    await userEvent.type(input, 'ROLLBAC');
    expect(button.disabled).toBe(true);
    expect(posts(calls, 'rollback')).toHaveLength(0);
    await userEvent.type(input, 'K');
    expect(button.disabled).toBe(false);
    await userEvent.click(button);
    await screen.findByRole('region', { name: 'Progress of cs-prod-3' });
    expect(posts(calls, 'rollback').map((c) => c.body)).toEqual([{ target: 'previous', confirm: 'ROLLBACK' }]);
  });

  it('rolls dev back to a chosen change set or a time with a plain confirmation', async () => {
    const { calls } = openEnvironments('#/environments?env=dev');
    await userEvent.click(await screen.findByRole('button', { name: 'Roll back to cs-dev-1' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Roll back dev to cs-dev-1?' });
    expect(within(dialog).queryByRole('textbox')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back dev' }));
    await screen.findByRole('region', { name: 'Progress of cs-dev-3' });
    expect(posts(calls, 'rollback').map((c) => c.body)).toEqual([{ target: 'cs-dev-1' }]);

    await screen.findByText(/^cs-dev-3 succeeded/, undefined, { timeout: 5_000 }); // one step, a second
    const time = screen.getByLabelText('Roll back to time (RFC 3339)');
    await userEvent.type(time, 'yesterday{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/RFC 3339/);
    await userEvent.clear(time);
    await userEvent.type(time, '2025-09-14T10:01:30Z');
    await userEvent.click(screen.getByRole('button', { name: 'Roll back to time' }));
    dialog = screen.getByRole('alertdialog', { name: 'Roll back dev to the config live at 2025-09-14T10:01:30Z?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back dev' }));
    await screen.findByRole('region', { name: 'Progress of cs-dev-4' });
    expect(posts(calls, 'rollback').at(-1)?.body).toEqual({ target: '2025-09-14T10:01:30Z' });
  });

  it('pages the change sets with before, and opens one with its plan, journal and config', async () => {
    const { calls } = openEnvironments('#/environments?env=dev', (b) => {
      b.envs.changesets.dev = Array.from({ length: 25 }, (_, i) =>
        changeset('dev', 25 - i, {
          journal: [
            {
              logical_id: 'Web',
              action: 'create',
              status: 'done',
              physical_id: 'i-web',
              error: '',
              at: '2025-09-14T10:00:03Z',
            },
          ],
        }),
      );
    });
    await waitFor(() => expect(within(historyTable()).getAllByRole('row')).toHaveLength(21));
    const lists = () =>
      calls.filter((c) => c.url.pathname === '/api/v1/environments/dev/changesets').map((c) => c.url.search);
    expect(lists()).toEqual(['?limit=20']);
    const row = within(historyTable()).getByRole('row', { name: /cs-dev-25/ });
    expect(row.textContent).toContain('admin@example.com');
    expect(row.textContent).toContain('4.2 s');
    expect(row.textContent).toContain('1 create');

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(historyTable()).getAllByRole('row')).toHaveLength(26));
    expect(lists()).toEqual(['?limit=20', '?limit=20&before=6']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Details of cs-dev-2' }));
    const details = await screen.findByRole('region', { name: 'Details of cs-dev-2' });
    await within(details).findByRole('table', { name: 'Plan of cs-dev-2' });
    expect(within(details).getByRole('table', { name: 'Journal of cs-dev-2' }).textContent).toContain('i-web');
    expect(within(details).getByLabelText('Config of cs-dev-2').textContent).toBe('{"environment": "dev", "n": 2}');
  });

  it('shows the status badge, every category and the drift', async () => {
    openEnvironments('#/environments?env=dev', (b) => {
      b.envs.statuses.dev = {
        environment: 'dev',
        status: 'WARNING',
        drift: 2,
        checks: [
          {
            category: 'infrastructure',
            status: 'WARNING',
            summary: '2 resources drifted',
            details: ['i-db: modified'],
          },
          { category: 'application', status: 'HEALTHY', summary: '2 of 2 running', details: [] },
          { category: 'monitoring', status: 'HEALTHY', summary: 'alarms ok', details: [] },
          { category: 'security', status: 'UNHEALTHY', summary: 'port 22 open', details: ['sg-1 allows 0.0.0.0/0:22'] },
        ],
      };
      b.envs.drifts.dev = {
        environment: 'dev',
        drifted: 2,
        items: [
          {
            logical_id: 'Db',
            type: 'AWS::EC2::Instance',
            physical_id: 'i-db',
            kind: 'modified',
            properties: [{ property: 'InstanceType', expected: 't3.micro', actual: 't3.large' }],
          },
          { logical_id: 'Cache', type: 'AWS::EC2::Instance', physical_id: 'i-cache', kind: 'deleted', properties: [] },
        ],
      };
    });
    const status = await screen.findByRole('region', { name: 'Status' });
    const badge = await within(status).findByText('WARNING', { selector: '.overall .status-badge' });
    expect(badge.className).toContain('status-warning');
    const checks = within(status).getByRole('table', { name: 'Status checks of dev' });
    expect(within(checks).getAllByRole('row')).toHaveLength(5);
    const security = within(checks).getByRole('row', { name: /security/ });
    expect(within(security).getByText('UNHEALTHY').className).toContain('status-unhealthy');
    expect(security.textContent).toContain('sg-1 allows 0.0.0.0/0:22');
    const drift = await within(status).findByRole('table', { name: 'Drift of dev' });
    expect(status.textContent).toContain('2 resources have drifted');
    expect(within(drift).getByRole('row', { name: /Db/ }).textContent).toContain('InstanceType: t3.micro → t3.large');
    expect(within(drift).getByRole('row', { name: /Cache/ }).textContent).toContain('deleted');
  });

  it('unlocks for admins after the name is typed', async () => {
    const { calls } = openEnvironments('#/environments?env=dev', (b) => {
      b.envs.locks.dev = {
        locked: true,
        owner: 'bob@example.com (cs-dev-7)',
        acquired_at: '2025-09-14T10:00:00Z',
        age_seconds: 754,
      };
    });
    const banner = await screen.findByRole('status', { name: 'dev is locked' });
    expect(banner.textContent).toContain('bob@example.com (cs-dev-7)');
    expect(banner.textContent).toContain('12 min');
    await userEvent.click(within(banner).getByRole('button', { name: 'Unlock' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Unlock dev?' });
    const button = within(dialog).getByRole('button', { name: 'Unlock dev' }) as HTMLButtonElement;
    await userEvent.type(within(dialog).getByLabelText('Type dev to confirm'), 'de{Enter}');
    expect(button.disabled).toBe(true);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.type(within(dialog).getByLabelText('Type dev to confirm'), 'v');
    await userEvent.click(button);
    await screen.findByText('Unlocked dev (the lock of bob@example.com (cs-dev-7)).');
    expect(screen.queryByRole('status', { name: 'dev is locked' })).toBeNull();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).toEqual([
      '/api/v1/environments/dev/lock',
    ]);
  });

  it('shows the lock but no Unlock, Provision or Roll back to a viewer', async () => {
    openEnvironments('#/environments?env=dev', (b) => {
      b.user = { ...b.user, admin: false, roles: { dev: 'viewer', '*': 'viewer' } };
      b.envs.locks.dev = { locked: true, owner: 'bob@example.com', age_seconds: 5 };
    });
    const banner = await screen.findByRole('status', { name: 'dev is locked' });
    expect(within(banner).queryByRole('button')).toBeNull();
    const panel = screen.getByRole('region', { name: 'Plan' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Plan' }));
    await within(panel).findByRole('table', { name: 'Plan for dev' });
    expect(within(panel).queryByRole('button', { name: 'Provision' })).toBeNull();
    expect(within(panel).getByText('Provisioning needs the deployer role in dev.')).toBeTruthy();
    await waitFor(() => expect(within(historyTable()).getAllByRole('row')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: /^Roll back/ })).toBeNull();
  });

  it('takes the environment from the URL and follows the header selector', async () => {
    openEnvironments('#/environments?env=prod');
    await screen.findByRole('heading', { name: 'Environment prod' });
    const select = screen.getByLabelText('Environment') as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('prod'));
    await userEvent.selectOptions(select, 'dev');
    await screen.findByRole('heading', { name: 'Environment dev' });
    expect(window.location.hash).toBe('#/environments?env=dev');
    expect(region('Config').textContent).toContain('applied by cs-dev-2');
  });
});

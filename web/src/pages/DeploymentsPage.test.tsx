import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { type Backend } from '../test/backend';
import { withDeployments, type DeploymentsBackend } from '../test/deployments';
import { type Recorded } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

function openDeployments(hash = '#/deployments', setup: (b: Backend, d: DeploymentsBackend) => void = () => {}) {
  let deployments: DeploymentsBackend | null = null;
  const opened = openApp(hash, {
    setup: (b) => {
      deployments = withDeployments(b);
      setup(b, deployments);
    },
  });
  return { ...opened, deployments: deployments! };
}

const asUser = (roles: User['roles']) => (b: Backend) => {
  b.user = { ...b.user, admin: false, roles };
};

const table = () => screen.getByRole('table', { name: 'Releases, newest first' });
const rowOf = (id: string) => within(table()).getByRole('rowheader', { name: id }).closest('tr')!;
/** Per environment column: "d-7 succeeded", or "—". */
const pipeline = (id: string) =>
  within(rowOf(id))
    .getAllByRole('cell')
    .slice(4, 7)
    .map((c) => c.textContent);
const details = (id: string) => screen.findByRole('region', { name: `Deployment ${id}` });
const posts = (calls: Recorded[]) =>
  calls.filter((c) => c.method === 'POST').map((c) => [c.url.pathname.replace('/api/v1/', ''), c.body]);

describe('Deployments page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows every release, newest first, with its deployment in each environment of the pipeline', async () => {
    openDeployments();
    await screen.findByRole('table', { name: 'Releases, newest first' });
    expect(
      within(table())
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(['r-3', 'r-2', 'r-1']);
    const heads = within(table())
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(heads).toEqual([
      'Release',
      'Group',
      'Image / commit',
      'Author',
      'Created',
      'dev',
      'staging',
      'prod',
      'Actions',
    ]);
    expect(pipeline('r-3')).toEqual(['d-7 succeeded', 'd-8 succeeded', 'd-9 awaiting approval']);
    expect(pipeline('r-2')).toEqual(['d-4 succeeded', 'd-5 succeeded', 'd-6 rolled back']);
    // d-1 failed in dev and d-2 went out again: the latest is shown.
    expect(pipeline('r-1')).toEqual(['d-2 succeeded', '—', '—']);
    const tones = within(table())
      .getAllByTestId('deployment-state')
      .map((b) => b.className.replace('status-badge deploy-', ''));
    expect(tones).toEqual(['ok', 'ok', 'waiting', 'ok', 'ok', 'bad', 'ok']);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Deployments' }).getAttribute('aria-current')).toBe('page');
  });

  it('opens a rolled-back deployment: the reason as an alert, the trigger, the figures, the events', async () => {
    openDeployments();
    await screen.findByRole('table', { name: 'Releases, newest first' });
    await userEvent.click(screen.getByRole('button', { name: 'd-6: r-2 in prod' }));
    expect(window.location.hash).toBe('#/deployments?deployment=d-6');
    const d = within(await details('d-6'));
    expect(d.getByRole('alert').textContent).toBe(
      'Rolled back: rollback trigger latency: Latency average 480 ms > 2 × baseline 120 ms for 3 of 3 periods',
    );
    expect(d.getByRole('heading', { name: 'Rollback trigger: latency' })).toBeTruthy();
    expect(d.getByText(/^Values /).textContent).toBe('Values 470, 480, 490; threshold 240');
    const figures = d.getByRole('table', { name: 'Performance of web: before and after' });
    expect(
      within(figures)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['Latency (average)120 ms480 ms', 'Requests per minute600590', 'Server errors0.5 %—']);
    const fact = (term: string) => d.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(fact('Approvals')).toBe('1 of 1 requiredbob@example.com, 2026-11-28 11:00:00 UTC: “ok”');
    expect(fact('Window')).toBe('sun 02:00–06:00 America/Los_Angeles');
    expect(fact('Blue (before)')).toBe('i-0aa1');
    expect(d.getByRole('link', { name: 'cs-prod-6' }).getAttribute('href')).toBe('#/environments?env=prod');
    const events = within(d.getByRole('list', { name: 'Events of d-6' })).getAllByRole('listitem');
    expect(events.map((e) => e.textContent?.replace(/^.*UTC /, ''))).toEqual([
      'launching launching 1 green instance',
      'rolling back latency trigger fired',
      'rolled back traffic back on blue',
    ]);
    // Ended: nothing to approve or abort.
    expect(d.queryByRole('button', { name: /^(Approve|Reject|Abort)$/ })).toBeNull();

    await userEvent.click(d.getByRole('button', { name: 'Close deployment' }));
    expect(window.location.hash).toBe('#/deployments');
    expect(screen.queryByRole('region', { name: 'Deployment d-6' })).toBeNull();
  });

  it('lists the infrastructure changes held for approval and approves one with its plan in view', async () => {
    const { calls } = openDeployments();
    const changes = await screen.findByRole('table', { name: 'Infrastructure changes, newest first' });
    const row = within(changes).getByRole('rowheader', { name: 'd-10' }).closest('tr')!;
    expect(row.textContent).toMatch(/prod.*provision.*alice@example\.com.*0 of 1 required.*awaiting approval/);
    await userEvent.click(within(changes).getByRole('button', { name: 'd-10: provision of prod' }));
    const details = await screen.findByRole('region', { name: 'Deployment d-10' });
    const d = within(details);
    expect(d.getByLabelText('Plan of d-10').textContent).toMatch(/\+ create InstanceWeb2/);
    expect(details.textContent).toMatch(/approval\.required true → false: approved under the rules in force/);
    expect(details.textContent).toMatch(/shown to deployers and admins of this environment only/);
    expect(details.textContent).not.toMatch(/Blue \(before\)/);
    await userEvent.click(d.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(d.queryByRole('button', { name: 'Approve' })).toBeNull());
    expect(posts(calls)).toEqual([['deployments/d-10/approve', { comment: '' }]]);
  });

  it('says a release carries user data without showing it to a viewer', async () => {
    openDeployments('#/deployments', (b, d) => {
      asUser({ dev: 'viewer' })(b);
      d.releases[0] = { ...d.releases[0]!, user_data_hidden: true };
    });
    await screen.findByRole('table', { name: 'Releases, newest first' });
    expect(rowOf('r-3').textContent).toMatch(/new user data \(shown to deployers\)/);
  });

  it('lets an approver approve with a comment', async () => {
    const { calls } = openDeployments('#/deployments?deployment=d-9');
    const d = within(await details('d-9'));
    expect(d.getByText('Approvals', { selector: 'dt' }).nextElementSibling?.textContent).toBe('0 of 1 required');
    await userEvent.type(d.getByLabelText('Comment (required to reject)'), 'looks good in staging');
    await userEvent.click(d.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(d.queryByRole('button', { name: 'Approve' })).toBeNull());
    expect(posts(calls)).toEqual([['deployments/d-9/approve', { comment: 'looks good in staging' }]]);
    expect(within(d.getByRole('list', { name: 'Approvals of d-9' })).getByRole('listitem').textContent).toMatch(
      /^admin@example\.com, .*: “looks good in staging”$/,
    );
    expect(d.getByTestId('deployment-state').className).toBe('status-badge deploy-moving');
  });

  it('hides Approve and Reject from a deployer, who may abort', async () => {
    openDeployments('#/deployments?deployment=d-9', asUser({ '*': 'deployer' }));
    const d = within(await details('d-9'));
    expect(d.getByText('Approving needs the approver role in prod.')).toBeTruthy();
    expect(d.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(d.queryByRole('button', { name: 'Reject' })).toBeNull();
    expect(d.getByRole('button', { name: 'Abort' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'New release' })).toBeTruthy();
  });

  it('shows Approve and Reject to an approver of the environment, who may not abort or deploy', async () => {
    openDeployments('#/deployments?deployment=d-9', asUser({ prod: 'approver', '*': 'viewer' }));
    const d = within(await details('d-9'));
    expect(d.getByRole('button', { name: 'Approve' })).toBeTruthy();
    expect(d.getByRole('button', { name: 'Reject' })).toBeTruthy();
    expect(d.queryByRole('button', { name: 'Abort' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'New release' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Deploy r-/ })).toBeNull();
  });

  it('refuses a rejection without a comment in the form, then rejects with one', async () => {
    const { calls } = openDeployments('#/deployments?deployment=d-9');
    const d = within(await details('d-9'));
    await userEvent.click(d.getByRole('button', { name: 'Reject' }));
    expect(d.getByRole('alert').textContent).toBe('A rejection needs a comment: say why it may not go out.');
    const comment = d.getByLabelText('Comment (required to reject)');
    expect(document.activeElement).toBe(comment);
    expect(comment.getAttribute('aria-invalid')).toBe('true');
    expect(posts(calls)).toEqual([]);

    await userEvent.type(comment, 'not during the sale');
    await userEvent.click(d.getByRole('button', { name: 'Reject' }));
    await waitFor(() =>
      expect(d.getByRole('alert').textContent).toBe('Rejected: rejected by admin@example.com: not during the sale'),
    );
    expect(posts(calls)).toEqual([['deployments/d-9/reject', { comment: 'not during the sale' }]]);
    expect(d.getByText('Rejected by', { selector: 'dt' }).nextElementSibling?.textContent).toBe('admin@example.com');
    await waitFor(() => expect(pipeline('r-3')[2]).toBe('d-9 rejected'));
  });

  it('aborts a deployment after asking', async () => {
    const { calls } = openDeployments('#/deployments?deployment=d-9');
    const d = within(await details('d-9'));
    await userEvent.click(d.getByRole('button', { name: 'Abort' }));
    const sure = d.getByRole('alertdialog', { name: 'Abort d-9?' });
    expect(document.activeElement?.textContent).toBe('No, let it run');
    await userEvent.click(within(sure).getByRole('button', { name: 'Abort d-9' }));
    await waitFor(() => expect(d.getByRole('alert').textContent).toBe('Aborted: aborted by admin@example.com'));
    expect(posts(calls)).toEqual([['deployments/d-9/abort', {}]]);
    expect(d.queryByRole('button', { name: 'Abort' })).toBeNull();
  });

  it('makes a release and deploys it as an emergency', async () => {
    const { calls } = openDeployments();
    const form = within(await screen.findByRole('region', { name: 'New release' }));
    await userEvent.type(form.getByLabelText('Group'), 'web');
    await userEvent.click(form.getByRole('button', { name: 'Create release' }));
    expect(form.getByRole('alert').textContent).toBe('A release needs a new image, new user data or both.');
    await userEvent.type(form.getByLabelText('Image'), 'ami-0new');
    await userEvent.type(form.getByLabelText('Commit (optional)'), 'abc123');
    await userEvent.click(form.getByRole('button', { name: 'Create release' }));
    expect((await screen.findByRole('status')).textContent).toBe('Release r-4 created for web in dev.');
    await waitFor(() => expect(pipeline('r-4')).toEqual(['—', '—', '—']));

    await userEvent.click(screen.getByRole('button', { name: 'Deploy r-4' }));
    const deploy = within(screen.getByRole('region', { name: 'Deploy r-4' }));
    expect((deploy.getByLabelText('To environment') as HTMLSelectElement).value).toBe('dev');
    expect(deploy.queryByLabelText('Emergency reason')).toBeNull();
    await userEvent.selectOptions(deploy.getByLabelText('To environment'), 'prod');
    await userEvent.selectOptions(deploy.getByLabelText('Emergency'), 'security-patch');
    await userEvent.type(deploy.getByLabelText('Emergency reason'), 'CVE-2026-1234');
    await userEvent.click(deploy.getByRole('button', { name: 'Deploy r-4 to prod' }));

    const d = within(await details('d-10'));
    expect(window.location.hash).toBe('#/deployments?deployment=d-10');
    expect(d.getByText('Emergency', { selector: 'dt' }).nextElementSibling?.textContent).toBe(
      'security-patch CVE-2026-1234',
    );
    expect(screen.queryByRole('region', { name: 'Deploy r-4' })).toBeNull();
    expect(posts(calls)).toEqual([
      ['releases', { group: 'web', env: 'dev', image: 'ami-0new', commit: 'abc123' }],
      [
        'deployments',
        { env: 'prod', group: 'web', release: 'r-4', emergency: 'security-patch', emergency_reason: 'CVE-2026-1234' },
      ],
    ]);
    await waitFor(() => expect(pipeline('r-4')).toEqual(['—', '—', 'd-10 awaiting approval']));
  });

  it('reads again every 2 s while a deployment moves, every 30 s once all have ended', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = openDeployments('#/deployments?deployment=d-9', (_, dep) => {
      dep.deployments[0]!.state = 'retiring';
      dep.changes[0]!.state = 'rejected'; // a change awaiting approval would keep the fast pace
    });
    const d = within(await details('d-9'));
    expect(d.getByTestId('deployment-state').textContent).toBe('retiring');
    const reads = () => calls.filter((c) => c.url.pathname === '/api/v1/deployments/d-9').length;
    const before = reads();
    await act(() => vi.advanceTimersByTimeAsync(2_100));
    await waitFor(() => expect(d.getByTestId('deployment-state').textContent).toBe('succeeded'));
    expect(reads()).toBe(before + 1);

    // Everything shown has ended: the next read waits 30 s.
    const settled = reads();
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    expect(reads()).toBe(settled);
    await act(() => vi.advanceTimersByTimeAsync(10_500));
    expect(reads()).toBe(settled + 1);
  });
});

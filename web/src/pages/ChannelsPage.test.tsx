import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Backend } from '../test/backend';
import { apiError } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openChannels = (setup: (b: Backend) => void = () => {}) => openApp('#/channels', { setup });

const channelsTable = () => screen.getByRole('table', { name: 'Channels' });
const channelNames = () =>
  within(channelsTable())
    .getAllByRole('rowheader')
    .map((h) => h.textContent);
const deliveries = () => screen.getByRole('table', { name: 'Notifications, newest first' });

describe('Channels page', () => {
  it('lists channels and recent notifications with their delivery state', async () => {
    openChannels();
    await screen.findByRole('table', { name: 'Channels' });
    await waitFor(() => expect(channelNames()).toEqual(['ops-slack']));
    const row = within(channelsTable()).getByRole('row', { name: /ops-slack/ });
    expect(row.textContent).toMatch(/slackhttps:\/\/hooks\.slack\.com\/\*\*\*\*alarm, incident/);
    await waitFor(() => expect(within(deliveries()).getAllByTestId('delivery-state')).toHaveLength(2));
    const states = within(deliveries())
      .getAllByTestId('delivery-state')
      .map((c) => c.firstElementChild?.textContent);
    expect(states).toEqual(['failed', 'delivered']);
    expect(within(deliveries()).getAllByRole('row')[1]?.textContent).toMatch(
      /POST https:\/\/hooks.slack.com\/\*\*\*\*: 500/,
    );
  });

  it("adds a webhook channel with only that type's fields and a filter", async () => {
    const { calls } = openChannels();
    const form = await screen.findByRole('region', { name: 'Add a channel' });
    const f = within(form);
    await userEvent.type(f.getByLabelText('Name'), 'ops-hook');
    await userEvent.selectOptions(f.getByLabelText('Type'), 'webhook');
    await userEvent.type(f.getByLabelText('URL'), 'https://hooks.example.com/ec2m');
    await userEvent.type(f.getByLabelText(/^Secret/), 'short');
    await userEvent.click(
      within(f.getByRole('group', { name: 'Only these environments (none: all)' })).getByLabelText('prod'),
    );
    await userEvent.click(
      within(f.getByRole('group', { name: 'Only these kinds (none: all)' })).getByLabelText('incident'),
    );
    await userEvent.selectOptions(f.getByLabelText('Minimum severity'), 'warning');
    await userEvent.click(f.getByRole('button', { name: 'Add channel' }));
    expect((await f.findByRole('alert')).textContent).toBe(
      'request body: $.secret: expected at least 16 characters, got 5 (request req-1)',
    );

    await userEvent.type(f.getByLabelText(/^Secret/), '-0123456789abcdef');
    await userEvent.click(f.getByRole('button', { name: 'Add channel' }));
    await waitFor(() => expect(channelNames()).toEqual(['ops-slack', 'ops-hook']));
    expect(within(channelsTable()).getByRole('row', { name: /ops-hook/ }).textContent).toMatch(
      /incident; in prod; warning and above/,
    );
    const created = calls.filter((c) => c.method === 'POST' && c.url.pathname === '/api/v1/channels');
    expect(created.at(-1)?.body).toEqual({
      name: 'ops-hook',
      type: 'webhook',
      url: 'https://hooks.example.com/ec2m',
      secret: 'short-0123456789abcdef',
      filter: { environments: ['prod'], kinds: ['incident'], min_severity: 'warning' },
    });
    expect((f.getByLabelText('Name') as HTMLInputElement).value).toBe('');
  });

  it('sends a test and lists its delivery', async () => {
    const { calls } = openChannels();
    await userEvent.click(await screen.findByRole('button', { name: 'Send a test to ops-slack' }));
    expect((await screen.findByText(/^Test notification/)).textContent).toBe(
      'Test notification n-test-1 queued for ops-slack: its delivery is listed below.',
    );
    await waitFor(() => expect(within(deliveries()).getAllByTestId('delivery-state')).toHaveLength(3));
    expect(within(deliveries()).getAllByRole('row')[1]?.textContent).toMatch(/ops-slacktest—info.*pending/);
    expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/api/v1/channels/ops-slack/test')).toBe(true);
  });

  it('removes a channel only after asking, and shows a refusal', async () => {
    let refuse = false;
    const { calls } = openChannels((b) => {
      const h = b.handle;
      b.handle = (req) =>
        req.method === 'DELETE' && refuse ? apiError(503, 'unavailable', 'the store is read-only') : h(req);
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove ops-slack' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Remove channel ops-slack?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    refuse = true;
    await userEvent.click(screen.getByRole('button', { name: 'Remove ops-slack' }));
    dialog = screen.getByRole('alertdialog', { name: 'Remove channel ops-slack?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove ops-slack' }));
    expect((await screen.findByRole('alert')).textContent).toBe('the store is read-only (request req-1)');
    expect(channelNames()).toEqual(['ops-slack']);

    refuse = false;
    await userEvent.click(screen.getByRole('button', { name: 'Remove ops-slack' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove ops-slack' }));
    await waitFor(() => expect(within(channelsTable()).queryAllByRole('rowheader')).toHaveLength(0));
    expect(screen.getByText(/^No channels/)).toBeTruthy();
  });

  it('is for global admins only', async () => {
    openChannels((b) => {
      b.user = { ...b.user, admin: false, roles: { '*': 'deployer' } };
    });
    expect((await screen.findByRole('alert')).textContent).toBe('Only global admins manage notification channels.');
  });
});

import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backend } from '../test/backend';
import { apiError, type Recorded } from '../test/fakeFetch';
import { openApp } from '../test/openApp';

const openDashboards = (hash = '#/dashboards', setup: (b: Backend) => void = () => {}, env = 'dev') =>
  openApp(hash, { setup, env });

const reads = (calls: Recorded[]) =>
  calls.filter((c) => c.url.pathname.startsWith('/api/v1/dashboards/')).map((c) => c.url.pathname + c.url.search);
const panel = (title: string) => screen.getByRole('region', { name: title });

describe('Dashboards page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws every panel by its kind on the Operations tab', async () => {
    const { calls } = openDashboards();
    await screen.findByRole('tab', { name: 'Executive', selected: true });
    await userEvent.click(screen.getByRole('tab', { name: 'Operations' }));
    expect(window.location.hash).toBe('#/dashboards?name=operations');
    expect(screen.getByRole('tab', { name: 'Operations' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('dashboard-tab-operations');

    const chart = await screen.findByRole('img', { name: 'Latency: p50, p99' });
    expect(reads(calls)).toEqual([
      '/api/v1/dashboards/executive?env=dev&hours=24',
      '/api/v1/dashboards/operations?env=dev&hours=24',
    ]);
    // Two series of [v, null, v]: each a dot, a gap, a dot; the y axis spans 10 ms to 300 ms.
    const paths = [...chart.querySelectorAll('path')].map((p) => p.getAttribute('d'));
    expect(paths).toEqual(['M64 154h0M468 149.1h0', 'M64 61h0M468 12h0']);
    const texts = [...chart.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(['300 ms', '10 ms', '10:00', '10:10']);
    const legend = within(panel('Latency')).getByRole('list', { name: 'Legend of Latency' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['p50 20 ms', 'p99 300 ms']);

    expect(within(panel('Open incidents')).getByText('2').className).toBe('stat');
    expect(within(panel('Availability')).getByText('99.95 %')).toBeTruthy();
    expect(within(panel('Cost')).getByText('no data').className).toBe('stat muted');
    const alarms = within(panel('Alarms')).getByRole('listitem');
    expect(alarms.textContent).toMatch(/^ALARM High Error Rate critical since 2026-11-28 09:50$/);
    const table = within(panel('Feature use')).getByRole('table', { name: 'Feature use' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['NameValue', 'instances12']);
  });

  it('sets the range, and moves between tabs with the arrow keys', async () => {
    const { calls } = openDashboards('#/dashboards?name=business');
    await screen.findByRole('img', { name: /^Latency/ });
    await userEvent.selectOptions(screen.getByLabelText('Range'), '7 d');
    await waitFor(() => expect(reads(calls).at(-1)).toBe('/api/v1/dashboards/business?env=dev&hours=168'));
    expect(window.location.hash).toBe('#/dashboards?name=business&hours=168');

    screen.getByRole('tab', { name: 'Business' }).focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(window.location.hash).toBe('#/dashboards?name=executive&hours=168');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Executive' }));
    await userEvent.keyboard('{ArrowLeft}');
    expect(window.location.hash).toBe('#/dashboards?name=business&hours=168');
  });

  it('reads the dashboard again every 60 s while the page is open', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = openDashboards('#/dashboards?name=operations');
    await screen.findByRole('img', { name: /^Latency/ });
    expect(reads(calls)).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(59_000));
    expect(reads(calls)).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1_500));
    expect(reads(calls)).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(reads(calls)).toHaveLength(3);

    act(() => {
      window.location.hash = '#/alarms';
    });
    await screen.findByRole('heading', { name: 'Alarms' });
    await act(() => vi.advanceTimersByTimeAsync(120_000));
    expect(reads(calls)).toHaveLength(3);
  });

  it('shows why a dashboard could not be read, keeping the last one shown', async () => {
    const { backend } = openDashboards('#/dashboards?name=operations');
    await screen.findByRole('img', { name: /^Latency/ });
    backend.monitoring.dashboardAnswer = apiError(503, 'unavailable', 'monitoring is not running on this server');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'monitoring is not running on this server (request req-1)',
    );
    expect(screen.getByRole('img', { name: /^Latency/ })).toBeTruthy();
  });

  it('asks for an environment when none is chosen', async () => {
    const { calls } = openDashboards('#/dashboards', () => {}, '');
    await userEvent.click(await screen.findByRole('button', { name: 'prod' }));
    await screen.findByRole('img', { name: /^Latency/ });
    expect(reads(calls)).toEqual(['/api/v1/dashboards/executive?env=prod&hours=24']);
    expect((screen.getByLabelText('Environment') as HTMLSelectElement).value).toBe('prod');
  });
});

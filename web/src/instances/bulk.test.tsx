import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { instance } from '../test/instances';
import { BulkResults } from './BulkResults';
import { groupByEnv, runBulk, summarize, type BulkOutcome } from './bulk';

describe('runBulk', () => {
  it('sends one request per environment and merges the per-instance results', async () => {
    const bulkAction = vi.fn(async (_env: string, _action: string, ids: string[]) =>
      ids.map((id) =>
        id === 'i-3'
          ? { id, ok: false, error: { code: 'failed_precondition', message: 'termination protection is on' } }
          : { id, ok: true, state: 'stopping' as const },
      ),
    );
    const rows = [instance('i-1'), instance('i-2', { env: 'prod' }), instance('i-3')];
    const outcome = await runBulk({ bulkAction }, 'stop', rows);
    expect(bulkAction).toHaveBeenCalledTimes(2);
    expect(bulkAction).toHaveBeenCalledWith('dev', 'stop', ['i-1', 'i-3']);
    expect(bulkAction).toHaveBeenCalledWith('prod', 'stop', ['i-2']);
    expect(outcome.results.map((r) => [r.env, r.id, r.ok])).toEqual([
      ['dev', 'i-1', true],
      ['dev', 'i-3', false],
      ['prod', 'i-2', true],
    ]);
    expect(summarize(outcome)).toBe('Stop: 2 succeeded, 1 failed');
  });

  it('reports a request that failed whole as a failure of each of its instances', async () => {
    const bulkAction = vi.fn(async (env: string) => {
      if (env === 'prod') {
        throw new ApiError(403, 'permission_denied', 'deployer role needed in prod');
      }
      return [{ id: 'i-1', ok: true, state: 'shutting-down' as const }];
    });
    const outcome = await runBulk({ bulkAction }, 'terminate', [
      instance('i-1'),
      instance('i-2', { env: 'prod' }),
      instance('i-3', { env: 'prod' }),
    ]);
    expect(outcome.results.filter((r) => !r.ok)).toEqual([
      {
        env: 'prod',
        id: 'i-2',
        ok: false,
        error: { code: 'permission_denied', message: 'deployer role needed in prod' },
      },
      {
        env: 'prod',
        id: 'i-3',
        ok: false,
        error: { code: 'permission_denied', message: 'deployer role needed in prod' },
      },
    ]);
  });

  it('lets a lost session through (the app goes to sign-in)', async () => {
    const bulkAction = vi.fn(async () => {
      throw new ApiError(401, 'unauthenticated', 'expired');
    });
    await expect(runBulk({ bulkAction }, 'stop', [instance('i-1')])).rejects.toMatchObject({ status: 401 });
  });

  it('groups by environment in first-seen order', () => {
    expect([...groupByEnv([instance('a', { env: 'prod' }), instance('b'), instance('c', { env: 'prod' })])]).toEqual([
      ['prod', ['a', 'c']],
      ['dev', ['b']],
    ]);
  });
});

describe('BulkResults', () => {
  const outcome: BulkOutcome = {
    action: 'terminate',
    results: [
      { env: 'dev', id: 'i-1', ok: true, state: 'shutting-down' },
      {
        env: 'prod',
        id: 'i-2',
        ok: false,
        error: { code: 'failed_precondition', message: 'termination protection is on' },
      },
    ],
  };

  it('shows a summary and one line per instance', () => {
    render(<BulkResults outcome={outcome} onDismiss={() => {}} />);
    const region = screen.getByRole('region', { name: 'Action results' });
    expect(within(region).getByRole('heading').textContent).toBe('Terminate: 1 succeeded, 1 failed');
    const rows = within(region).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'i-1devOK, now shutting-down',
      'i-2prodFailed: termination protection is on (failed_precondition)',
    ]);
  });

  it('says all succeeded when none failed, and can be dismissed', async () => {
    const onDismiss = vi.fn();
    render(
      <BulkResults
        outcome={{ action: 'start', results: [{ env: 'dev', id: 'i-1', ok: true }] }}
        onDismiss={onDismiss}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('Start: 1 succeeded');
    expect(screen.getByRole('cell', { name: 'OK' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onDismiss).toHaveBeenCalled();
  });
});

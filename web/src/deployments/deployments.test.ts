import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_STATES } from '../api/types';
import { FAST_POLL_MS, SLOW_POLL_MS, isFinal, pollInterval, reasonTitle, stateText, toneOf } from './deployments';

describe('deployment states', () => {
  it('colours each state: green, red, amber while waiting for people or a window, blue while moving', () => {
    const byTone: Record<string, string[]> = {};
    for (const s of DEPLOYMENT_STATES) {
      (byTone[toneOf(s)] ??= []).push(s);
    }
    expect(byTone).toEqual({
      ok: ['succeeded'],
      bad: ['rolled_back', 'failed', 'rejected', 'aborted'],
      waiting: ['awaiting_approval', 'awaiting_window'],
      moving: [
        'queued',
        'launching',
        'health_check',
        'stabilizing',
        'switching',
        'watching',
        'retiring',
        'applying',
        'rolling_back',
      ],
    });
    expect(DEPLOYMENT_STATES.filter(isFinal)).toEqual(['succeeded', 'rolled_back', 'failed', 'rejected', 'aborted']);
    expect(stateText('awaiting_approval')).toBe('awaiting approval');
    expect(reasonTitle('rolled_back')).toBe('Rolled back');
    expect(reasonTitle('succeeded')).toBe('Reason');
  });

  it('reads again every 2 s while anything shown has not ended, else every 30 s', () => {
    expect(pollInterval(['succeeded', 'awaiting_window'])).toBe(FAST_POLL_MS);
    expect(pollInterval(['rolled_back', 'watching'])).toBe(2000);
    expect(pollInterval(['succeeded', 'failed', 'rejected', 'aborted', 'rolled_back'])).toBe(SLOW_POLL_MS);
    expect(pollInterval([])).toBe(30000);
  });
});

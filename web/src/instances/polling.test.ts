import { describe, expect, it } from 'vitest';
import { instance } from '../test/instances';
import { FAST_POLL_MS, SLOW_POLL_MS, pollInterval } from './polling';

describe('polling interval', () => {
  it('is fast while an instance is pending, stopping or shutting down', () => {
    for (const s of ['pending', 'stopping', 'shutting-down'] as const) {
      expect(pollInterval([instance('i-1', { state: 'running' }), instance('i-2', { state: s })])).toBe(FAST_POLL_MS);
    }
    expect(FAST_POLL_MS).toBe(3000);
  });

  it('is slow when everything is settled (or nothing is listed)', () => {
    expect(pollInterval([instance('i-1', { state: 'running' }), instance('i-2', { state: 'stopped' })])).toBe(
      SLOW_POLL_MS,
    );
    expect(pollInterval([])).toBe(15000);
  });
});

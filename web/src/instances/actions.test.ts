import { describe, expect, it } from 'vitest';
import { actionAllowed } from './actions';

describe('per-row actions', () => {
  it('follow the EC2 state', () => {
    expect(actionAllowed('start', 'stopped')).toBe(true);
    expect(actionAllowed('start', 'running')).toBe(false);
    expect(actionAllowed('stop', 'running')).toBe(true);
    expect(actionAllowed('stop', 'stopped')).toBe(false);
    expect(actionAllowed('reboot', 'stopped')).toBe(false);
    expect(actionAllowed('terminate', 'stopped')).toBe(true);
    expect(actionAllowed('terminate', 'terminated')).toBe(false);
    expect(actionAllowed('terminate', 'shutting-down')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { incident } from '../test/incidents';
import {
  commanderText,
  incidentParamsFrom,
  incidentParamsTo,
  minutesText,
  nextStatuses,
  responseDue,
} from './incidents';

describe('incidents', () => {
  it('moves forward only, and resolves through its own action', () => {
    expect(nextStatuses('investigating')).toEqual(['identified', 'monitoring']);
    expect(nextStatuses('identified')).toEqual(['monitoring']);
    expect(nextStatuses('monitoring')).toEqual([]);
    expect(nextStatuses('resolved')).toEqual([]);
  });

  it('is due within its response time until acknowledged', () => {
    const i = incident('2026-1128-001', { severity: 'P1', opened_at: '2026-11-28T09:00:00.000Z' });
    expect(responseDue(i, new Date('2026-11-28T09:10:00Z'))).toEqual({
      kind: 'due',
      at: new Date('2026-11-28T09:15:00Z'),
      overdue: false,
    });
    expect(responseDue(i, new Date('2026-11-28T09:20:00Z'))).toMatchObject({ kind: 'due', overdue: true });
    const acked = { ...i, acknowledged_by: 'a@b', acknowledged_at: '2026-11-28T09:05:00.000Z' };
    expect(responseDue(acked, new Date())).toEqual({ kind: 'acknowledged', at: '2026-11-28T09:05:00.000Z' });
    expect(responseDue({ ...i, status: 'resolved' }, new Date())).toEqual({ kind: 'resolved' });
  });

  it('names the commander as a handle', () => {
    expect(commanderText('alice')).toBe('@alice');
    expect(commanderText('@bob')).toBe('@bob');
    expect(commanderText(null)).toBe('unassigned');
    expect(minutesText(45)).toBe('45 min');
    expect(minutesText(125)).toBe('2 h 5 min');
    expect(minutesText(0)).toBe('less than a minute');
    expect(minutesText(1680)).toBe('1 d 4 h');
    expect(minutesText(60)).toBe('1 h');
    expect(minutesText(10080)).toBe('7 d');
  });

  it('keeps the filters and the open incident in the URL, open ones by default', () => {
    expect(incidentParamsFrom(new URLSearchParams(''))).toEqual({ status: 'open', severity: '', id: '' });
    const f = incidentParamsFrom(new URLSearchParams('status=all&severity=P1&id=2026-1128-001'));
    expect(f).toEqual({ status: 'all', severity: 'P1', id: '2026-1128-001' });
    expect(incidentParamsTo(f).toString()).toBe('status=all&severity=P1&id=2026-1128-001');
    expect(incidentParamsTo({ status: 'open', severity: '', id: '' }).toString()).toBe('');
    expect(incidentParamsFrom(new URLSearchParams('status=bogus&severity=P9')).severity).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { alarm } from '../test/monitoring';
import {
  alarmFiltersFromParams,
  alarmFiltersToParams,
  conditionText,
  missingDataText,
  periodText,
  ruleText,
  sortAlarms,
} from './alarms';

describe('alarms', () => {
  it('lists ALARM first, critical before warning, then by scope and name', () => {
    const sorted = sortAlarms([
      alarm('Low Activity', { state: 'OK', severity: 'info' }),
      alarm('High Latency', { state: 'ALARM', severity: 'warning' }),
      alarm('Throttling', { state: 'INSUFFICIENT_DATA' }),
      alarm('Critical API Errors', { state: 'ALARM', severity: 'critical', environment: 'prod' }),
      alarm('Critical API Errors', { state: 'ALARM', severity: 'critical', environment: 'dev' }),
    ]);
    expect(sorted.map((a) => `${a.environment}/${a.name}`)).toEqual([
      'dev/Critical API Errors',
      'prod/Critical API Errors',
      'dev/High Latency',
      'dev/Throttling',
      'dev/Low Activity',
    ]);
  });

  it('says the rule in words', () => {
    const a = alarm('High Latency', {
      metric: 'Latency',
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      threshold: 2,
      datapoints_to_alarm: 3,
      evaluation_periods: 3,
      period: 300,
    });
    expect(ruleText(a)).toBe('Latency Average > 2 for 3 of 3 periods of 5 min');
    expect(ruleText({ ...a, dimensions: { Queue: 'jobs' } })).toMatch(/^Latency \(Queue=jobs\) Average/);
    expect(conditionText({ comparison: 'GreaterThanOrEqualToThreshold', threshold: 3 })).toBe('≥ 3');
    expect(conditionText({ comparison: 'LessThanThreshold', threshold: 1 })).toBe('< 1');
    expect(periodText(30)).toBe('30 s');
    expect(periodText(3600)).toBe('1 h');
    expect(periodText(5400)).toBe('1 h 30 min');
    expect(missingDataText('notBreaching')).toMatch(/within the threshold/);
    expect(missingDataText('odd')).toBe('odd');
  });

  it('keeps the filters in the URL', () => {
    const f = alarmFiltersFromParams(new URLSearchParams('state=ALARM&control=1'));
    expect(f).toEqual({ state: 'ALARM', control: true });
    expect(alarmFiltersToParams(f).toString()).toBe('state=ALARM&control=1');
    expect(alarmFiltersFromParams(new URLSearchParams('state=bogus'))).toEqual({ state: '', control: false });
  });
});

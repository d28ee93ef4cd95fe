import { describe, expect, it } from 'vitest';
import { change, plan } from '../test/environments';
import { canProvision, countsText, isRefused, shown, SIGNS, summaryLine } from './plan';

describe('plan helpers', () => {
  it('signs each action as ec2m diff does', () => {
    expect(SIGNS).toEqual({ create: '+', update: '~', replace: '-/+', delete: '-' });
  });

  it('shows values: strings as they are, JSON as JSON, null as not readable', () => {
    expect(shown('t3.micro')).toBe('t3.micro');
    expect(shown(8)).toBe('8');
    expect(shown({ Name: 'web' })).toBe('{"Name":"web"}');
    expect(shown(null)).toBe('(not readable)');
  });

  it('words the summary line, saying when it is refused', () => {
    const ok = plan('dev', [change('Web'), change('Db', { action: 'update' })], 4);
    expect(countsText(ok.summary)).toBe('1 to create, 1 to update, 0 to replace, 0 to delete, 4 unchanged');
    expect(summaryLine(ok)).toBe('Plan for dev: 1 to create, 1 to update, 0 to replace, 0 to delete, 4 unchanged.');
    const refused = plan('prod', [change('Old', { action: 'delete', refused: true, destructive: true })], 0);
    expect(summaryLine(refused)).toBe(
      'Plan for prod: 0 to create, 0 to update, 0 to replace, 1 to delete, 0 unchanged. Refused: it would delete retained resources.',
    );
  });

  it('offers provision only for a plan with changes and nothing refused', () => {
    expect(canProvision(plan('dev', [change('Web')]))).toBe(true);
    expect(canProvision(plan('dev', []))).toBe(false);
    const refused = plan('dev', [change('Web'), change('Old', { action: 'delete', refused: true })]);
    expect(isRefused(refused)).toBe(true);
    expect(canProvision(refused)).toBe(false);
    // A change marked refused counts even when the summary's flag says otherwise.
    expect(canProvision({ ...refused, summary: { ...refused.summary, refused: false } })).toBe(false);
  });
});

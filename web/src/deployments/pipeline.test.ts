import { describe, expect, it } from 'vitest';
import { deployment, release } from '../test/deployments';
import { idNumber, latestIn, newestFirst, nextEnvironment, pipelineColumns, shownStates } from './pipeline';

const r = release('r-5', {
  deployments: [
    { id: 'd-9', environment: 'dev', state: 'failed' },
    { id: 'd-11', environment: 'dev', state: 'succeeded' },
    { id: 'd-12', environment: 'staging', state: 'launching' },
    { id: 'd-13', environment: 'qa', state: 'succeeded' },
  ],
});

describe('the pipeline', () => {
  it('is dev → staging → prod, then any other environment by name', () => {
    expect(pipelineColumns([], [])).toEqual(['dev', 'staging', 'prod']);
    expect(pipelineColumns(['prod', 'sandbox', 'dev'], [r])).toEqual(['dev', 'staging', 'prod', 'qa', 'sandbox']);
  });

  it("shows a release's latest deployment in each environment", () => {
    expect(latestIn(r, 'dev')?.id).toBe('d-11'); // d-11 > d-9, not as text
    expect(latestIn(r, 'prod')).toBeNull();
    expect(idNumber('d-11')).toBe(11);
    expect(idNumber('weird')).toBe(0);
  });

  it('orders releases newest first and deploys next where the release has not succeeded', () => {
    const list = [release('r-9'), release('r-10'), release('r-2')];
    expect(newestFirst(list).map((x) => x.id)).toEqual(['r-10', 'r-9', 'r-2']);
    expect(nextEnvironment(r, ['dev', 'staging', 'prod'])).toBe('staging');
    expect(nextEnvironment(release('r-1'), ['dev', 'prod'])).toBe('dev');
    expect(nextEnvironment(r, ['dev'])).toBe('dev');
    expect(nextEnvironment(r, [])).toBe('');
  });

  it('counts the opened deployment among the states shown', () => {
    expect(shownStates([r], null)).toEqual(['failed', 'succeeded', 'launching', 'succeeded']);
    expect(shownStates([], deployment('d-1', 'r-1', 'prod', { state: 'watching' }))).toEqual(['watching']);
  });
});

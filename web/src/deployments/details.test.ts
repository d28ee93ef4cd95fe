import { describe, expect, it } from 'vitest';
import { deployment } from '../test/deployments';
import { approvalsText, figureRows, memberText } from './details';

describe('deployment details', () => {
  it('counts approvals against those required', () => {
    const d = deployment('d-1', 'r-1', 'prod', { required_approvals: 2 });
    expect(approvalsText(d)).toBe('0 of 2 required');
    d.approvals.push({ by: 'bob@example.com', at: '', comment: '' });
    expect(approvalsText(d)).toBe('1 of 2 required');
    expect(approvalsText({ ...d, required_approvals: 0 })).toBe('none required');
  });

  it('names fleet members by id, with the logical id when there is one', () => {
    expect(memberText('i-0aa')).toBe('i-0aa');
    expect(memberText({ id: 'i-0bb', logical_id: 'Web1' })).toBe('i-0bb (Web1)');
    expect(memberText({ id: 'i-0cc' })).toBe('i-0cc');
  });

  it('shows the figures before and after, a dash where there is no data', () => {
    expect(figureRows({ latency_ms: 119.6, requests_per_minute: 600, error_rate: 0.125 }, null)).toEqual([
      { label: 'Latency (average)', before: '120 ms', after: '—' },
      { label: 'Requests per minute', before: '600', after: '—' },
      { label: 'Server errors', before: '0.13 %', after: '—' },
    ]);
    expect(figureRows(null, { latency_ms: 0, error_rate: null }).map((f) => f.after)).toEqual(['0 ms', '—', '—']);
  });
});

import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LineChart } from './LineChart';

describe('LineChart', () => {
  it('names the chart by its title and series, and joins values across a run', () => {
    render(
      <LineChart
        title="Error rate"
        unit="Percent"
        start="2026-11-20T00:00:00.000Z"
        period={43200}
        series={[{ label: '5xx', values: [1, 2, null, 4, 5] }]}
      />,
    );
    const chart = screen.getByRole('img', { name: 'Error rate: 5xx' });
    expect(chart.querySelector('path')?.getAttribute('d')).toBe('M64 154L165 118.5M367 47.5L468 12');
    expect([...chart.querySelectorAll('text')].map((t) => t.textContent)).toEqual([
      '5 %',
      '1 %',
      '11-20 00:00',
      '11-22 00:00',
    ]);
    expect(within(screen.getByRole('list', { name: 'Legend of Error rate' })).getByRole('listitem').textContent).toBe(
      '5xx 5 %',
    );
  });

  it('says when the range has no data', () => {
    render(
      <LineChart
        title="Latency"
        unit="Seconds"
        start="2026-11-27T10:00:00.000Z"
        period={300}
        series={[{ label: 'p50', values: [null, null] }]}
      />,
    );
    const chart = screen.getByRole('img', { name: 'Latency: p50' });
    expect(chart.querySelector('path')).toBeNull();
    expect(chart.textContent).toContain('No data in this range');
    expect(screen.getByRole('listitem').textContent).toBe('p50 no data');
  });
});

import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { charts } from '../testing/uplot-mock';
import TrendChart from './TrendChart.svelte';

vi.mock('uplot', () => import('../testing/uplot-mock'));

describe('TrendChart', () => {
  beforeEach(() => {
    charts.length = 0;
  });

  it('hands uPlot the times in seconds and one series per line, with units in the legend values; redrawn for a new theme', async () => {
    const trend = {
      title: 'Blood pressure',
      unit: 'mm[Hg]',
      times: [Date.parse('2024-01-01'), Date.parse('2024-02-01')],
      series: [
        { label: 'Systolic', values: [120, 130] },
        { label: 'Diastolic', values: [80, null] },
      ],
    };
    const view = render(TrendChart, { props: { trend } });
    expect(charts).toHaveLength(1);
    const [chart] = charts;
    expect(chart?.data).toEqual([
      [Date.parse('2024-01-01') / 1000, Date.parse('2024-02-01') / 1000],
      [120, 130],
      [80, null],
    ]);
    expect(chart?.options.series.slice(1).map((series) => series.label)).toEqual(['Systolic', 'Diastolic']);
    const format = chart?.options.series[1]?.value as (chart: unknown, value: number | null) => string;
    expect(format(null, 120)).toBe('120 mm[Hg]');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Blood pressure: 2 readings from 2024-01-01 to 2024-02-01; latest Systolic 130, Diastolic none mm[Hg].',
    );
    expect(screen.getByTestId('trend-chart').dataset['points']).toBe('2');

    document.documentElement.dataset['theme'] = 'dark';
    await vi.waitFor(() => expect(charts).toHaveLength(2));
    expect(chart?.destroyed).toBe(true);
    delete document.documentElement.dataset['theme'];

    view.unmount();
    expect(charts.every((drawn) => drawn.destroyed)).toBe(true);
  });
});

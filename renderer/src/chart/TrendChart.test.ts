import { fireEvent, render, screen } from '@testing-library/svelte';
import type uPlot from 'uplot';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fakeLayout } from '../testing/layout';
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
    // Drawn in the frame after the one that shows the chart, in its place kept meanwhile (canvas and legend lines).
    expect(charts).toHaveLength(0);
    expect(screen.getByRole('img').style.minHeight).toBe(`${170 + 3 * 29.5}px`);
    await vi.waitFor(() => expect(charts).toHaveLength(1));
    expect(screen.getByRole('img').style.minHeight).toBe('');
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

  it('shades the reference range, offers time ranges, zooms to a dragged span and draws a long record as ranges', async () => {
    const DAY = 86_400_000;
    const times = Array.from({ length: 3_000 }, (_, index) => Date.UTC(2015, 0, 1) + index * DAY);
    const trend = {
      title: 'Creatinine',
      unit: 'mg/dL',
      times,
      series: [{ label: 'Creatinine', values: times.map((_, index) => 0.6 + (index % 10) / 10) }],
      band: { low: 0.7, high: 1.3 },
    };
    const restore = fakeLayout(400, 800);
    onTestFinished(restore);
    render(TrendChart, { props: { trend } });
    expect(screen.getByTestId('trend-band').textContent).toContain('reference range 0.7–1.3 mg/dL');
    // Before it is drawn the note already says how the whole record will be drawn, so nothing moves when it is.
    expect(screen.getByTestId('trend-dense').textContent).toContain('3000 readings');
    const figure = screen.getByTestId('trend-chart');
    await vi.waitFor(() => expect(figure.dataset['dense']).toBe('true'));
    expect(charts.at(-1)?.options.bands).toHaveLength(1);
    expect(charts.at(-1)?.options.legend).toMatchObject({ show: true, live: true });
    // The y scale keeps the band in view.
    const range = charts.at(-1)?.options.scales?.['y']?.range as (chart: unknown, min: number, max: number) => [number, number];
    const [low, high] = range(null, 0.9, 1.0);
    expect(low).toBeLessThan(0.7);
    expect(high).toBeGreaterThan(1.3);

    await fireEvent.click(screen.getByTestId('trend-range-3m'));
    expect(figure.dataset['drawn']).toBe('92');
    expect(figure.dataset['dense']).toBe('false');
    expect(charts.at(-1)?.options.scales?.['x']).toMatchObject({ max: times.at(-1)! / 1000 });

    // A drag selects pixels 10 to 40; uPlot maps them to seconds.
    const setSelect = charts.at(-1)?.options.hooks?.setSelect?.[0] as (chart: uPlot) => void;
    const from = times.at(-30)! / 1000;
    const fake = {
      select: { left: 10, width: 30 },
      posToVal: (px: number) => from + (px - 10) * 86_400 * (10 / 30),
      setSelect: () => undefined,
    };
    setSelect(fake as unknown as uPlot);
    await vi.waitFor(() => expect(screen.getByTestId('trend-zoomed')).toBeTruthy());
    expect(figure.dataset['drawn']).toBe('11');
    await fireEvent.click(screen.getByTestId('trend-zoom-reset'));
    expect(screen.queryByTestId('trend-zoomed')).toBeNull();
    expect(figure.dataset['drawn']).toBe('92');
  });
});

import { describe, expect, it } from 'vitest';
import { rangeWindow, SPARSE_PIXELS, TIME_RANGES, trendPlot } from './trend-plot';
import type { Trend } from './trends';

const HOUR = 3_600_000;

/** A long record: a reading every 6 hours, swinging widely, with one critical value hidden among them. */
function longTrend(count: number, critical?: { index: number; value: number }): Trend {
  const times = Array.from({ length: count }, (_, index) => Date.UTC(2010, 0, 1) + index * 6 * HOUR);
  const values = times.map((_, index) => (index === critical?.index ? critical.value : 80 + ((index * 7919) % 60)));
  return { title: 'Glucose', unit: 'mg/dL', times, series: [{ label: 'Glucose', values }] };
}

describe('trendPlot', () => {
  it('draws 10,000 readings as one range per pixel column, keeping every extreme', () => {
    const trend = longTrend(10_000, { index: 4_321, value: 612 });
    const { from, to } = rangeWindow(trend, TIME_RANGES[0]!);
    const plot = trendPlot(trend, from, to, 700);
    expect(plot.dense).toBe(true);
    expect(plot.readings).toBe(10_000);
    expect(plot.times.length).toBeLessThanOrEqual(700);
    expect(plot.series.map((series) => series.label)).toEqual(['Glucose (median)', 'Glucose, highest', 'Glucose, lowest']);
    const [, high, low] = plot.series;
    expect(Math.max(...(high!.values as number[]))).toBe(612);
    expect(Math.min(...(low!.values as number[]))).toBe(80);
    // Every bucket's median lies within its range.
    plot.series[0]!.values.forEach((median, index) => {
      expect(median!).toBeGreaterThanOrEqual(low!.values[index]!);
      expect(median!).toBeLessThanOrEqual(high!.values[index]!);
    });
  });

  it('gives each pixel column the lowest, highest and median of its readings, leaving out missing values', () => {
    // Two columns of 1 px: the first holds four readings (one without a value), the second three.
    const times = [0, 1, 2, 3, 10, 11, 12].map((minute) => minute * 60_000);
    const trend: Trend = {
      title: 'Blood pressure',
      unit: 'mmHg',
      times,
      series: [
        { label: 'Systolic', values: [130, null, 110, 150, 90, 140, 120] },
        { label: 'Diastolic', values: [null, null, null, null, 60, 80, 70] },
      ],
    };
    const plot = trendPlot(trend, 0, 12 * 60_000, 2);
    expect(plot).toMatchObject({ dense: true, readings: 7 });
    // Each column is placed at its middle reading.
    expect(plot.times).toEqual([2 * 60, 11 * 60]);
    expect(plot.series.map((line) => [line.label, line.values])).toEqual([
      ['Systolic (median)', [130, 120]],
      ['Systolic, highest', [150, 140]],
      ['Systolic, lowest', [110, 90]],
      ['Diastolic (median)', [null, 70]],
      ['Diastolic, highest', [null, 80]],
      ['Diastolic, lowest', [null, 60]],
    ]);
    const even = trendPlot({ ...trend, series: [{ label: 'Pulse', values: [60, 70, 90, 100, 1, 2, 3] }] }, 0, 12 * 60_000, 2);
    expect(even.series[0]!.values).toEqual([80, 2]);
  });

  it('draws each reading when they are sparse in the window, as a zoom or a shorter range makes them', () => {
    const trend = longTrend(10_000);
    const last = trend.times.at(-1)!;
    const zoomed = trendPlot(trend, last - 20 * 6 * HOUR, last, 700);
    expect(zoomed).toMatchObject({ dense: false, readings: 21 });
    expect(zoomed.series).toHaveLength(1);
    expect(zoomed.times).toEqual(trend.times.slice(-21).map((time) => time / 1000));
    expect(zoomed.series[0]!.values).toEqual(trend.series[0]!.values.slice(-21));
    // The threshold: one reading per SPARSE_PIXELS pixels.
    expect(trendPlot(longTrend(100), -Infinity, Infinity, 100 * SPARSE_PIXELS).dense).toBe(false);
    expect(trendPlot(longTrend(101), -Infinity, Infinity, 100 * SPARSE_PIXELS).dense).toBe(true);
  });

  it('ends every time range at the latest reading, never before the first', () => {
    const trend = longTrend(10_000);
    const last = trend.times.at(-1)!;
    const year = rangeWindow(
      trend,
      TIME_RANGES.find((range) => range.id === '1y')!,
    );
    expect(year.to).toBe(last);
    expect(last - year.from).toBeCloseTo(365.25 * 24 * HOUR, -3);
    const short = longTrend(100);
    expect(
      rangeWindow(
        short,
        TIME_RANGES.find((range) => range.id === '5y')!,
      ).from,
    ).toBe(short.times[0]);
  });
});

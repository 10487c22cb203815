import { describe, expect, it } from 'vitest';
import type { ObservationRow } from '../../../common/chart';
import { bloodPressure, observation } from '../testing/rows';
import { analyteKey } from '../../../common/lab-flowsheet';
import { latestVitals } from '../../../common/vital-signs';
import { describeTrend, labTrend, vitalTrends } from './trends';

describe('trends', () => {
  it('finds the latest reading of every kind in one pass, by the time main parsed', () => {
    const old = observation({ id: 'old', kind: 'heart-rate', effective: '2019-01-01T00:00:00Z' });
    const recent = observation({ id: 'recent', kind: 'heart-rate', effective: '2026-01-01T00:00:00Z' });
    const lab = observation({ id: 'lab' });
    const latest = latestVitals([old, lab, recent, observation({ id: 'undated', kind: 'heart-rate', effective: null })]);
    expect(latest.map(({ kind, latest: row }) => [kind, row.id])).toEqual([['heart-rate', 'recent']]);
    // The time, not the text, decides: a reading whose text sorts first but was taken later is the latest.
    const offset = observation({ id: 'offset', kind: 'heart-rate', effective: '2026-01-01T00:30:00+01:00' });
    expect(latestVitals([offset, recent])[0]?.latest.id).toBe('recent');
  });

  it('charts blood pressure as systolic and diastolic lines from its components, oldest first', () => {
    const rows = [bloodPressure('b2', '2024-02-01', 130, 85), bloodPressure('b1', '2024-01-01', 120, 80), observation()];
    const trend = vitalTrends(rows).get('blood-pressure');
    expect(trend?.series.map((line) => line.label)).toEqual(['Systolic', 'Diastolic']);
    expect(trend?.series.map((line) => line.values)).toEqual([
      [120, 130],
      [80, 85],
    ]);
    expect(trend?.unit).toBe('mmHg');
    expect(trend?.times).toEqual([Date.parse('2024-01-01'), Date.parse('2024-02-01')]);
  });

  it('skips readings without a number or a date, and gives no trend without any', () => {
    const heart = (id: string, effective: string | null, value: number | null) =>
      observation({
        id,
        kind: 'heart-rate',
        effective,
        value: value === null ? null : { value, unit: '/min' },
        valueText: 'n/a',
      });
    const trend = vitalTrends([heart('a', '2024-01-01', 70), heart('b', null, 80), heart('c', '2024-01-02', null)]).get(
      'heart-rate',
    );
    expect(trend?.series[0]?.values).toEqual([70]);
    expect(vitalTrends([heart('c', '2024-01-02', null)]).has('heart-rate')).toBe(false);
  });

  it('groups lab results of one test by its coding and describes the trend for screen readers', () => {
    const rows = [
      observation({ id: 'g1', effective: '2024-01-01', value: { value: 90, unit: 'mg/dL' } }),
      observation({ id: 'g2', effective: '2024-03-01', value: { value: 140, unit: 'mg/dL' } }),
      observation({ id: 'n1', code: { text: 'Sodium', system: 'http://loinc.org', code: '2951-2' } }),
    ];
    const trend = labTrend(rows, analyteKey(rows[0]!));
    expect(trend?.series[0]?.values).toEqual([90, 140]);
    expect(describeTrend(trend!)).toBe('Glucose: 2 readings from 2024-01-01 to 2024-03-01; latest 140 mg/dL.');
  });

  it('builds the trend of every vital sign from one pass, each oldest first, in the chosen units', () => {
    const reading = (id: string, kind: ObservationRow['kind'], effective: string, value: number, unit: string) =>
      observation({ id, kind, effective, value: { value, unit } });
    const rows = [
      reading('t2', 'temperature', '2024-01-03', 38, 'Cel'),
      reading('h1', 'heart-rate', '2024-01-01', 70, '/min'),
      bloodPressure('b1', '2024-01-02', 120, 80),
      reading('t1', 'temperature', '2024-01-01', 37, 'Cel'),
      reading('h3', 'heart-rate', '2024-01-03', 90, '/min'),
      reading('h2', 'heart-rate', '2024-01-02', 80, '/min'),
      observation({ id: 'lab' }),
    ];
    const trends = vitalTrends(rows, 'us');
    expect([...trends.keys()]).toEqual(['heart-rate', 'blood-pressure', 'temperature']);
    expect(trends.get('heart-rate')?.series[0]?.values).toEqual([70, 80, 90]);
    expect(trends.get('heart-rate')?.title).toBe('Heart rate');
    expect(trends.get('temperature')?.series[0]?.values).toEqual([98.6, 100.4]);
    expect(trends.get('temperature')?.unit).toBe('°F');
    expect(trends.get('blood-pressure')?.series.map((line) => line.values)).toEqual([[120], [80]]);
  });

  it('draws readings oldest first whatever order the pages brought them in, same-time readings in their order', () => {
    const at = (id: string, day: number, value: number) =>
      observation({
        id,
        kind: 'heart-rate',
        effective: `2024-01-${String(day).padStart(2, '0')}`,
        value: { value, unit: '/min' },
      });
    // A newest-first page, then an older window oldest first (as the loader delivers them), with a tie.
    const rows = [at('a', 9, 90), at('b', 8, 80), at('c', 2, 20), at('d', 3, 30), at('e', 3, 31)];
    const trend = vitalTrends(rows).get('heart-rate');
    expect(trend?.series[0]?.values).toEqual([20, 30, 31, 80, 90]);
  });
});

import { describe, expect, it } from 'vitest';
import { bloodPressure, observation } from '../testing/rows';
import { observationTime } from '../../../common/chart-format';
import { describeTrend, labTrend, latestByKind, testKey, vitalTrend } from './trends';

describe('trends', () => {
  it('finds the latest reading of every kind in one pass, and reads each row’s time once', () => {
    const old = observation({ id: 'old', kind: 'heart-rate', effective: '2019-01-01T00:00:00Z' });
    const recent = observation({ id: 'recent', kind: 'heart-rate', effective: '2026-01-01T00:00:00Z' });
    const lab = observation({ id: 'lab' });
    const latest = latestByKind([old, lab, recent, observation({ id: 'undated', kind: 'heart-rate', effective: null })]);
    expect(latest.get('heart-rate')?.id).toBe('recent');
    expect(latest.get('lab')?.id).toBe('lab');
    expect(latest.has('weight')).toBe(false);
    expect(observationTime(recent)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(observationTime(observation({ effective: null }))).toBeNull();
  });

  it('charts blood pressure as systolic and diastolic lines from its components, oldest first', () => {
    const rows = [bloodPressure('b2', '2024-02-01', 130, 85), bloodPressure('b1', '2024-01-01', 120, 80), observation()];
    const trend = vitalTrend(rows, 'blood-pressure', 'Blood pressure');
    expect(trend?.series.map((line) => line.label)).toEqual(['Systolic', 'Diastolic']);
    expect(trend?.series.map((line) => line.values)).toEqual([
      [120, 130],
      [80, 85],
    ]);
    expect(trend?.unit).toBe('mm[Hg]');
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
    const trend = vitalTrend(
      [heart('a', '2024-01-01', 70), heart('b', null, 80), heart('c', '2024-01-02', null)],
      'heart-rate',
      'Heart rate',
    );
    expect(trend?.series[0]?.values).toEqual([70]);
    expect(vitalTrend([heart('c', '2024-01-02', null)], 'heart-rate', 'Heart rate')).toBeNull();
  });

  it('groups lab results of one test by its coding and describes the trend for screen readers', () => {
    const rows = [
      observation({ id: 'g1', effective: '2024-01-01', value: { value: 90, unit: 'mg/dL' } }),
      observation({ id: 'g2', effective: '2024-03-01', value: { value: 140, unit: 'mg/dL' } }),
      observation({ id: 'n1', code: { text: 'Sodium', system: 'http://loinc.org', code: '2951-2' } }),
    ];
    const trend = labTrend(rows, testKey(rows[0]!));
    expect(trend?.series[0]?.values).toEqual([90, 140]);
    expect(describeTrend(trend!)).toBe('Glucose: 2 readings from 2024-01-01 to 2024-03-01; latest 140 mg/dL.');
  });

  it('draws one unit per axis: °F and °C, lb and kg converted to the latest reading’s unit', () => {
    const temperature = (id: string, effective: string, value: number, unit: string) =>
      observation({ id, kind: 'temperature', effective, value: { value, unit } });
    const trend = vitalTrend(
      [temperature('t1', '2024-01-01', 37, 'Cel'), temperature('t2', '2024-02-01', 98.6, '°F')],
      'temperature',
      'Temperature',
    );
    expect(trend?.unit).toBe('°F');
    expect(trend?.series[0]?.values.map((value) => Number(value?.toFixed(1)))).toEqual([98.6, 98.6]);
    const weight = (id: string, effective: string, value: number, unit: string) =>
      observation({ id, kind: 'weight', effective, value: { value, unit } });
    const kilos = vitalTrend(
      [weight('w1', '2024-01-01', 154, '[lb_av]'), weight('w2', '2024-02-01', 70, 'kg')],
      'weight',
      'Weight',
    );
    expect(kilos?.series[0]?.values.map((value) => Number(value?.toFixed(1)))).toEqual([69.9, 70]);
    expect(kilos?.omitted).toBe(0);
    // One unit in two spellings ("mmHg" as ChartDesk writes Quantity.unit, "mm[Hg]" as the UCUM code) is one axis.
    const pressures = [bloodPressure('b1', '2024-01-01', 120, 80), bloodPressure('b2', '2024-02-01', 130, 85)];
    const spelled = pressures.map((row, index) =>
      index === 1
        ? {
            ...row,
            components: row.components.map((part) => ({ ...part, value: part.value && { ...part.value, unit: 'mmHg' } })),
          }
        : row,
    );
    const trend2 = vitalTrend(spelled, 'blood-pressure', 'Blood pressure');
    expect(trend2?.unit).toBe('mmHg');
    expect(trend2?.series.map((line) => line.values)).toEqual([
      [120, 130],
      [80, 85],
    ]);
  });

  it('leaves out, and counts, readings in a unit that cannot share the axis', () => {
    const rows = [
      observation({ id: 'g1', effective: '2024-01-01', value: { value: 5.5, unit: 'mmol/L' } }),
      observation({ id: 'g2', effective: '2024-03-01', value: { value: 140, unit: 'mg/dL' } }),
    ];
    const trend = labTrend(rows, testKey(rows[0]!));
    expect(trend?.unit).toBe('mg/dL');
    expect(trend?.series[0]?.values).toEqual([140]);
    expect(trend?.omitted).toBe(1);
  });
});

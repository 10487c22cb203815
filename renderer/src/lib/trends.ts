import type { CodedText, ObservationRow, Quantity, ReferenceBand } from '../../../common/chart';
import { analyteKey } from '../../../common/lab-flowsheet';
import { permuted, stableOrder } from '../../../common/stable-order';
import { displayQuantity, type UnitSystem } from '../../../common/units';
import { BLOOD_PRESSURE_CODES } from '../../../common/vital-codes';
import { CHARTED_VITALS, type ChartedVital } from '../../../common/vital-signs';

/** Time series drawn by the trend charts: one time axis, one value array per line (null where a reading lacks it). */
export interface Trend {
  title: string;
  unit: string | null;
  /** Milliseconds since the epoch, ascending. */
  times: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** The reference range drawn behind the line: the latest charted result's, in the trend's unit. */
  band?: ReferenceBand;
}

const SYSTOLIC = { loinc: BLOOD_PRESSURE_CODES.systolic.code, pattern: /systolic/i };
const DIASTOLIC = { loinc: BLOOD_PRESSURE_CODES.diastolic.code, pattern: /diastolic/i };

function isCode(code: CodedText, wanted: { loinc: string; pattern: RegExp }): boolean {
  return code.code === wanted.loinc || wanted.pattern.test(code.text);
}

/** The readings of one trend, a column per field, in the order their rows came; one series or two (blood pressure). */
class Readings {
  readonly times: number[] = [];
  readonly units: Array<string | null> = [];
  readonly first: Array<number | null> = [];
  readonly second: Array<number | null> = [];

  /** A reading without any value is not drawn, so it is not kept. */
  add(time: number, unit: string | null, first: number | null, second: number | null = null): void {
    if (first === null && second === null) return;
    this.times.push(time);
    this.units.push(unit);
    this.first.push(first);
    this.second.push(second);
  }
}

function buildTrend(title: string, readings: Readings, labels: readonly string[]): Trend | null {
  if (readings.times.length === 0) return null;
  // Oldest first, ties in the order their rows came.
  const order = stableOrder(readings.times);
  const sorted = <V>(column: V[]): V[] => (order ? permuted(column, order) : column);
  const columns = [readings.first, readings.second];
  return {
    title,
    unit: sorted(readings.units).find((unit) => unit) ?? null,
    times: sorted(readings.times),
    series: labels.map((label, index) => ({ label, values: sorted(columns[index] ?? []) })),
  };
}

/**
 * The trend of each charted vital sign, in the clinician's units, from one pass over the rows; blood pressure
 * has a systolic and a diastolic line. A vital sign without numeric readings has no trend.
 */
export function vitalTrends(rows: readonly ObservationRow[], units: UnitSystem = 'metric'): Map<ChartedVital, Trend> {
  const readings = new Map<ObservationRow['kind'], Readings>(CHARTED_VITALS.map(({ kind }) => [kind, new Readings()]));
  for (const row of rows) {
    const into = readings.get(row.kind);
    const time = into ? row.time : null;
    if (!into || time === null) continue;
    if (row.kind === 'blood-pressure') {
      const systolic = charted(row.components.find((component) => isCode(component.code, SYSTOLIC))?.value ?? null);
      const diastolic = charted(row.components.find((component) => isCode(component.code, DIASTOLIC))?.value ?? null);
      const unit =
        (systolic && displayQuantity(systolic, row.kind, units).unit) ??
        (diastolic && displayQuantity(diastolic, row.kind, units).unit) ??
        null;
      into.add(time, unit, systolic?.value ?? null, diastolic?.value ?? null);
    } else {
      const exact = charted(row.value);
      const shown = exact && displayQuantity(exact, row.kind, units);
      into.add(time, shown?.unit ?? null, shown?.value ?? null);
    }
  }
  const trends = new Map<ChartedVital, Trend>();
  for (const { kind, title } of CHARTED_VITALS) {
    const of = readings.get(kind);
    const trend = of && buildTrend(title, of, kind === 'blood-pressure' ? ['Systolic', 'Diastolic'] : [title]);
    if (trend) trends.set(kind, trend);
  }
  return trends;
}

/** A value a trend may plot: a bound ("<5") is not a measurement, so it is left out rather than drawn as 5. */
function charted(value: Quantity | null): Quantity | null {
  return value && !value.comparator ? value : null;
}

/** The trend of one lab test across the record; null when none of its results is numeric. */
export function labTrend(rows: readonly ObservationRow[], key: string): Trend | null {
  const matching = rows.filter((row) => analyteKey(row) === key);
  const title = matching[0]?.code.text ?? 'Result';
  const readings = new Readings();
  let latest: { time: number; row: ObservationRow } | null = null;
  for (const row of matching) {
    const time = row.time;
    const exact = charted(row.value);
    if (time === null || !exact) continue;
    readings.add(time, displayQuantity(exact, 'lab', 'metric').unit, exact.value);
    if (!latest || time >= latest.time) latest = { time, row };
  }
  const trend = buildTrend(title, readings, [title]);
  // The band is in the latest result's unit: drawn only when that is the trend's unit.
  const band = latest?.row.referenceBand;
  const sameUnit = latest && displayQuantity(latest.row.value as Quantity, 'lab', 'metric').unit === trend?.unit;
  return trend && band && sameUnit ? { ...trend, band } : trend;
}

/** A sentence that stands in for the chart for screen readers. */
export function describeTrend(trend: Trend): string {
  const last = trend.times.length - 1;
  const latest = trend.series
    .map((line) => `${trend.series.length > 1 ? `${line.label} ` : ''}${line.values[last] ?? 'none'}`)
    .join(', ');
  const unit = trend.unit ? ` ${trend.unit}` : '';
  const from = new Date(trend.times[0] ?? 0).toISOString().slice(0, 10);
  const to = new Date(trend.times[last] ?? 0).toISOString().slice(0, 10);
  return `${trend.title}: ${trend.times.length} readings from ${from} to ${to}; latest ${latest}${unit}.`;
}

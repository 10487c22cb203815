import type { CodedText, ObservationRow, Quantity, ReferenceBand } from '../../../common/chart';
import { observationTime } from '../../../common/chart-format';
import { analyteKey } from '../../../common/lab-flowsheet';
import { displayQuantity, type UnitSystem } from '../../../common/units';
import { BLOOD_PRESSURE_CODES } from '../../../common/vital-codes';
import type { ChartedVital } from '../../../common/vital-signs';

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

function buildTrend(
  title: string,
  readings: ReadonlyArray<{ time: number; values: Array<number | null>; unit: string | null }>,
  labels: string[],
): Trend | null {
  const usable = readings.filter((reading) => reading.values.some((value) => value !== null));
  if (usable.length === 0) return null;
  const sorted = [...usable].sort((a, b) => a.time - b.time);
  return {
    title,
    unit: sorted.find((reading) => reading.unit)?.unit ?? null,
    times: sorted.map((reading) => reading.time),
    series: labels.map((label, index) => ({ label, values: sorted.map((reading) => reading.values[index] ?? null) })),
  };
}

/**
 * The trend of one vital sign, in the clinician's units; blood pressure has a systolic and a diastolic line.
 * Null without numeric readings.
 */
export function vitalTrend(
  rows: readonly ObservationRow[],
  kind: ChartedVital,
  title: string,
  units: UnitSystem = 'metric',
): Trend | null {
  const readings = [];
  for (const row of rows) {
    if (row.kind !== kind) continue;
    const time = observationTime(row);
    if (time === null) continue;
    if (kind === 'blood-pressure') {
      const systolic = charted(row.components.find((component) => isCode(component.code, SYSTOLIC))?.value ?? null);
      const diastolic = charted(row.components.find((component) => isCode(component.code, DIASTOLIC))?.value ?? null);
      readings.push({
        time,
        values: [systolic?.value ?? null, diastolic?.value ?? null],
        unit:
          (systolic && displayQuantity(systolic, kind, units).unit) ??
          (diastolic && displayQuantity(diastolic, kind, units).unit) ??
          null,
      });
    } else {
      const exact = charted(row.value);
      const shown = exact && displayQuantity(exact, kind, units);
      readings.push({ time, values: [shown?.value ?? null], unit: shown?.unit ?? null });
    }
  }
  return buildTrend(title, readings, kind === 'blood-pressure' ? ['Systolic', 'Diastolic'] : [title]);
}

/** A value a trend may plot: a bound ("<5") is not a measurement, so it is left out rather than drawn as 5. */
function charted(value: Quantity | null): Quantity | null {
  return value && !value.comparator ? value : null;
}

/** The trend of one lab test across the record; null when none of its results is numeric. */
export function labTrend(rows: readonly ObservationRow[], key: string): Trend | null {
  const matching = rows.filter((row) => analyteKey(row) === key);
  const title = matching[0]?.code.text ?? 'Result';
  const readings = [];
  let latest: { time: number; row: ObservationRow } | null = null;
  for (const row of matching) {
    const time = observationTime(row);
    const exact = charted(row.value);
    if (time === null || !exact) continue;
    readings.push({ time, values: [exact.value], unit: displayQuantity(exact, 'lab', 'metric').unit });
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

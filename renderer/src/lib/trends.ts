import type { CodedText, ObservationRow, Quantity, VitalKind } from '../../../common/chart';
import { observationTime } from '../../../common/chart-format';
import { convertVital, type VitalUnit } from '../../../common/vital-entry';

/** Time series drawn by the trend charts: one time axis, one value array per line (null where a reading lacks it). */
export interface Trend {
  title: string;
  unit: string | null;
  /** Milliseconds since the epoch, ascending. */
  times: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Readings left out because their unit is not the trend's and cannot be converted to it. */
  omitted: number;
}

export type ChartedVital = Exclude<VitalKind, 'other'>;

/** The latest reading of each kind, in one pass over the rows. */
export function latestByKind(rows: readonly ObservationRow[]): Map<ObservationRow['kind'], ObservationRow> {
  const latest = new Map<ObservationRow['kind'], ObservationRow>();
  for (const row of rows) {
    const known = latest.get(row.kind);
    if (!known || (row.effective ?? '') > (known.effective ?? '')) latest.set(row.kind, row);
  }
  return latest;
}

export const CHARTED_VITALS: ReadonlyArray<{ kind: ChartedVital; title: string }> = [
  { kind: 'heart-rate', title: 'Heart rate' },
  { kind: 'blood-pressure', title: 'Blood pressure' },
  { kind: 'temperature', title: 'Temperature' },
  { kind: 'respiratory-rate', title: 'Respiratory rate' },
  { kind: 'spo2', title: 'Oxygen saturation (SpO2)' },
  { kind: 'weight', title: 'Body weight' },
  { kind: 'height', title: 'Body height' },
  { kind: 'bmi', title: 'BMI' },
];

const SYSTOLIC = { loinc: '8480-6', pattern: /systolic/i };
const DIASTOLIC = { loinc: '8462-4', pattern: /diastolic/i };

function isCode(code: CodedText, wanted: { loinc: string; pattern: RegExp }): boolean {
  return code.code === wanted.loinc || wanted.pattern.test(code.text);
}

/**
 * How EHRs spell the units of vital signs (UCUM codes, and the human units beside them: Epic and ChartDesk itself
 * write "°F" and "mmHg" in Quantity.unit): the same unit in two spellings shares an axis, and °F/°C, lb/kg and in/cm
 * are converted.
 */
const SPELLINGS: Record<string, VitalUnit> = {
  Cel: 'Cel',
  '°C': 'Cel',
  degC: 'Cel',
  '[degF]': '[degF]',
  '°F': '[degF]',
  degF: '[degF]',
  kg: 'kg',
  '[lb_av]': '[lb_av]',
  lb: '[lb_av]',
  lbs: '[lb_av]',
  cm: 'cm',
  '[in_i]': '[in_i]',
  in: '[in_i]',
  'mm[Hg]': 'mm[Hg]',
  mmHg: 'mm[Hg]',
  '/min': '/min',
  '{beats}/min': '/min',
  'beats/min': '/min',
  '{breaths}/min': '/min',
  'breaths/min': '/min',
  '%': '%',
};
const FAMILY: Record<VitalUnit, string> = {
  Cel: 'temperature',
  '[degF]': 'temperature',
  kg: 'mass',
  '[lb_av]': 'mass',
  cm: 'length',
  '[in_i]': 'length',
  'mm[Hg]': 'pressure',
  '/min': 'rate',
  '%': 'fraction',
};

/** A value in `from` as the trend's `to` unit, or null when the two cannot share an axis. */
function inUnit(value: number | null, from: string | null, to: string | null): number | null {
  if (value === null || from === null || to === null || from.toLowerCase() === to.toLowerCase()) return value;
  const source = SPELLINGS[from];
  const target = SPELLINGS[to];
  if (!source || !target || FAMILY[source] !== FAMILY[target]) return null;
  return convertVital(value, source, target);
}

/**
 * One axis, one unit: the unit of the latest reading (the one the clinician now uses). Readings in another unit are
 * converted when the conversion is exact (°F and °C, lb and kg, in and cm), and otherwise left out and counted,
 * never drawn on a scale they do not belong to. A reading without a unit is taken as the trend's.
 */
function buildTrend(
  title: string,
  readings: ReadonlyArray<{ time: number; values: Array<number | null>; unit: string | null }>,
  labels: string[],
): Trend | null {
  const usable = readings.filter((reading) => reading.values.some((value) => value !== null));
  if (usable.length === 0) return null;
  const sorted = [...usable].sort((a, b) => a.time - b.time);
  const unit = sorted.findLast((reading) => reading.unit)?.unit ?? null;
  const drawn = sorted.flatMap((reading) => {
    const values = reading.values.map((value) => inUnit(value, reading.unit, unit));
    return values.some((value) => value !== null) ? [{ time: reading.time, values }] : [];
  });
  return {
    title,
    unit,
    times: drawn.map((reading) => reading.time),
    series: labels.map((label, index) => ({ label, values: drawn.map((reading) => reading.values[index] ?? null) })),
    omitted: sorted.length - drawn.length,
  };
}

/** The trend of one vital sign; blood pressure has a systolic and a diastolic line. Null without numeric readings. */
export function vitalTrend(rows: readonly ObservationRow[], kind: ChartedVital, title: string): Trend | null {
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
        unit: systolic?.unit ?? diastolic?.unit ?? null,
      });
    } else {
      const exact = charted(row.value);
      readings.push({ time, values: [exact?.value ?? null], unit: exact?.unit ?? null });
    }
  }
  return buildTrend(title, readings, kind === 'blood-pressure' ? ['Systolic', 'Diastolic'] : [title]);
}

/** A value a trend may plot: a bound ("<5") is not a measurement, so it is left out rather than drawn as 5. */
function charted(value: Quantity | null): Quantity | null {
  return value && !value.comparator ? value : null;
}

/** Which rows are "the same test": the coding when there is one, else the display text. */
export function testKey(row: ObservationRow): string {
  return row.code.code ? `${row.code.system ?? ''}|${row.code.code}` : `text:${row.code.text.toLowerCase()}`;
}

/** The trend of one lab test across the record; null when none of its results is numeric. */
export function labTrend(rows: readonly ObservationRow[], key: string): Trend | null {
  const matching = rows.filter((row) => testKey(row) === key);
  const title = matching[0]?.code.text ?? 'Result';
  const readings = [];
  for (const row of matching) {
    const time = observationTime(row);
    const exact = charted(row.value);
    if (time !== null && exact) readings.push({ time, values: [exact.value], unit: exact.unit });
  }
  return buildTrend(title, readings, [title]);
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

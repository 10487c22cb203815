import type { ObservationRow, VitalKind } from './chart';

/** The vital signs ChartDesk shows as cards, charts and summary items, in that order, with their names. */
export type ChartedVital = Exclude<VitalKind, 'other'>;

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

/**
 * The newest reading of each charted vital sign, in CHARTED_VITALS order; kinds without a dated reading are left out.
 * One pass over the rows, comparing the times main parsed.
 */
export function latestVitals(
  rows: readonly ObservationRow[],
): Array<{ kind: ChartedVital; title: string; latest: ObservationRow }> {
  const newest = new Map<ObservationRow['kind'], { row: ObservationRow; time: number }>();
  for (const row of rows) {
    const time = row.time;
    if (time === null) continue;
    const known = newest.get(row.kind);
    if (!known || time > known.time) newest.set(row.kind, { row, time });
  }
  return CHARTED_VITALS.flatMap(({ kind, title }) => {
    const latest = newest.get(kind)?.row;
    return latest ? [{ kind, title, latest }] : [];
  });
}

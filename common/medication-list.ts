import type { MedicationRow } from './chart';
import { toTime } from './chart-format';

/**
 * The medication list as a clinician reads it: one line per drug, its orders and refills folded into it with
 * their history, current medications first shown. Shared by the renderer and the `chart` command.
 */

/** One drug: the order shown (the latest current one, else the latest) and every order of it, newest first. */
export interface MedicationEntry extends MedicationRow {
  history: MedicationRow[];
}

/** Statuses of a medication the patient is on: active, and on hold (paused, not stopped). */
const CURRENT = new Set(['active', 'on-hold']);

export function isCurrentMedication(row: MedicationRow): boolean {
  return CURRENT.has(row.status);
}

/** The same drug: its code when it has one (RxNorm), else its name. */
function drugKey(row: MedicationRow): string {
  return row.medication.code
    ? `${row.medication.system ?? ''}|${row.medication.code}`
    : `text:${row.medication.text.toLowerCase()}`;
}

const newestFirst = (a: MedicationRow, b: MedicationRow) =>
  (toTime(b.authoredOn) ?? -Infinity) - (toTime(a.authoredOn) ?? -Infinity);

/**
 * Orders and refills of the same drug as one entry: the line shows the latest current order (a refill
 * stopped after a newer one was written does not hide it), else the latest order; the history keeps all.
 */
export function foldMedications(rows: readonly MedicationRow[]): MedicationEntry[] {
  const groups = new Map<string, MedicationRow[]>();
  for (const row of rows) {
    const key = drugKey(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((group) => {
    const history = [...group].sort(newestFirst);
    const shown = history.find(isCurrentMedication) ?? history[0];
    return { ...(shown as MedicationRow), history };
  });
}

export interface MedicationFilter {
  id: 'current' | 'all';
  label: string;
  test: (entry: MedicationEntry) => boolean;
}

/** Current medications first (issue 18); "All" shows stopped, completed and cancelled ones too. */
export const MEDICATION_FILTERS: readonly MedicationFilter[] = [
  { id: 'current', label: 'Active', test: isCurrentMedication },
  { id: 'all', label: 'All', test: () => true },
];

/** "3 orders" for a drug ordered more than once (refills, renewals); empty for a single order. */
export function ordersText(entry: MedicationEntry): string {
  return entry.history.length > 1 ? `${entry.history.length} orders` : '';
}

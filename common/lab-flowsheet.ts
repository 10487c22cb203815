import type { ObservationRow, ResultFlag } from './chart';
import { formatDateTime, formatObservationValue, toTime } from './chart-format';
import { formatQuantity } from './quantity';
import { flagText } from './result-flags';
import { displayQuantity, displayUnit, type UnitSystem } from './units';

/**
 * Lab results as clinicians read them: grouped by the panel (DiagnosticReport) that lists them, each group as a
 * flowsheet of analytes (rows) by collection time (columns, newest first), flags kept, units beside each
 * analyte's name. Pure display rules beside the others of common/.
 */

export const UNGROUPED_TITLE = 'Results outside a panel';

export interface LabGroup {
  /** The panel's code (or name) for every report of that kind, so each Basic Metabolic Panel over the years is one group. */
  id: string;
  title: string;
  rows: ObservationRow[];
  /** Time of the group's newest result, for ordering groups (newest first). */
  latest: number | null;
}

/** Which rows are "the same test": the coding when there is one, else the name. */
export function analyteKey(row: ObservationRow): string {
  return row.code.code ? `${row.code.system ?? ''}|${row.code.code}` : `text:${row.code.text.toLowerCase()}`;
}

/** The groups, newest first; the results no panel lists come last. */
export function labGroups(rows: readonly ObservationRow[]): LabGroup[] {
  const groups = new Map<string, LabGroup>();
  for (const row of rows) {
    const panel = row.panel;
    const id = panel
      ? panel.name.code
        ? `${panel.name.system ?? ''}|${panel.name.code}`
        : `text:${panel.name.text.toLowerCase()}`
      : 'ungrouped';
    const group = groups.get(id) ?? { id, title: panel ? panel.name.text : UNGROUPED_TITLE, rows: [], latest: null };
    groups.set(id, group);
    group.rows.push(row);
    const time = row.time;
    if (time !== null && (group.latest === null || time > group.latest)) group.latest = time;
  }
  return [...groups.values()].sort(
    (a, b) => Number(a.id === 'ungrouped') - Number(b.id === 'ungrouped') || (b.latest ?? -Infinity) - (a.latest ?? -Infinity),
  );
}

export interface FlowsheetColumn {
  /** The collection time as the EHR wrote it; '' for results without one. */
  key: string;
  label: string;
}

export interface FlowsheetCell {
  /** The value without the analyte's unit (shown once, beside its name), with its own unit when it differs. */
  text: string;
  /** Short flag shown in the cell: the standard code (H, L, HH…) or the EHR's words; '*' marks a computed one. */
  mark: string;
  /** The flag in full words, for screen readers and the tooltip. */
  flag: string;
  abnormal: boolean;
  /** More than one result of the analyte at that time: the cell shows the latest listed, and says how many. */
  count: number;
}

export interface FlowsheetRow {
  key: string;
  name: string;
  /** The unit as people write it, from the analyte's latest result; null when it has none. */
  unit: string | null;
  cells: Array<FlowsheetCell | null>;
}

export interface Flowsheet {
  columns: FlowsheetColumn[];
  rows: FlowsheetRow[];
  /** How many collection times the group has in all (the flowsheet shows a page of them). */
  totalColumns: number;
}

function markOf(flag: ResultFlag | null): string {
  if (!flag) return '';
  const short = flag.code ?? flag.text;
  return flag.source === 'computed' ? `${short}*` : short;
}

function cellText(row: ObservationRow, unit: string | null, units: UnitSystem): string {
  if (row.value && !row.valueText && row.components.length === 0) {
    const shown = displayQuantity(row.value, 'lab', units);
    const own = shown.unit ? displayUnit(shown.unit) : null;
    return own === unit ? formatQuantity({ ...shown, unit: null }) : formatQuantity(shown);
  }
  return formatObservationValue(row, units);
}

/**
 * The flowsheet of one group: its collection times newest first, `perPage` of them from `page` (0 is the newest
 * page), and one row per analyte in the order the panels list them (first seen first).
 */
export function flowsheet(
  rows: readonly ObservationRow[],
  options: { units?: UnitSystem; page?: number; perPage?: number } = {},
): Flowsheet {
  const units = options.units ?? 'metric';
  const perPage = options.perPage ?? 6;
  const times = [...new Set(rows.map((row) => row.effective ?? ''))].sort(
    (a, b) => (toTime(b) ?? -Infinity) - (toTime(a) ?? -Infinity) || b.localeCompare(a),
  );
  const start = Math.max(0, (options.page ?? 0) * perPage);
  const keys = times.slice(start, start + perPage);
  const columns = keys.map((key) => ({ key, label: key ? formatDateTime(key) : 'Date unknown' }));
  const index = new Map(keys.map((key, position) => [key, position]));
  const analytes = new Map<string, { row: FlowsheetRow; latest: ObservationRow }>();
  for (const row of rows) {
    const key = analyteKey(row);
    const known = analytes.get(key);
    if (!known) {
      analytes.set(key, { row: { key, name: row.code.text, unit: null, cells: keys.map(() => null) }, latest: row });
    } else if ((row.time ?? -Infinity) > (known.latest.time ?? -Infinity)) known.latest = row;
  }
  for (const { row, latest } of analytes.values()) {
    const unit = latest.value?.unit ? displayQuantity(latest.value, 'lab', units).unit : null;
    row.unit = unit ? displayUnit(unit) : null;
  }
  for (const result of rows) {
    const position = index.get(result.effective ?? '');
    const analyte = analytes.get(analyteKey(result));
    if (position === undefined || !analyte) continue;
    const previous = analyte.row.cells[position];
    analyte.row.cells[position] = {
      text: cellText(result, analyte.row.unit, units),
      mark: markOf(result.flag),
      flag: flagText(result.flag),
      abnormal: result.flag?.abnormal === true,
      count: (previous?.count ?? 0) + 1,
    };
  }
  return { columns, rows: [...analytes.values()].map((entry) => entry.row), totalColumns: times.length };
}

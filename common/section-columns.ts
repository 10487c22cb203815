import { attachmentsText } from './attachments';
import type {
  AllergyRow,
  DocumentRow,
  EncounterRow,
  ImmunizationRow,
  MedicationRow,
  ObservationRow,
  ProblemRow,
  ProcedureRow,
} from './chart';
import { DATE_UNKNOWN, formatDate, formatDateTime, formatObservationValue, statusWords, toTime } from './chart-format';
import type { MedicationEntry } from './medication-list';
import { flagText, isUnjudged, NO_RANGE } from './result-flags';
import type { UnitSystem } from './units';

/**
 * The columns of each chart table: what the renderer's tables show and what the `chart` command prints,
 * from the same functions. Dates sort by time, not by their text.
 */

export interface Column<T> {
  id: string;
  label: string;
  /** Cell text; the filter searches it. */
  text: (row: T) => string;
  /** Sort key when the text does not sort right (dates, numbers); null sorts last. */
  sortKey?: (row: T) => string | number | null;
  /** Grid track for the column, e.g. '2fr' or '8rem'. */
  width?: string;
}

/** An empty cell reads as a dash, on screen and in the `chart` command alike. */
export const EMPTY_CELL = '—';

/** The text of a cell as shown. */
export function cellText<T>(column: Column<T>, row: T): string {
  return column.text(row) || EMPTY_CELL;
}

/** A problem as listed: one row per problem, a diagnosis recorded at several encounters folded into one. */
export interface ProblemEntry extends ProblemRow {
  /** How many records of the EHR this row stands for (1 unless folded). */
  occurrences: number;
}

const byTime = (value: string | null) => toTime(value);
const dateOr = (value: string | null, text: string | null, unknown: string) => (value ? formatDate(value) : (text ?? unknown));

/** The flag, or for a numeric lab result that has none and no range either, that it was not judged. */
function observationFlag(row: ObservationRow): string {
  return isUnjudged(row) ? NO_RANGE : flagText(row.flag);
}

function observationColumnsIn(units: UnitSystem): readonly Column<ObservationRow>[] {
  return [
    {
      id: 'date',
      label: 'Date',
      text: (row) => (row.effective ? formatDateTime(row.effective) : DATE_UNKNOWN),
      sortKey: (row) => row.time,
      width: '10rem',
    },
    { id: 'test', label: 'Test', text: (row) => row.code.text, width: 'minmax(10rem, 2fr)' },
    {
      id: 'value',
      label: 'Value',
      text: (row) => formatObservationValue(row, units),
      sortKey: (row) => row.value?.value ?? (formatObservationValue(row, units).toLowerCase() || null),
      width: 'minmax(7rem, 1fr)',
    },
    { id: 'range', label: 'Reference range', text: (row) => row.referenceRange ?? '', width: 'minmax(7rem, 1fr)' },
    { id: 'flag', label: 'Flag', text: observationFlag, width: 'minmax(6rem, 12rem)' },
    { id: 'status', label: 'Status', text: (row) => statusWords(row.status), width: '6.5rem' },
  ];
}

/** The observation columns in metric units, as the `chart` command prints them. */
export const observationColumns = observationColumnsIn('metric');
const US_OBSERVATION_COLUMNS = observationColumnsIn('us');

/** The observation columns in the clinician's units: one array per unit system, so the tables' caches hold. */
export function observationColumnsFor(units: UnitSystem): readonly Column<ObservationRow>[] {
  return units === 'us' ? US_OBSERVATION_COLUMNS : observationColumns;
}

const CATEGORY_WORDS: Record<ProblemRow['category'], string> = {
  'problem-list-item': 'Problem list',
  'encounter-diagnosis': 'Encounter diagnosis',
  'health-concern': 'Health concern',
};

/** Verification in words; the uncertain ones say so ("differential" is a kind of unconfirmed). */
const VERIFICATION_WORDS: Record<string, string> = {
  provisional: 'Provisional (unconfirmed)',
  differential: 'Differential (unconfirmed)',
};

export const problemColumns: readonly Column<ProblemEntry>[] = [
  { id: 'problem', label: 'Problem', text: (row) => row.code.text, width: 'minmax(12rem, 3fr)' },
  { id: 'category', label: 'Category', text: (row) => CATEGORY_WORDS[row.category], width: '9rem' },
  { id: 'status', label: 'Status', text: (row) => statusWords(row.clinicalStatus), width: '6.5rem' },
  { id: 'severity', label: 'Severity', text: (row) => row.severity ?? '', width: '7rem' },
  {
    id: 'verification',
    label: 'Verification',
    text: (row) => VERIFICATION_WORDS[row.verificationStatus ?? ''] ?? statusWords(row.verificationStatus),
    width: '8rem',
  },
  {
    id: 'onset',
    label: 'Onset',
    text: (row) => dateOr(row.onset, row.onsetText, ''),
    sortKey: (row) => byTime(row.onset),
    width: '8rem',
  },
  {
    id: 'resolved',
    label: 'Resolved',
    text: (row) => dateOr(row.abatement, row.abatementText, ''),
    sortKey: (row) => byTime(row.abatement),
    width: '8rem',
  },
  {
    id: 'recorded',
    label: 'Recorded',
    text: (row) => {
      const date = row.recorded ? formatDate(row.recorded) : '';
      if (row.occurrences < 2) return date;
      return date ? `${date} (${row.occurrences} records)` : `${row.occurrences} records`;
    },
    sortKey: (row) => byTime(row.recorded),
    width: '9rem',
  },
];

/** Where a medication comes from: reported by the patient (a home medication) or ordered. */
function medicationSource(row: MedicationRow): string {
  if (row.reported) return 'Patient-reported';
  if (!row.intent || /order$/.test(row.intent)) return 'Order';
  return statusWords(row.intent);
}

export const medicationColumns: readonly Column<MedicationEntry>[] = [
  { id: 'drug', label: 'Medication', text: (row) => row.medication.text, width: 'minmax(12rem, 3fr)' },
  { id: 'dose', label: 'Dose', text: (row) => row.dose ?? '', width: 'minmax(6rem, 1fr)' },
  { id: 'route', label: 'Route', text: (row) => row.route ?? '', width: 'minmax(6rem, 1fr)' },
  { id: 'frequency', label: 'Frequency', text: (row) => row.frequency ?? '', width: 'minmax(8rem, 1fr)' },
  { id: 'status', label: 'Status', text: (row) => statusWords(row.status), width: '7rem' },
  { id: 'source', label: 'Source', text: medicationSource, width: '8rem' },
  { id: 'prescriber', label: 'Prescriber', text: (row) => row.prescriber ?? '', width: 'minmax(8rem, 1fr)' },
  {
    id: 'date',
    label: 'Ordered',
    text: (row) => formatDate(row.authoredOn),
    sortKey: (row) => byTime(row.authoredOn),
    width: '8rem',
  },
  {
    id: 'orders',
    label: 'Orders',
    text: (row) => String(row.history.length),
    sortKey: (row) => row.history.length,
    width: '5rem',
  },
  // The full sig: the table clips it to one line, the details show it whole, the `chart` command prints it whole.
  { id: 'sig', label: 'Instructions', text: (row) => row.dosage ?? '', width: 'minmax(12rem, 2fr)' },
];

export const allergyColumns: readonly Column<AllergyRow>[] = [
  { id: 'substance', label: 'Substance', text: (row) => row.substance.text, width: 'minmax(10rem, 2fr)' },
  {
    id: 'reaction',
    label: 'Reaction',
    text: (row) => (row.statement ? '' : row.reactions.join(', ') || 'None recorded'),
    width: 'minmax(10rem, 2fr)',
  },
  { id: 'criticality', label: 'Criticality', text: (row) => statusWords(row.criticality), width: '7rem' },
  { id: 'status', label: 'Status', text: (row) => statusWords(row.clinicalStatus), width: '6.5rem' },
  { id: 'verification', label: 'Verification', text: (row) => statusWords(row.verificationStatus), width: '7.5rem' },
  {
    id: 'recorded',
    label: 'Recorded',
    text: (row) => formatDate(row.recorded),
    sortKey: (row) => byTime(row.recorded),
    width: '8rem',
  },
];

export const immunizationColumns: readonly Column<ImmunizationRow>[] = [
  { id: 'vaccine', label: 'Vaccine', text: (row) => row.vaccine.text, width: 'minmax(12rem, 3fr)' },
  {
    id: 'date',
    label: 'Date',
    text: (row) => dateOr(row.occurrence, row.occurrenceText, DATE_UNKNOWN),
    sortKey: (row) => byTime(row.occurrence),
    width: '9rem',
  },
  { id: 'status', label: 'Status', text: (row) => statusWords(row.status), width: '7rem' },
];

/** When an encounter was: its period, else "Date unknown" with the record's last update, marked as such. */
function encounterWhen(row: EncounterRow): string {
  if (row.start) {
    const end = row.end && row.end !== row.start ? ` to ${formatDateTime(row.end)}` : '';
    return `${formatDateTime(row.start)}${end}`;
  }
  return row.recordUpdated ? `${DATE_UNKNOWN} (record updated ${formatDate(row.recordUpdated)})` : DATE_UNKNOWN;
}

/** The encounter timeline's fields, by the names the timeline gives them to screen readers. */
export const encounterFields = {
  date: {
    id: 'date',
    label: 'Date',
    text: encounterWhen,
    // Undated encounters sort by their record's last update.
    sortKey: (row) => byTime(row.start) ?? byTime(row.recordUpdated),
  },
  type: { id: 'type', label: 'Encounter', text: (row) => row.type.text },
  class: { id: 'class', label: 'Class', text: (row) => row.classLabel ?? '' },
  status: { id: 'status', label: 'Status', text: (row) => statusWords(row.status) },
  reason: { id: 'reason', label: 'Reason', text: (row) => row.reason ?? '' },
  location: { id: 'location', label: 'Location', text: (row) => row.location ?? '' },
} satisfies Record<string, Column<EncounterRow>>;

export const encounterColumns: readonly Column<EncounterRow>[] = Object.values(encounterFields);

/** A document's status: a replaced version says so; otherwise its docStatus (preliminary, final, amended) or status. */
function documentStatus(row: DocumentRow): string {
  if (row.status === 'superseded') return 'Superseded by a newer version';
  return statusWords(row.docStatus ?? row.status);
}

/** The columns of the notes and of the reports: when, what, who, its status and the formats it comes in. */
export const documentColumns: readonly Column<DocumentRow>[] = [
  {
    id: 'date',
    label: 'Date',
    text: (row) => (row.date ? formatDateTime(row.date) : DATE_UNKNOWN),
    sortKey: (row) => byTime(row.date),
    width: '10rem',
  },
  { id: 'type', label: 'Type', text: (row) => row.type.text, width: 'minmax(10rem, 2fr)' },
  { id: 'category', label: 'Category', text: (row) => row.category ?? '', width: 'minmax(7rem, 1fr)' },
  { id: 'author', label: 'Author', text: (row) => row.author ?? '', width: 'minmax(8rem, 1fr)' },
  { id: 'status', label: 'Status', text: documentStatus, width: '7.5rem' },
  { id: 'format', label: 'Format', text: (row) => attachmentsText(row.attachments), width: 'minmax(6rem, 1fr)' },
];

export const procedureColumns: readonly Column<ProcedureRow>[] = [
  {
    id: 'date',
    label: 'Date',
    text: (row) => (row.performed ? formatDateTime(row.performed) : (row.performedText ?? DATE_UNKNOWN)),
    sortKey: (row) => byTime(row.performed),
    width: '10rem',
  },
  { id: 'procedure', label: 'Procedure', text: (row) => row.code.text, width: 'minmax(12rem, 3fr)' },
  { id: 'status', label: 'Status', text: (row) => statusWords(row.status), width: '7rem' },
  { id: 'performer', label: 'Performed by', text: (row) => row.performer ?? '', width: 'minmax(8rem, 1fr)' },
  { id: 'reason', label: 'Reason', text: (row) => row.reason ?? '', width: 'minmax(8rem, 2fr)' },
  { id: 'site', label: 'Body site', text: (row) => row.bodySite ?? '', width: 'minmax(6rem, 1fr)' },
];

export const NEWEST_FIRST = (columnId: string) => ({ columnId, direction: 'desc' as const });

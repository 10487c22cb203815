import type { AllergyRow, ProblemRow, SectionPage, SectionRows, SectionState, WithdrawnCounts } from './chart';
import { foldMedications, type MedicationEntry } from './medication-list';
import { formatDate, statusWords, toTime } from './chart-format';
import {
  allergyColumns,
  type Column,
  documentColumns,
  encounterColumns,
  immunizationColumns,
  medicationColumns,
  NEWEST_FIRST,
  observationColumns,
  problemColumns,
  type ProblemEntry,
  procedureColumns,
} from './section-columns';
import type { ChartSectionId } from './sessions';
import { type SortSpec, sortRows } from './table';
import { addWithdrawn, noneWithdrawn, withdrawnSentences } from './withdrawn';

/**
 * What the clinician sees of each chart section, beyond its rows: which records are listed (an
 * allergy statement is not an allergy, a diagnosis recorded at many encounters is one entry), the
 * problem filters, and the messages about the section. Shared by the renderer and the `chart` command.
 */

export const SECTION_TITLES: Record<ChartSectionId, { title: string; empty: string }> = {
  vitals: { title: 'Vitals', empty: 'No vital signs recorded.' },
  labs: { title: 'Labs', empty: 'No laboratory results recorded.' },
  problems: { title: 'Problems', empty: 'No problems recorded.' },
  medications: { title: 'Medications', empty: 'No medications recorded.' },
  allergies: { title: 'Allergies', empty: 'No allergies or intolerances recorded.' },
  immunizations: { title: 'Immunizations', empty: 'No immunizations recorded.' },
  encounters: { title: 'Encounters', empty: 'No encounters recorded.' },
  notes: { title: 'Notes', empty: 'No clinical notes or documents recorded.' },
  reports: { title: 'Reports', empty: 'No reports with a document recorded (results without one are under Labs).' },
  procedures: { title: 'Procedures', empty: 'No procedures recorded.' },
};

/** One section as it stands: what every page so far brought. */
export interface SectionSnapshot<S extends ChartSectionId = ChartSectionId> {
  id: S;
  state: SectionState;
  rows: ReadonlyArray<SectionRows[S]>;
  error: string | null;
  total: number | null;
  /** The EHR's messages about this section (results it withheld), each once. */
  notices: readonly string[];
  /** Entries the EHR sent for another patient, which main left out (main/chart/patient-scope.ts). */
  otherPatient: number;
  /** This patient's records the EHR marks entered in error or cancelled, which main left out, by status. */
  withdrawn: WithdrawnCounts;
  /** While loading: every row dated from this instant on is in (SectionPage.newestSince). */
  newestSince: string | null;
}

export function emptySection<S extends ChartSectionId>(id: S, state: SectionState): SectionSnapshot<S> {
  return {
    id,
    state,
    rows: [],
    error: null,
    total: null,
    notices: [],
    otherPatient: 0,
    withdrawn: noneWithdrawn(),
    newestSince: null,
  };
}

/** The section after one more page: rows appended, the total and the EHR's messages kept, the state moved on. */
export function applyPage<S extends ChartSectionId>(section: SectionSnapshot<S>, page: SectionPage): SectionSnapshot<S> {
  const rows = page.rows.length > 0 ? section.rows.concat(page.rows as Array<SectionRows[S]>) : section.rows;
  const fresh = page.notices.filter((notice) => !section.notices.includes(notice));
  const notices = fresh.length > 0 ? [...section.notices, ...new Set(fresh)] : section.notices;
  const total = page.total ?? section.total;
  const otherPatient = section.otherPatient + page.otherPatient;
  const withdrawn = addWithdrawn(section.withdrawn, page.withdrawn);
  const { newestSince } = page;
  const applied = { ...section, rows, total, notices, otherPatient, withdrawn, newestSince };
  if (page.state === 'error' || page.state === 'not-granted') return { ...applied, state: page.state, error: page.error };
  return { ...applied, state: page.done ? 'complete' : 'loading' };
}

/** The rows a section lists, per section. */
export interface ListedRows extends Omit<SectionRows, 'problems' | 'medications'> {
  problems: ProblemEntry;
  medications: MedicationEntry;
}

export const SECTION_COLUMNS: { [S in ChartSectionId]: readonly Column<ListedRows[S]>[] } = {
  vitals: observationColumns,
  labs: observationColumns,
  problems: problemColumns,
  medications: medicationColumns,
  allergies: allergyColumns,
  immunizations: immunizationColumns,
  encounters: encounterColumns,
  notes: documentColumns,
  reports: documentColumns,
  procedures: procedureColumns,
};

/**
 * The order each section first shows its rows in: newest first; problems by importance (listedRows orders
 * them); allergies as the EHR listed them.
 */
export const SECTION_DEFAULT_SORT: Record<ChartSectionId, SortSpec | null> = {
  vitals: NEWEST_FIRST('date'),
  labs: NEWEST_FIRST('date'),
  problems: null,
  medications: NEWEST_FIRST('date'),
  allergies: null,
  immunizations: NEWEST_FIRST('date'),
  encounters: NEWEST_FIRST('date'),
  notes: NEWEST_FIRST('date'),
  reports: NEWEST_FIRST('date'),
  procedures: NEWEST_FIRST('date'),
};

type Lister<S extends ChartSectionId> = (rows: ReadonlyArray<SectionRows[S]>) => ReadonlyArray<ListedRows[S]>;
const asListed = <T>(rows: readonly T[]) => rows;

const LISTERS: { [S in ChartSectionId]: Lister<S> } = {
  vitals: asListed,
  labs: asListed,
  problems: (rows) => byImportance(foldDiagnoses(rows)),
  medications: foldMedications,
  allergies: (rows) => rows.filter((row) => row.statement === null),
  immunizations: asListed,
  encounters: asListed,
  notes: asListed,
  reports: asListed,
  procedures: asListed,
};

/**
 * The records a section lists: everything but allergy statements; problems with repeated encounter diagnoses
 * folded, most important first; medications one line per drug.
 */
export function listedRows<S extends ChartSectionId>(id: S, rows: ReadonlyArray<SectionRows[S]>): ReadonlyArray<ListedRows[S]> {
  return (LISTERS[id] as Lister<S>)(rows);
}

/** The listed rows in the order the section first shows them. */
export function displayedRows<S extends ChartSectionId>(
  id: S,
  rows: ReadonlyArray<SectionRows[S]>,
): ReadonlyArray<ListedRows[S]> {
  return sortRows(listedRows(id, rows), SECTION_COLUMNS[id], SECTION_DEFAULT_SORT[id]);
}

const diagnosisKey = (row: ProblemRow) =>
  [
    row.code.code ? `${row.code.system ?? ''}|${row.code.code}` : row.code.text.toLowerCase(),
    row.clinicalStatus,
    row.verificationStatus,
  ].join('\u0000');
const newer = (a: ProblemRow, b: ProblemRow) => (a.recorded ?? a.onset ?? '') > (b.recorded ?? b.onset ?? '');

/**
 * An encounter diagnosis recorded again at each encounter (MEDITECH sends one Condition per encounter)
 * is one entry: the latest record, with the earliest onset and how many records it stands for.
 * Problem-list items are never folded: each is the clinician's own entry.
 */
export function foldDiagnoses(rows: readonly ProblemRow[]): ProblemEntry[] {
  const entries: ProblemEntry[] = [];
  const folded = new Map<string, ProblemEntry>();
  for (const row of rows) {
    if (row.category !== 'encounter-diagnosis') {
      entries.push({ ...row, occurrences: 1 });
      continue;
    }
    const key = diagnosisKey(row);
    const known = folded.get(key);
    if (!known) {
      const entry = { ...row, occurrences: 1 };
      folded.set(key, entry);
      entries.push(entry);
      continue;
    }
    const earliest = [known, row].filter((item) => item.onset).sort((a, b) => (a.onset ?? '').localeCompare(b.onset ?? ''))[0];
    const latest = newer(row, known) ? row : known;
    Object.assign(known, latest, {
      onset: earliest?.onset ?? latest.onset,
      onsetText: earliest ? earliest.onsetText : latest.onsetText,
      occurrences: known.occurrences + 1,
    });
  }
  return entries;
}

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const RESOLVED = new Set(['resolved', 'inactive', 'remission']);
/** Verification statuses that keep a problem out of "Active" whatever its clinical status says. */
const UNCERTAIN = new Set(['unconfirmed', 'provisional', 'differential', 'refuted']);

/** Active: clinically active and not unconfirmed or refuted (an EHR may send a refuted problem as "active"). */
export function isActiveProblem(row: ProblemRow): boolean {
  return ACTIVE.has(row.clinicalStatus ?? '') && !UNCERTAIN.has(row.verificationStatus ?? '');
}

/** SNOMED CT's severities (the codes FHIR's condition-severity value set lists), most severe first. */
const SEVERITY_RANK: ReadonlyArray<[RegExp, number]> = [
  [/^(24484000|severe)$/i, 0],
  [/^(6736007|moderate)$/i, 1],
  [/^(255604002|mild)$/i, 2],
];

function severityRank(row: ProblemRow): number {
  const severity = row.severity ?? '';
  return SEVERITY_RANK.find(([pattern]) => pattern.test(severity))?.[1] ?? SEVERITY_RANK.length;
}

/**
 * Most important first: active problems before the rest, then by severity (severe, moderate, mild, not
 * given), then the latest onset first (an undated one after the dated), ties in the EHR's order.
 */
export function byImportance<T extends ProblemRow>(rows: readonly T[]): T[] {
  const keyed = rows.map((row, index) => ({
    row,
    index,
    active: isActiveProblem(row) ? 0 : 1,
    severity: severityRank(row),
    onset: toTime(row.onset) ?? -Infinity,
  }));
  keyed.sort((a, b) => a.active - b.active || a.severity - b.severity || b.onset - a.onset || a.index - b.index);
  return keyed.map((entry) => entry.row);
}

export interface ProblemFilter {
  id: 'active' | 'problem-list' | 'resolved' | 'diagnoses' | 'all';
  label: string;
  test: (row: ProblemEntry) => boolean;
}

/** The problem views: the problem list (with health concerns), active and resolved problems, and encounter diagnoses apart. */
export const PROBLEM_FILTERS: readonly ProblemFilter[] = [
  { id: 'active', label: 'Active', test: isActiveProblem },
  { id: 'problem-list', label: 'Problem list', test: (row) => row.category !== 'encounter-diagnosis' },
  { id: 'resolved', label: 'Resolved', test: (row) => RESOLVED.has(row.clinicalStatus ?? '') },
  { id: 'diagnoses', label: 'Encounter diagnoses', test: (row) => row.category === 'encounter-diagnosis' },
  { id: 'all', label: 'All', test: () => true },
];

/**
 * Active problems first (issue 18); without any, the problem list; when the EHR sent only encounter
 * diagnoses (Synthea does), those.
 */
export function defaultProblemFilter(rows: readonly ProblemEntry[]): ProblemFilter['id'] {
  if (rows.some(isActiveProblem)) return 'active';
  return rows.some((row) => row.category !== 'encounter-diagnosis') || rows.length === 0 ? 'problem-list' : 'diagnoses';
}

const STATEMENT_WORDS: Record<NonNullable<AllergyRow['statement']>, string> = {
  'no-known-allergies': 'No known allergies',
  'no-known-drug-allergies': 'No known drug allergies',
  'no-known-food-allergies': 'No known food allergies',
  'no-known-environmental-allergies': 'No known environmental allergies',
  'not-recorded': 'Allergies not recorded',
};

/** An allergy statement as a sentence, with its uncertainty and date: "No known drug allergies (recorded 6 Aug 2015)." */
export function allergyStatementText(row: AllergyRow): string {
  const words = row.statement ? STATEMENT_WORDS[row.statement] : row.substance.text;
  const said = row.statement === 'not-recorded' ? `${words}: the EHR lists “${row.substance.text}”` : words;
  const verification =
    row.verificationStatus && row.verificationStatus !== 'confirmed'
      ? `, ${statusWords(row.verificationStatus).toLowerCase()}`
      : '';
  const status =
    row.clinicalStatus && row.clinicalStatus !== 'active' ? `, ${statusWords(row.clinicalStatus).toLowerCase()}` : '';
  const recorded = row.recorded ? ` (recorded ${formatDate(row.recorded)})` : '';
  return `${said}${verification}${status}${recorded}.`;
}

export type SectionMessageKind =
  'error' | 'other-patient' | 'ehr' | 'statement' | 'partial' | 'empty' | 'withdrawn' | 'not-granted';

export interface SectionMessage {
  kind: SectionMessageKind;
  text: string;
}

/**
 * Every message shown about a section, in the order shown: an error, what the EHR said (results it
 * withheld), allergy statements, that the list is partial, that it is empty, how many records the EHR
 * marks entered in error or cancelled are left out; or only that it was not granted.
 */
export function sectionMessages(section: SectionSnapshot, listedCount: number): SectionMessage[] {
  const { title, empty } = SECTION_TITLES[section.id];
  const messages: SectionMessage[] = [];
  if (section.state === 'not-granted') {
    messages.push({
      kind: 'not-granted',
      text: `The EHR did not grant ChartDesk access to ${title.toLowerCase()}. Ask your EHR administrator to allow it, then sign in again.`,
    });
    return messages;
  }
  if (section.state === 'error') {
    const incomplete =
      listedCount > 0 ? ` Showing only the ${listedCount} entries received before the error: this list is incomplete.` : '';
    messages.push({ kind: 'error', text: `${section.error ?? `${title} could not be loaded.`}${incomplete}` });
  }
  if (section.otherPatient > 0) {
    const [count, them] = section.otherPatient === 1 ? ['1 entry', 'it'] : [`${section.otherPatient} entries`, 'them'];
    messages.push({
      kind: 'other-patient',
      text:
        `The EHR sent ${count} for another patient. ChartDesk left ${them} out: only this patient's entries are shown. ` +
        `Tell your EHR team: this EHR may not filter ${title.toLowerCase()} by patient.`,
    });
  }
  for (const notice of section.notices) messages.push({ kind: 'ehr', text: notice });
  if (section.id === 'allergies') {
    for (const row of section.rows as readonly AllergyRow[]) {
      if (row.statement !== null) messages.push({ kind: 'statement', text: allergyStatementText(row) });
    }
  }
  if (listedCount > 0 && section.state === 'loading') {
    messages.push({ kind: 'partial', text: 'Partial list: more entries are on their way.' });
  }
  const hasStatement = messages.some((message) => message.kind === 'statement');
  if (listedCount === 0 && section.state === 'complete' && !hasStatement) {
    messages.push({ kind: 'empty', text: section.notices.length > 0 ? `None received from the EHR.` : empty });
  }
  for (const text of withdrawnSentences(section.withdrawn)) messages.push({ kind: 'withdrawn', text });
  return messages;
}

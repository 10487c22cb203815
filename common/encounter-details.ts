import type { DocumentRow, EncounterRow, ProblemRow } from './chart';
import { encounterColumns, encounterFields } from './section-columns';
import { filterRows, type SortSpec, sortRows } from './table';

/** What an encounter's details list beyond its row, and how the encounter list is sorted and filtered. */

export interface EncounterDiagnosisLine {
  name: string;
  /** "Admission diagnosis", "Chief complaint", or "Recorded at this encounter" for a linked Condition. */
  use: string | null;
}

/**
 * The encounter's diagnoses: those Encounter.diagnosis lists, by rank, named by their reference or, when only
 * the Condition's id is given, by that Condition in the problems; then the Conditions recorded at the encounter
 * (Condition.encounter, as Synthea records its encounter diagnoses), each once.
 */
export function encounterDiagnoses(encounter: EncounterRow, problems: readonly ProblemRow[]): EncounterDiagnosisLine[] {
  const byId = new Map(problems.map((problem) => [problem.id, problem]));
  const lines: EncounterDiagnosisLine[] = [];
  const listed = new Set<string>();
  for (const diagnosis of encounter.diagnoses) {
    const problem = diagnosis.conditionId ? byId.get(diagnosis.conditionId) : undefined;
    const name = diagnosis.name ?? problem?.code.text ?? null;
    if (diagnosis.conditionId) listed.add(diagnosis.conditionId);
    lines.push({ name: name ?? 'A condition the EHR did not name', use: diagnosis.use });
  }
  for (const problem of problems) {
    if (problem.encounterId !== encounter.id || listed.has(problem.id)) continue;
    listed.add(problem.id);
    lines.push({ name: problem.code.text, use: 'Recorded at this encounter' });
  }
  return lines;
}

/** The notes and reports written for the encounter (DocumentReference.context.encounter, DiagnosticReport.encounter). */
export function encounterDocuments<T extends { row: DocumentRow }>(encounter: EncounterRow, documents: readonly T[]): T[] {
  return documents.filter((document) => document.row.encounterIds.includes(encounter.id));
}

export interface EncounterOrder {
  id: 'newest' | 'oldest' | 'type';
  label: string;
  sort: SortSpec;
}

/** The orders the encounter list offers; newest first by default. */
export const ENCOUNTER_ORDERS: readonly EncounterOrder[] = [
  { id: 'newest', label: 'Newest first', sort: { columnId: encounterFields.date.id, direction: 'desc' } },
  { id: 'oldest', label: 'Oldest first', sort: { columnId: encounterFields.date.id, direction: 'asc' } },
  { id: 'type', label: 'Type (A–Z)', sort: { columnId: encounterFields.type.id, direction: 'asc' } },
];

/** The classes present, for the class filter (in words, each once, sorted). */
export function encounterClasses(rows: readonly EncounterRow[]): string[] {
  return [...new Set(rows.map((row) => row.classLabel).filter((label): label is string => label !== null))].sort();
}

/** The encounters shown: of the chosen class (null: any), matching every word of the query, in the chosen order. */
export function shownEncounters(
  rows: readonly EncounterRow[],
  options: { query: string; classLabel: string | null; order: EncounterOrder['id'] },
): readonly EncounterRow[] {
  const ofClass = options.classLabel === null ? rows : rows.filter((row) => row.classLabel === options.classLabel);
  const matching = filterRows(ofClass, encounterColumns, options.query);
  const order = ENCOUNTER_ORDERS.find((candidate) => candidate.id === options.order) ?? ENCOUNTER_ORDERS[0]!;
  return sortRows(matching, encounterColumns, order.sort);
}

import type { WithdrawnCounts, WithdrawnStatus } from '../../../common/chart';
import { noneWithdrawn } from '../../../common/withdrawn';
import { hasCode, type Json, resourceOf, str } from '../../fhir/fhir-read';

/**
 * Which records the EHR says never happened or took back, per resource type: the one rule the mappers (never a
 * row) and the sections' counts (main/chart/section-search.ts) both follow. Only the statuses FHIR R4 defines so:
 * `entered-in-error` everywhere; `cancelled` for results and reports (a cancelled order or encounter is still a
 * record of something decided, listed with its status); a DocumentReference's docStatus too; a Condition's or an
 * allergy's verification status in any code system (Oracle Health codes it with condition-clinical).
 */

const ENTERED_IN_ERROR: readonly WithdrawnStatus[] = ['entered-in-error'];
const RESULT_STATUSES: readonly WithdrawnStatus[] = ['entered-in-error', 'cancelled'];

/** One of `fields` holds one of `statuses` (str() trims: Oracle Health has sent "entered-in-error " with a space). */
const byStatus =
  (statuses: readonly WithdrawnStatus[], fields: readonly string[] = ['status']) =>
  (resource: Json): WithdrawnStatus | null =>
    statuses.find((status) => fields.some((field) => str(resource[field]) === status)) ?? null;

const byVerification = (resource: Json): WithdrawnStatus | null =>
  hasCode(resource.verificationStatus, ['entered-in-error']) ? 'entered-in-error' : null;

const RULES: Record<string, (resource: Json) => WithdrawnStatus | null> = {
  Observation: byStatus(RESULT_STATUSES),
  DiagnosticReport: byStatus(RESULT_STATUSES),
  DocumentReference: byStatus(ENTERED_IN_ERROR, ['status', 'docStatus']),
  MedicationRequest: byStatus(ENTERED_IN_ERROR),
  Immunization: byStatus(ENTERED_IN_ERROR),
  Procedure: byStatus(ENTERED_IN_ERROR),
  Encounter: byStatus(ENTERED_IN_ERROR),
  Condition: byVerification,
  AllergyIntolerance: byVerification,
};

/** The status by which the EHR withdrew this record; null when it stands (or its type has no such status). */
export function withdrawnStatus(resource: Json): WithdrawnStatus | null {
  const rule = typeof resource.resourceType === 'string' ? RULES[resource.resourceType] : undefined;
  return rule ? rule(resource) : null;
}

/** What one resource becomes in a section: a row, a record the EHR withdrew (counted, never shown), or nothing of its own. */
export type Outcome<R> = { row: R } | { withdrawn: WithdrawnStatus } | null;

/**
 * A resource of `type` as a section reads it: not the section's (`belongs` says no: an Observation of another
 * kind, a report without a document), withdrawn, or a row (`build` may still decline: null).
 */
export function outcomeOf<R>(
  value: unknown,
  type: string,
  build: (resource: Json) => R | null,
  belongs: (resource: Json) => boolean = () => true,
): Outcome<R> {
  const resource = resourceOf(value, type);
  if (!resource || !belongs(resource)) return null;
  const withdrawn = withdrawnStatus(resource);
  if (withdrawn) return { withdrawn };
  const row = build(resource);
  return row ? { row } : null;
}

/** The row of an outcome; null when it is withdrawn or none. */
export function rowOf<R>(outcome: Outcome<R>): R | null {
  return outcome && 'row' in outcome ? outcome.row : null;
}

/** The rows of some outcomes, in order, and how many of them were withdrawn, by status. */
export function tally<R>(outcomes: ReadonlyArray<Outcome<R>>): { rows: R[]; withdrawn: WithdrawnCounts } {
  const rows: R[] = [];
  const withdrawn = noneWithdrawn();
  for (const outcome of outcomes) {
    if (!outcome) continue;
    if ('row' in outcome) rows.push(outcome.row);
    else withdrawn[outcome.withdrawn] += 1;
  }
  return { rows, withdrawn };
}

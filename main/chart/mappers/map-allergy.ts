import type { AllergyRow, AllergyStatement } from '../../../common/chart';
import {
  arr,
  codedText,
  conceptCode,
  conceptText,
  fhirDate,
  hasCoding,
  type Json,
  obj,
  resourceId,
  str,
} from '../../fhir/fhir-read';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

const SNOMED = 'http://snomed.info/sct';
/**
 * SNOMED CT codes of AllergyIntolerance resources that are statements, not allergies: the "no known"
 * situations (HL7's NKA and NKDA examples) and "patient not asked" (Epic's "Not on File").
 */
const STATEMENTS: ReadonlyArray<[string, AllergyStatement]> = [
  ['716186003', 'no-known-allergies'],
  ['409137002', 'no-known-drug-allergies'],
  ['429625007', 'no-known-food-allergies'],
  ['428607008', 'no-known-environmental-allergies'],
  ['1631000175102', 'not-recorded'],
];

/**
 * AllergyIntolerance → row, or withdrawn when entered in error (withdrawn.ts); null for anything else. Reactions
 * read "manifestation (severity)".
 */
export function allergyOutcome(value: unknown): Outcome<AllergyRow> {
  return outcomeOf(value, 'AllergyIntolerance', allergyRow);
}

/** The row of an AllergyIntolerance; null for anything else and for one entered in error. */
export function mapAllergy(value: unknown): AllergyRow | null {
  return rowOf(allergyOutcome(value));
}

function allergyRow(allergy: Json): AllergyRow {
  return {
    id: resourceId(allergy),
    substance: codedText(allergy.code),
    reactions: arr(allergy.reaction).flatMap(reactionText),
    criticality: str(allergy.criticality),
    clinicalStatus: conceptCode(allergy.clinicalStatus),
    verificationStatus: conceptCode(allergy.verificationStatus),
    statement: STATEMENTS.find(([code]) => hasCoding(allergy.code, SNOMED, [code]))?.[1] ?? null,
    recorded: fhirDate(allergy.recordedDate) ?? fhirDate(allergy.onsetDateTime),
  };
}

function reactionText(value: unknown): string[] {
  const reaction = obj(value);
  if (!reaction) return [];
  const manifestations = arr(reaction.manifestation)
    .map(conceptText)
    .filter((text): text is string => text !== null);
  const what = manifestations.join(', ') || str(reaction.description);
  if (!what) return [];
  const severity = str(reaction.severity);
  return [severity ? `${what} (${severity})` : what];
}

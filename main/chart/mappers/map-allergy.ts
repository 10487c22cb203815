import type { AllergyRow } from '../../../common/chart';
import { arr, codedText, conceptCode, conceptText, fhirDate, obj, resourceId, resourceOf, str } from '../../fhir/fhir-read';

/** AllergyIntolerance → row; null for anything else. Reactions read "manifestation (severity)". */
export function mapAllergy(value: unknown): AllergyRow | null {
  const allergy = resourceOf(value, 'AllergyIntolerance');
  if (!allergy) return null;
  return {
    id: resourceId(allergy),
    substance: codedText(allergy.code),
    reactions: arr(allergy.reaction).flatMap(reactionText),
    criticality: str(allergy.criticality),
    clinicalStatus: conceptCode(allergy.clinicalStatus),
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

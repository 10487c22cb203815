import type { EncounterRow } from '../../../common/chart';
import { arr, codedText, conceptText, fhirDate, obj, referenceDisplay, resourceId, resourceOf, str } from '../../fhir/fhir-read';

/** Encounter → timeline row; null for anything else. */
export function mapEncounter(value: unknown): EncounterRow | null {
  const encounter = resourceOf(value, 'Encounter');
  if (!encounter) return null;
  const period = obj(encounter.period);
  return {
    id: resourceId(encounter),
    type: codedText(arr(encounter.type)[0]),
    classCode: str(obj(encounter.class)?.code) ?? str(obj(encounter.class)?.display),
    status: str(encounter.status) ?? 'unknown',
    start: fhirDate(period?.start),
    end: fhirDate(period?.end),
    reason:
      firstText(arr(encounter.reasonCode).map(conceptText)) ?? firstText(arr(encounter.reasonReference).map(referenceDisplay)),
    location:
      firstText(arr(encounter.location).map((item) => referenceDisplay(obj(item)?.location))) ??
      referenceDisplay(encounter.serviceProvider),
  };
}

function firstText(values: Array<string | null>): string | null {
  return values.find((value) => value !== null) ?? null;
}

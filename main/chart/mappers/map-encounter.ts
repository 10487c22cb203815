import type { EncounterRow } from '../../../common/chart';
import { arr, codedText, conceptText, fhirDate, obj, referenceDisplay, resourceId, resourceOf, str } from '../../fhir/fhir-read';

const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** The v3 ActCode encounter classes in words, for a class sent without a display. */
const ACT_CODE_CLASSES: Record<string, string> = {
  AMB: 'Ambulatory',
  EMER: 'Emergency',
  FLD: 'Field',
  HH: 'Home health',
  IMP: 'Inpatient',
  ACUTE: 'Inpatient acute',
  NONAC: 'Inpatient non-acute',
  OBSENC: 'Observation',
  PRENC: 'Pre-admission',
  SS: 'Short stay',
  VR: 'Virtual',
};

/** Encounter → timeline row; null for anything else and for one entered in error. */
export function mapEncounter(value: unknown): EncounterRow | null {
  const encounter = resourceOf(value, 'Encounter');
  if (!encounter) return null;
  const status = str(encounter.status) ?? 'unknown';
  if (status === 'entered-in-error') return null;
  const period = obj(encounter.period);
  return {
    id: resourceId(encounter),
    type: codedText(arr(encounter.type)[0]),
    classLabel: classLabel(encounter.class),
    status,
    start: fhirDate(period?.start),
    end: fhirDate(period?.end),
    recordUpdated: fhirDate(obj(encounter.meta)?.lastUpdated),
    reason:
      firstText(arr(encounter.reasonCode).map(conceptText)) ?? firstText(arr(encounter.reasonReference).map(referenceDisplay)),
    location:
      firstText(arr(encounter.location).map((item) => referenceDisplay(obj(item)?.location))) ??
      referenceDisplay(encounter.serviceProvider),
  };
}

/**
 * The encounter class in words: its display (Epic sends local codes such as "13" with the display
 * "Support OP Encounter"), else the name of a v3 ActCode; never a bare local code.
 */
function classLabel(value: unknown): string | null {
  const coding = obj(value);
  const display = str(coding?.display);
  if (display) return display;
  const code = str(coding?.code);
  const system = str(coding?.system);
  if (!code || (system !== null && system !== V3_ACT_CODE)) return null;
  return ACT_CODE_CLASSES[code] ?? null;
}

function firstText(values: Array<string | null>): string | null {
  return values.find((value) => value !== null) ?? null;
}

import type { LoincCoding } from '../../common/vital-codes';
import { BLOOD_PRESSURE, UNIT_LABELS, VITAL_DEFINITIONS, type VitalReading, type VitalUnit } from '../../common/vital-entry';
import { type Authoring, type Created, mintIdentifier, subjectOf } from './authoring';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS_CATEGORY = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
  text: 'Vital Signs',
};

const concept = (codings: readonly LoincCoding[], text: string) => ({
  coding: codings.map((coding) => ({ system: LOINC, code: coding.code, display: coding.display })),
  text,
});

/** A UCUM quantity in the unit the clinician entered: the US Core profiles allow each of them, and nothing is rounded. */
const ucum = (value: number, unit: VitalUnit) => ({ value, unit: UNIT_LABELS[unit], system: UCUM, code: unit });

/**
 * One US Core vital-signs Observation per reading (the shapes of fixtures/real/us-core/Observation-*.json): final,
 * category vital-signs, the LOINC code of its profile, effectiveDateTime, the encounter in context, the signed-in
 * user as performer, and the value in UCUM; blood pressure as its panel with systolic and diastolic components.
 */
export function buildVitalObservations(readings: readonly VitalReading[], effective: string, authoring: Authoring): Created[] {
  // Elements in the order the FHIR specification lists them, so that the preview reads like the examples.
  const observation = (code: object, value: object): Created => ({
    resourceType: 'Observation',
    identifier: [mintIdentifier()],
    status: 'final',
    category: [VITAL_SIGNS_CATEGORY],
    code,
    ...subjectOf(authoring),
    ...(authoring.encounterId ? { encounter: { reference: `Encounter/${authoring.encounterId}` } } : {}),
    effectiveDateTime: effective,
    ...(authoring.author ? { performer: [{ reference: authoring.author }] } : {}),
    ...value,
  });
  return readings.map((reading) => {
    if (reading.kind === 'blood-pressure') {
      const { panel, systolic, diastolic, unit, label } = BLOOD_PRESSURE;
      return observation(concept([panel], label), {
        component: [
          { code: concept([systolic], systolic.display), valueQuantity: ucum(reading.systolic, unit) },
          { code: concept([diastolic], diastolic.display), valueQuantity: ucum(reading.diastolic, unit) },
        ],
      });
    }
    const definition = VITAL_DEFINITIONS[reading.kind];
    return observation(concept(definition.codes, definition.label), { valueQuantity: ucum(reading.value, reading.unit) });
  });
}

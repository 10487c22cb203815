/** Builders for the few resource shapes the generated data sets need. */
import type { FhirResource } from './fhir-types.js';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export const concept = (coding: Coding): { coding: Coding[]; text: string } => ({ coding: [coding], text: coding.display });
const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });
const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function observationCategory(code: 'vital-signs' | 'laboratory') {
  const display = code === 'vital-signs' ? 'Vital Signs' : 'Laboratory';
  return [{ coding: [{ system: OBS_CATEGORY, code, display }], text: display }];
}

interface ObservationBase {
  id: string;
  patientId: string;
  encounterId?: string;
  effective: string;
}

function observationShell(base: ObservationBase, category: 'vital-signs' | 'laboratory', codings: Coding[]): FhirResource {
  return {
    resourceType: 'Observation',
    id: base.id,
    status: 'final',
    category: observationCategory(category),
    code: { coding: codings, text: codings[0]?.display },
    subject: { reference: `Patient/${base.patientId}` },
    ...(base.encounterId ? { encounter: { reference: `Encounter/${base.encounterId}` } } : {}),
    effectiveDateTime: base.effective,
    issued: base.effective,
  };
}

export function vitalSign(base: ObservationBase, codings: Coding[], value: number, unit: string, digits = 1): FhirResource {
  return { ...observationShell(base, 'vital-signs', codings), valueQuantity: quantity(round(value, digits), unit) };
}

export function bloodPressure(base: ObservationBase, systolic: number, diastolic: number): FhirResource {
  const component = (code: string, display: string, value: number) => ({
    code: concept({ system: LOINC, code, display }),
    valueQuantity: quantity(Math.round(value), 'mm[Hg]'),
  });
  return {
    ...observationShell(base, 'vital-signs', [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }]),
    component: [
      component('8480-6', 'Systolic blood pressure', systolic),
      component('8462-4', 'Diastolic blood pressure', diastolic),
    ],
  };
}

export interface LabDefinition {
  code: Coding;
  unit: string;
  low: number;
  high: number;
  digits: number;
}

export function labResult(base: ObservationBase, lab: LabDefinition, value: number): FhirResource {
  const rounded = round(value, lab.digits);
  const flag = rounded < lab.low ? ['L', 'Low'] : rounded > lab.high ? ['H', 'High'] : ['N', 'Normal'];
  return {
    ...observationShell(base, 'laboratory', [lab.code]),
    valueQuantity: quantity(rounded, lab.unit),
    interpretation: [{ coding: [{ system: INTERPRETATION, code: flag[0], display: flag[1] }], text: flag[1] }],
    referenceRange: [{ low: quantity(lab.low, lab.unit), high: quantity(lab.high, lab.unit) }],
  };
}

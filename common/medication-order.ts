/**
 * What a medication proposal may say beside the medication itself: its dose unit from a short list and a sig in words.
 * A discontinued order becomes `stopped` (FHIR R4 MedicationRequest.status: halted before all administrations).
 */

/** Dose units a proposal may use: UCUM masses and volume, and the v3 orderable drug forms (as HL7's medrx0301 uses TAB). */
export const DOSE_UNITS = [
  { code: 'mg', system: 'http://unitsofmeasure.org', display: 'mg' },
  { code: 'ug', system: 'http://unitsofmeasure.org', display: 'mcg' },
  { code: 'g', system: 'http://unitsofmeasure.org', display: 'g' },
  { code: 'mL', system: 'http://unitsofmeasure.org', display: 'mL' },
  { code: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', display: 'tablet' },
  { code: 'CAP', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', display: 'capsule' },
] as const;
export type DoseUnitCode = (typeof DOSE_UNITS)[number]['code'];
export const DOSE_UNIT_CODES = DOSE_UNITS.map((unit) => unit.code) as [DoseUnitCode, ...DoseUnitCode[]];

export const MAX_SIG_LENGTH = 1000;

/** The status a discontinued order is given. */
export const DISCONTINUED_STATUS = 'stopped';
/** Only an order that is still in effect can be discontinued. */
export const DISCONTINUABLE_STATUSES = ['active', 'on-hold', 'draft'] as const;
export const MAX_DISCONTINUE_REASON_LENGTH = 500;

import type { ChartedVital } from './vital-signs';

/**
 * The LOINC codes of the vital signs, in one table for what ChartDesk reads (main's mapper: which kind an
 * Observation is) and what it writes (the vital-signs form's Observations, common/vital-entry.ts). The codes are
 * those of the FHIR R4 vital-signs profiles and US Core (fixtures/real/us-core/, fixtures/real/hl7-r4-examples/).
 */

export interface LoincCoding {
  code: string;
  display: string;
}

export interface VitalCodes {
  /**
   * The profile's codes, its own first: what ChartDesk writes as Observation.code for a kind it records (SpO2
   * carries both of its codes, as US Core's pulse oximetry example does).
   */
  profile: readonly LoincCoding[];
  /** Codes other EHRs send for the same kind, read as it but never written: 55284-4 blood pressure, 8331-1 oral temperature. */
  variants: readonly string[];
}

/** A blood pressure panel and its components: read to show and chart it, written as the US Core profile has it. */
export const BLOOD_PRESSURE_CODES = {
  panel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
} as const satisfies Record<string, LoincCoding>;

/** Per kind, in the order a code is looked for when reading. */
export const VITAL_CODES: Readonly<Record<ChartedVital, VitalCodes>> = {
  'heart-rate': { profile: [{ code: '8867-4', display: 'Heart rate' }], variants: [] },
  'blood-pressure': { profile: [BLOOD_PRESSURE_CODES.panel], variants: ['55284-4'] },
  temperature: { profile: [{ code: '8310-5', display: 'Body temperature' }], variants: ['8331-1'] },
  'respiratory-rate': { profile: [{ code: '9279-1', display: 'Respiratory rate' }], variants: [] },
  spo2: {
    profile: [
      { code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
      { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    ],
    variants: [],
  },
  weight: { profile: [{ code: '29463-7', display: 'Body weight' }], variants: [] },
  height: { profile: [{ code: '8302-2', display: 'Body height' }], variants: [] },
  bmi: { profile: [{ code: '39156-5', display: 'Body mass index (BMI) [Ratio]' }], variants: [] },
};

/** Every code read as each kind (the profile's and the variants), in VITAL_CODES order. */
export const VITAL_CODES_READ: ReadonlyArray<[ChartedVital, readonly string[]]> = Object.entries(VITAL_CODES).map(
  ([kind, codes]) => [kind as ChartedVital, [...codes.profile.map((coding) => coding.code), ...codes.variants]],
);

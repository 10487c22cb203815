import type { ChartSectionId } from './sessions';

/**
 * Chart view models: compact, display-ready shapes mapped from FHIR in main. Dates are ISO
 * strings (FHIR precision kept: '2019', '2019-04', '2019-04-02' or a full dateTime).
 */

export interface CodedText {
  /** Best display text: CodeableConcept.text, else the first coding's display, else its code. */
  text: string;
  system: string | null;
  code: string | null;
}

export interface Quantity {
  value: number;
  unit: string | null;
}

export interface PatientBanner {
  id: string;
  name: string;
  birthDate: string | null;
  /** Whole years at the time of mapping, or null without a birth date. */
  ageYears: number | null;
  sex: string | null;
  deceased: boolean;
  mrn: string | null;
  identifiers: Array<{ label: string; value: string }>;
}

export interface PatientSearchResult {
  id: string;
  name: string;
  birthDate: string | null;
  sex: string | null;
  mrn: string | null;
}

export interface PatientSearchQuery {
  name?: string;
  birthDate?: string;
  identifier?: string;
}

/** Vital sign kinds ChartDesk charts, keyed by their LOINC codes in the mapper. */
export type VitalKind =
  'heart-rate' | 'blood-pressure' | 'temperature' | 'respiratory-rate' | 'spo2' | 'weight' | 'height' | 'bmi' | 'other';

export interface ObservationRow {
  id: string;
  kind: VitalKind | 'lab';
  code: CodedText;
  effective: string | null;
  /** A number when the value is numeric; components (blood pressure) are in `components`. */
  value: Quantity | null;
  /** Display text for non-numeric values (valueCodeableConcept, valueString, dataAbsentReason). */
  valueText: string | null;
  components: Array<{ code: CodedText; value: Quantity | null; valueText: string | null }>;
  referenceRange: string | null;
  /** Interpretation flag as given (H, L, HH, LL, A, N…); null when normal or absent. */
  flag: string | null;
  abnormal: boolean;
  status: string;
}

export interface ProblemRow {
  id: string;
  code: CodedText;
  clinicalStatus: string | null;
  verificationStatus: string | null;
  onset: string | null;
  abatement: string | null;
  recorded: string | null;
}

export interface MedicationRow {
  id: string;
  medication: CodedText;
  dosage: string | null;
  status: string;
  intent: string | null;
  prescriber: string | null;
  authoredOn: string | null;
}

export interface AllergyRow {
  id: string;
  substance: CodedText;
  reactions: string[];
  criticality: string | null;
  clinicalStatus: string | null;
  recorded: string | null;
}

export interface ImmunizationRow {
  id: string;
  vaccine: CodedText;
  occurrence: string | null;
  status: string;
}

export interface EncounterRow {
  id: string;
  type: CodedText;
  classCode: string | null;
  status: string;
  start: string | null;
  end: string | null;
  reason: string | null;
  location: string | null;
}

export interface SectionRows {
  vitals: ObservationRow;
  labs: ObservationRow;
  problems: ProblemRow;
  medications: MedicationRow;
  allergies: AllergyRow;
  immunizations: ImmunizationRow;
  encounters: EncounterRow;
}

export type SectionState = 'loading' | 'complete' | 'error' | 'not-granted';

/**
 * One page of a section, delivered as it arrives. A view keyed by (connectionId, patientId,
 * loadId) drops any page whose key is not the current one.
 */
export interface SectionPage<S extends ChartSectionId = ChartSectionId> {
  connectionId: string;
  patientId: string;
  loadId: string;
  section: S;
  rows: SectionRows[S][];
  /** Set on the last page: the section is complete (or ended in error). */
  done: boolean;
  state: SectionState;
  /** Readable error for the clinician when state is 'error' (from OperationOutcome when given). */
  error: string | null;
  /** Server's total when it gave one. */
  total: number | null;
  /**
   * While the section loads: every row dated at or after this instant has been delivered, so a
   * newer row can no longer come (the rows still to come are older, or undated). Null while newer
   * rows may still come: the latest value shown so far may not be the latest.
   */
  newestSince: string | null;
}

export interface ChartOpenRequest {
  connectionId: string;
  patientId: string;
}

/** What opening a chart answers at once; the sections follow as SectionPage events. */
export interface ChartOpened {
  loadId: string;
  banner: PatientBanner;
  /** Sections that will stream; the rest are 'not-granted'. */
  sections: Record<ChartSectionId, SectionState>;
  /** True when the whole chart came from the in-memory cache. */
  fromCache: boolean;
}

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

/** FHIR Quantity.comparator: the value is a bound, not a measurement ("<5 mg/dL"). */
export type QuantityComparator = '<' | '<=' | '>=' | '>';

export interface Quantity {
  value: number;
  unit: string | null;
  /** Set when the EHR sent a bound: shown before the value, and never charted as if exact. */
  comparator?: QuantityComparator;
}

/** An identifier of the patient other than the MRN, shown only on request. */
export interface PatientIdentifier {
  label: string;
  /** As shown: a sensitive number (SSN, driver's licence, passport) keeps only its last four characters. */
  value: string;
  sensitive: boolean;
}

export interface PatientBanner {
  id: string;
  /** The current name (an ended or old name is never chosen while a current one exists). */
  name: string;
  birthDate: string | null;
  /** Whole years at the time of mapping, or at death for a deceased patient; null without a birth date. */
  ageYears: number | null;
  sex: string | null;
  deceased: boolean;
  /** The date of death when the EHR gave one. */
  deceasedDate: string | null;
  mrn: string | null;
  identifiers: PatientIdentifier[];
  /** Patient.active false: a record no longer in use. */
  inactive: boolean;
  /** The record this one was merged into (Patient.link replaced-by), as the EHR referenced it. */
  replacedBy: string | null;
}

export interface PatientSearchResult {
  id: string;
  name: string;
  birthDate: string | null;
  sex: string | null;
  mrn: string | null;
}

/** A patient opened since the app started, on one of the signed-in connections (memory only, in main). */
export interface RecentPatient extends PatientSearchResult {
  connectionId: string;
  /** When the chart was opened (ISO time). */
  openedAt: string;
}
/** What an empty patient search is told, by the renderer and by main alike. */
export const EMPTY_PATIENT_QUERY = 'Give a name, a birth date or an identifier.';

export interface PatientSearchQuery {
  name?: string;
  birthDate?: string;
  identifier?: string;
}

/** Vital sign kinds ChartDesk charts, keyed by their LOINC codes in the mapper. */
export type VitalKind =
  'heart-rate' | 'blood-pressure' | 'temperature' | 'respiratory-rate' | 'spo2' | 'weight' | 'height' | 'bmi' | 'other';

/**
 * Who decided that a result is flagged: the EHR with a standard interpretation code (HL7 v3
 * ObservationInterpretation), the EHR with text or a local code's display only (shown, never
 * highlighted), or ChartDesk itself (computed, e.g. from the reference range: issue 18).
 */
export type FlagSource = 'ehr-coded' | 'ehr-text' | 'computed';

export interface ResultFlag {
  /** Words for the clinician: "High", "Critical low", "Abnormal", or the EHR's own text. */
  text: string;
  /** The standard interpretation code (H, L, HH…), null when the EHR gave none. */
  code: string | null;
  /** Highlighted as abnormal: only a standard code that means abnormal, or a computed flag, says so. */
  abnormal: boolean;
  source: FlagSource;
  /** What a computed flag was computed against: the EHR's reference range, or a documented adult range (vital signs). */
  basis?: 'reference-range' | 'adult-range';
}

export interface ObservationComponent {
  code: CodedText;
  value: Quantity | null;
  valueText: string | null;
}

export interface ObservationRow {
  id: string;
  kind: VitalKind | 'lab';
  code: CodedText;
  effective: string | null;
  /**
   * `effective` in ms since the epoch, null when absent or unreadable: parsed once, in main, where the row is made,
   * so the renderer sorts, charts and picks the latest of 10,000 readings without parsing a date.
   */
  time: number | null;
  /** A number when the value is numeric (also a valueString that is a plain number); charted in trends. */
  value: Quantity | null;
  /** The value as text when it is not a quantity (valueCodeableConcept, valueString, dataAbsentReason). */
  valueText: string | null;
  components: ObservationComponent[];
  /** The first reference range as the EHR wrote it (its text), else "low–high unit". */
  referenceRange: string | null;
  flag: ResultFlag | null;
  /** FHIR Observation.status: registered, preliminary, final, amended, corrected… (entered-in-error and cancelled are never rows). */
  status: string;
  /** Written from ChartDesk (this session's write, or a resource carrying the identifier ChartDesk mints). */
  fromChartDesk?: boolean;
  /** The reference range as numbers in the value's unit, when it can be compared with the value (drawn on trends). */
  referenceBand?: ReferenceBand;
  /** The lab panel (DiagnosticReport) that lists this result; absent when none does or reports were not readable. */
  panel?: LabPanel;
}

export interface ReferenceBand {
  low: number | null;
  high: number | null;
}

/** A DiagnosticReport that groups results (a Basic Metabolic Panel, a CBC). */
export interface LabPanel {
  id: string;
  name: CodedText;
  /** The report's effective time, else when it was issued. */
  date: string | null;
}

/** Condition.category as ChartDesk groups it: the problem list (also when uncategorised), encounter diagnoses, health concerns. */
export type ConditionCategory = 'problem-list-item' | 'encounter-diagnosis' | 'health-concern';

export interface ProblemRow {
  id: string;
  code: CodedText;
  category: ConditionCategory;
  clinicalStatus: string | null;
  /** Condition.severity in words (severe, moderate, mild); orders the problem list with the onset. */
  severity: string | null;
  /** Condition.verificationStatus (confirmed, unconfirmed, provisional, differential, refuted); entered-in-error is never a row. */
  verificationStatus: string | null;
  onset: string | null;
  /** onset[x] when it is not a date: an age ("age 52 years"), a range or the EHR's text. */
  onsetText: string | null;
  abatement: string | null;
  abatementText: string | null;
  recorded: string | null;
  /** The id of the Encounter it was recorded at (Condition.encounter), to list it with that encounter. */
  encounterId: string | null;
}

export interface MedicationRow {
  id: string;
  medication: CodedText;
  /** Every instruction in full (the sig as the EHR wrote it, else built from its parts), joined by "; ". */
  dosage: string | null;
  /** The first instruction's parts when the EHR structured them: "1 tablet", "Oral", "2 times per day, as needed". */
  dose: string | null;
  route: string | null;
  frequency: string | null;
  status: string;
  intent: string | null;
  /** Reported by the patient or another source (a home medication), not an order placed here. */
  reported: boolean;
  prescriber: string | null;
  authoredOn: string | null;
  /** Written from ChartDesk (this session's write, or a resource carrying the identifier ChartDesk mints). */
  fromChartDesk?: boolean;
}

/**
 * An AllergyIntolerance that says something about allergies as a whole rather than naming one:
 * "no known allergy" (SNOMED 716186003 and its drug, food and environmental kin) or "not asked"
 * (Epic's "Not on File", SNOMED 1631000175102). Shown as a statement, never as an allergy.
 */
export type AllergyStatement =
  | 'no-known-allergies'
  | 'no-known-drug-allergies'
  | 'no-known-food-allergies'
  | 'no-known-environmental-allergies'
  | 'not-recorded';

export interface AllergyRow {
  id: string;
  substance: CodedText;
  reactions: string[];
  criticality: string | null;
  clinicalStatus: string | null;
  /** confirmed, unconfirmed, presumed, refuted (entered-in-error is never a row). */
  verificationStatus: string | null;
  statement: AllergyStatement | null;
  recorded: string | null;
}

export interface ImmunizationRow {
  id: string;
  vaccine: CodedText;
  occurrence: string | null;
  /** occurrenceString ("January 2012") when the EHR gave text instead of a date. */
  occurrenceText: string | null;
  status: string;
}

export interface EncounterRow {
  id: string;
  type: CodedText;
  /** The class in words: its display, else the name of a standard v3 ActCode; null rather than a bare local code. */
  classLabel: string | null;
  status: string;
  start: string | null;
  end: string | null;
  /** meta.lastUpdated, shown (marked as such) only when the encounter has no date of its own. */
  recordUpdated: string | null;
  /** The first reason and location (the timeline's line); the service provider when no location is named. */
  reason: string | null;
  location: string | null;
  /** Every reason (coded, or a referenced condition's name) and every location, each once. */
  reasons: string[];
  locations: string[];
  serviceProvider: string | null;
  /** Who took part (attender, performer…), named from the reference, its contained resource or a read by main. */
  participants: EncounterParticipant[];
  /** Encounter.diagnosis, by rank; the Conditions recorded at this encounter are linked by ProblemRow.encounterId. */
  diagnoses: EncounterDiagnosis[];
}

export interface EncounterParticipant {
  name: string;
  /** Each participation type in words ("admitter", "attender", "Surgeon"): Epic lists one person once per role. */
  roles: string[];
}

export interface EncounterDiagnosis {
  /** The Condition's id when referenced on this EHR, to name it from the problems section. */
  conditionId: string | null;
  /** The reference's display or a contained Condition's code; null when only the id is known (HL7's f203). */
  name: string | null;
  /** Its use in words (admission, discharge, chief complaint, billing); null when not given. */
  use: string | null;
  rank: number | null;
}

/**
 * One attachment of a document (DocumentReference.content, DiagnosticReport.presentedForm), described but not
 * carried: its content is read when the clinician opens it (`chart:attachment`), never kept with the rows.
 */
export interface AttachmentSummary {
  /** Its position in the resource's list, which names it when it is opened. */
  index: number;
  /** The media type without parameters, lower case ("text/html"); null when the EHR gave none. */
  contentType: string | null;
  title: string | null;
  /** Bytes, as the EHR declared them or as its inline data measures; null when unknown. */
  size: number | null;
  /** Inline in the resource (base64), by URL (a Binary on the EHR, or another server), or neither. */
  source: 'inline' | 'url' | 'none';
}

/** A clinical note (DocumentReference) or a report with its document (DiagnosticReport.presentedForm). */
export interface DocumentRow {
  id: string;
  /** The resource's own id, null when the EHR sent none (such a document cannot be read again to open it). */
  resourceId: string | null;
  /** DocumentReference.type or DiagnosticReport.code: "Progress note", "XR Chest 2 Views". */
  type: CodedText;
  /** The category in words (Clinical Note, Radiology); null when absent or only a data-absent reason. */
  category: string | null;
  /** When: the period of care documented, else when it was written (or the report's effective time, else issued). */
  date: string | null;
  author: string | null;
  /** DocumentReference.status (current, superseded) or DiagnosticReport.status (final, preliminary, amended…). */
  status: string;
  /** DocumentReference.docStatus (preliminary, final, amended); null for reports and when not given. */
  docStatus: string | null;
  /** DocumentReference.description or DiagnosticReport.conclusion. */
  description: string | null;
  attachments: AttachmentSummary[];
  /** The encounters it was written for, by id, to list it with their details. */
  encounterIds: string[];
  /** Written from ChartDesk (this session's write, or one the audit trail knows): notes only. */
  fromChartDesk?: boolean;
}

export interface ProcedureRow {
  id: string;
  code: CodedText;
  /** preparation, in-progress, not-done, on-hold, stopped, completed, unknown (entered-in-error is never a row). */
  status: string;
  /** performed[x] as a date: performedDateTime or the start of performedPeriod. */
  performed: string | null;
  performedEnd: string | null;
  /** performed[x] when it is not a date: performedString, an age or a range. */
  performedText: string | null;
  performer: string | null;
  reason: string | null;
  bodySite: string | null;
}

export interface SectionRows {
  vitals: ObservationRow;
  labs: ObservationRow;
  problems: ProblemRow;
  medications: MedicationRow;
  allergies: AllergyRow;
  immunizations: ImmunizationRow;
  encounters: EncounterRow;
  notes: DocumentRow;
  reports: DocumentRow;
  procedures: ProcedureRow;
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
  /** Server's total when it is a real total (not a page size). */
  total: number | null;
  /**
   * Entries of this page left out because the EHR sent them for another patient; the section warns while any were.
   * Never shown, only counted: a server that ignores the patient filter answers with other people's records.
   */
  otherPatient: number;
  /**
   * While the section loads: every row dated at or after this instant has been delivered, so a
   * newer row can no longer come (the rows still to come are older, or undated). Null while newer
   * rows may still come: the latest value shown so far may not be the latest.
   */
  newestSince: string | null;
  /** Messages the EHR sent with this page (OperationOutcome warnings: results it withheld), in words for the clinician. */
  notices: string[];
  /**
   * Records of this patient newly left out on this page because the EHR marks them withdrawn (entered in error,
   * cancelled), by status: each counted once per load, the section says how many are not shown.
   */
  withdrawn: WithdrawnCounts;
}

/**
 * The statuses by which an EHR says a record never happened or was taken back (FHIR R4 `entered-in-error` on every
 * type, `cancelled` on results and reports): such a record is never a row, only counted (main/chart/mappers/withdrawn.ts).
 */
export type WithdrawnStatus = 'entered-in-error' | 'cancelled';

export type WithdrawnCounts = Record<WithdrawnStatus, number>;

export interface ChartOpenRequest {
  connectionId: string;
  patientId: string;
  /** Read everything from the EHR again, whatever the cache holds (the Refresh action). */
  refresh?: boolean;
}

/** What opening a chart answers at once; the sections follow as SectionPage events. */
export interface ChartOpened {
  loadId: string;
  banner: PatientBanner;
  /** Sections that will stream; the rest are 'not-granted'. */
  sections: Record<ChartSectionId, SectionState>;
  /** True when the whole chart came from the in-memory cache. */
  fromCache: boolean;
  /** When the chart's data was read from the EHR (ISO time): now, or when the cached chart was loaded. */
  asOf: string;
  /**
   * True when the EHR could not be reached and the chart is shown from the cache: it may be out of date.
   * (The patient's record is read again on every open, even when the sections come from the cache.)
   */
  offline: boolean;
}

/** The resources whose attachments the clinician can open. */
export type DocumentSource = 'DocumentReference' | 'DiagnosticReport';

/** Which attachment to open: of which document, for which patient (main checks that the document names that patient). */
export interface AttachmentRequest {
  patientId: string;
  resourceType: DocumentSource;
  id: string;
  index: number;
}

/** How the viewer shows an attachment (common/attachments.ts decides from its media type). */
export type AttachmentFormat = 'text' | 'html' | 'pdf';

/**
 * An attachment's content as main read it from the EHR. HTML arrives as the EHR wrote it and is sanitized by the
 * renderer before it is shown (docs/SECURITY.md); a PDF arrives as base64 and is drawn by pdf.js in the renderer.
 */
export interface AttachmentContent {
  patientId: string;
  resourceType: DocumentSource;
  id: string;
  index: number;
  format: AttachmentFormat;
  contentType: string;
  /** The decoded text of a text or HTML attachment. */
  text: string | null;
  /** A PDF's bytes, base64. */
  base64: string | null;
  /** Decoded bytes. */
  size: number;
}

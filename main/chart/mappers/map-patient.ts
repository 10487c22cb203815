import type { PatientBanner, PatientIdentifier, PatientSearchResult } from '../../../common/chart';
import {
  arr,
  conceptText,
  fhirDate,
  hasCoding,
  humanName,
  isBeforeToday,
  type Json,
  obj,
  resourceId,
  resourceOf,
  str,
  UNKNOWN,
} from '../../fhir/fhir-read';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** US Social Security numbers: the FHIR identifier system, and the OID Epic sends (the same namespace). */
const SSN_SYSTEMS = new Set(['http://hl7.org/fhir/sid/us-ssn', 'urn:oid:2.16.840.1.113883.4.1']);
/** v2-0203 identifier types never shown in full: SSN, driver's licence, passport. */
const SENSITIVE_TYPES = ['SS', 'DL', 'PPN'];
/**
 * Identifier types that mean "medical record number" when an EHR types its identifiers by text only:
 * Epic labels its MRN "EPI" (or "MRN") in `type.text`, with no v2 `MR` coding.
 */
const MRN_TYPE_TEXTS = new Set(['MRN', 'MR', 'EPI', 'MEDICAL RECORD NUMBER']);
/** Labels for identifier systems that arrive without a type. */
const SYSTEM_LABELS: Record<string, string> = {
  'http://hl7.org/fhir/sid/us-ssn': 'SSN',
  'urn:oid:2.16.840.1.113883.4.1': 'SSN',
  'http://hl7.org/fhir/sid/us-mbi': 'Medicare number',
  'http://hl7.org/fhir/sid/us-npi': 'NPI',
};

/** Patient → banner. `today` is injected so ages are testable; null for anything not a Patient. */
export function mapPatientBanner(value: unknown, today: Date): PatientBanner | null {
  const patient = resourceOf(value, 'Patient');
  if (!patient) return null;
  const birthDate = fhirDate(patient.birthDate);
  const deceasedDate = fhirDate(patient.deceasedDateTime);
  const deceased = patient.deceasedBoolean === true || deceasedDate !== null;
  // A deceased patient's age is their age at death; without a date of death it is not known.
  const ageAt = deceased ? (deceasedDate ? endOfDay(deceasedDate) : null) : today;
  return {
    id: resourceId(patient),
    name: patientName(patient, today),
    birthDate,
    ageYears: birthDate && ageAt ? ageInYears(birthDate, ageAt) : null,
    sex: str(patient.gender),
    deceased,
    deceasedDate,
    mrn: medicalRecordNumber(patient, today),
    identifiers: otherIdentifiers(patient, today),
    inactive: patient.active === false,
    replacedBy: replacedBy(patient),
  };
}

/** A merged record points to the one that replaced it (Oracle Health: an inactive Patient with link replaced-by). */
function replacedBy(patient: Json): string | null {
  const link = arr(patient.link)
    .map(obj)
    .find((item) => item?.type === 'replaced-by');
  return str(obj(link?.other)?.reference) ?? str(obj(link?.other)?.display);
}

export function mapPatientSearchResult(value: unknown, today: Date = new Date()): PatientSearchResult | null {
  const patient = resourceOf(value, 'Patient');
  if (!patient) return null;
  return {
    id: resourceId(patient),
    name: patientName(patient, today),
    birthDate: fhirDate(patient.birthDate),
    sex: str(patient.gender),
    mrn: medicalRecordNumber(patient, today),
  };
}

/** The patient's current display name (`humanName`), "Unknown" without one. */
export function patientName(patient: Json, today: Date = new Date()): string {
  return humanName(patient.name, today) ?? UNKNOWN;
}

/** Whole years between a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) and a day; null when that day is before the birth. */
export function ageInYears(birthDate: string, today: Date): number | null {
  const [year, month = 1, day = 1] = birthDate.slice(0, 10).split('-').map(Number);
  if (year === undefined || !Number.isFinite(year)) return null;
  let age = today.getUTCFullYear() - year;
  const beforeBirthday = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 ? age : null;
}

/** The last day a FHIR date covers, as a Date (a year of death counts to its end: no age is overstated by a day). */
function endOfDay(date: string): Date | null {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  if (year === undefined || !Number.isFinite(year)) return null;
  if (month === undefined) return new Date(Date.UTC(year, 11, 31));
  if (day === undefined) return new Date(Date.UTC(year, month, 0));
  return new Date(Date.UTC(year, month - 1, day));
}

function identifierEntries(patient: Json): Json[] {
  return arr(patient.identifier)
    .map(obj)
    .filter((identifier): identifier is Json => identifier !== null && str(identifier.value) !== null);
}

function isMrn(identifier: Json): boolean {
  if (hasCoding(identifier.type, V2_0203, ['MR']) || hasCoding(identifier.type, null, ['MR'])) return true;
  const text = str(obj(identifier.type)?.text);
  return text !== null && MRN_TYPE_TEXTS.has(text.toUpperCase());
}

/** The MRN: a current one first (Oracle Health lists an ended MRN beside the current one), then any. */
function medicalRecordNumber(patient: Json, today: Date): string | null {
  const mrns = identifierEntries(patient).filter(isMrn);
  const current = mrns.find((identifier) => !isBeforeToday(obj(identifier.period)?.end, today));
  return str((current ?? mrns[0])?.value);
}

/** Every identifier but the MRN shown, labelled by its type (text or display), else a known system's name or the system. */
function otherIdentifiers(patient: Json, today: Date): PatientIdentifier[] {
  const mrn = medicalRecordNumber(patient, today);
  return identifierEntries(patient)
    .filter((identifier) => !(isMrn(identifier) && str(identifier.value) === mrn))
    .map((identifier) => {
      const value = str(identifier.value) ?? '';
      const sensitive = isSensitive(identifier);
      return { label: identifierLabel(identifier), value: sensitive ? maskAllButLast4(value) : value, sensitive };
    });
}

/** Its type's words, else a known system's name, else the host of a URL system ("Identifier (github.com)"), else the system. */
function identifierLabel(identifier: Json): string {
  const typed = conceptText(identifier.type);
  const system = str(identifier.system);
  if (typed) return typed;
  if (!system) return 'Identifier';
  const host = /^https?:\/\/([^/]+)/.exec(system)?.[1];
  return SYSTEM_LABELS[system] ?? (host ? `Identifier (${host})` : system);
}

/** A banner is seen over shoulders: an SSN, driver's licence or passport number shows its last four characters only. */
function isSensitive(identifier: Json): boolean {
  return SSN_SYSTEMS.has(str(identifier.system) ?? '') || hasCoding(identifier.type, V2_0203, SENSITIVE_TYPES);
}

function maskAllButLast4(value: string): string {
  return value.replace(/[A-Za-z0-9](?=(?:[^A-Za-z0-9]*[A-Za-z0-9]){4})/g, '•');
}

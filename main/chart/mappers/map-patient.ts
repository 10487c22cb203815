import type { PatientBanner, PatientSearchResult } from '../../../common/chart';
import {
  arr,
  conceptText,
  fhirDate,
  hasCoding,
  humanName,
  type Json,
  obj,
  resourceId,
  resourceOf,
  str,
  UNKNOWN,
} from '../../fhir/fhir-read';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Patient → banner. `today` is injected so ages are testable; null for anything not a Patient. */
export function mapPatientBanner(value: unknown, today: Date): PatientBanner | null {
  const patient = resourceOf(value, 'Patient');
  if (!patient) return null;
  const birthDate = fhirDate(patient.birthDate);
  return {
    id: resourceId(patient),
    name: patientName(patient),
    birthDate,
    ageYears: birthDate ? ageInYears(birthDate, today) : null,
    sex: str(patient.gender),
    deceased: patient.deceasedBoolean === true || fhirDate(patient.deceasedDateTime) !== null,
    mrn: medicalRecordNumber(patient),
    identifiers: otherIdentifiers(patient),
  };
}

export function mapPatientSearchResult(value: unknown): PatientSearchResult | null {
  const patient = resourceOf(value, 'Patient');
  if (!patient) return null;
  return {
    id: resourceId(patient),
    name: patientName(patient),
    birthDate: fhirDate(patient.birthDate),
    sex: str(patient.gender),
    mrn: medicalRecordNumber(patient),
  };
}

/** The patient's display name (`humanName`), "Unknown" without one. */
export function patientName(patient: Json): string {
  return humanName(patient.name) ?? UNKNOWN;
}

/** Whole years between a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) and today; null when in the future. */
export function ageInYears(birthDate: string, today: Date): number | null {
  const [year, month = 1, day = 1] = birthDate.slice(0, 10).split('-').map(Number);
  if (year === undefined || !Number.isFinite(year)) return null;
  let age = today.getUTCFullYear() - year;
  const beforeBirthday = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 ? age : null;
}

function identifierEntries(patient: Json): Json[] {
  return arr(patient.identifier)
    .map(obj)
    .filter((identifier): identifier is Json => identifier !== null && str(identifier.value) !== null);
}

function isMrn(identifier: Json): boolean {
  return hasCoding(identifier.type, V2_0203, ['MR']) || hasCoding(identifier.type, null, ['MR']);
}

function medicalRecordNumber(patient: Json): string | null {
  const mrn = identifierEntries(patient).find(isMrn);
  return mrn ? str(mrn.value) : null;
}

/** Every identifier but the MRN, labelled by its type (text or display), else its system. */
function otherIdentifiers(patient: Json): Array<{ label: string; value: string }> {
  return identifierEntries(patient)
    .filter((identifier) => !isMrn(identifier))
    .map((identifier) => ({
      label: conceptText(identifier.type) ?? str(identifier.system) ?? 'Identifier',
      value: isSocialSecurityNumber(identifier) ? maskAllButLast4(str(identifier.value) ?? '') : (str(identifier.value) ?? ''),
    }));
}

/** A banner is seen over shoulders: a US SSN shows its last four digits only. */
function isSocialSecurityNumber(identifier: Json): boolean {
  return identifier.system === 'http://hl7.org/fhir/sid/us-ssn' || hasCoding(identifier.type, V2_0203, ['SS']);
}

function maskAllButLast4(value: string): string {
  return value.replace(/[A-Za-z0-9](?=(?:[^A-Za-z0-9]*[A-Za-z0-9]){4})/g, '•');
}

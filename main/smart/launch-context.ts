import { fhirBaseRoot } from '../../common/fhir-base';
import { FHIR_ID } from '../../common/fhir-patterns';

/**
 * The launch context that arrives with a token response (SMART scopes-and-launch-context), with the fallbacks
 * real EHRs need: Oracle Health and healow name the patient only in the id_token's fhirUser.
 */
export interface LaunchContext {
  patientId: string | null;
  encounterId: string | null;
  /** Absolute URL of the user's FHIR resource, or null. */
  fhirUser: string | null;
  /** A display name from the id_token, when it carries one. */
  userDisplayName: string | null;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
}

type Json = Record<string, unknown>;

export function readLaunchContext(tokenResponse: Json, idTokenClaims: Json | null, fhirBaseUrl: string): LaunchContext {
  const fhirUser =
    resolveFhirUser(idTokenClaims?.fhirUser ?? idTokenClaims?.profile, fhirBaseUrl) ?? userOfResponse(tokenResponse, fhirBaseUrl);
  const fhirContext = Array.isArray(tokenResponse.fhirContext) ? tokenResponse.fhirContext : [];
  return {
    patientId: idOrNull(tokenResponse.patient) ?? fromFhirContext(fhirContext, 'Patient') ?? referenceId(fhirUser, 'Patient'),
    encounterId: idOrNull(tokenResponse.encounter) ?? fromFhirContext(fhirContext, 'Encounter'),
    fhirUser,
    userDisplayName: displayName(idTokenClaims),
    // Absent means the app must show its own banner: the safe default.
    needPatientBanner: tokenResponse.need_patient_banner !== false,
    smartStyleUrl: httpUrlOrNull(tokenResponse.smart_style_url),
  };
}

/** A refresh response may repeat the context or leave it out: keep what was known (client-js does the same). */
export function mergeLaunchContext(previous: LaunchContext, tokenResponse: Json, fhirBaseUrl: string): LaunchContext {
  const next = readLaunchContext(tokenResponse, null, fhirBaseUrl);
  return {
    patientId: next.patientId ?? previous.patientId,
    encounterId: next.encounterId ?? previous.encounterId,
    fhirUser: previous.fhirUser,
    userDisplayName: previous.userDisplayName,
    needPatientBanner: 'need_patient_banner' in tokenResponse ? next.needPatientBanner : previous.needPatientBanner,
    smartStyleUrl: next.smartStyleUrl ?? previous.smartStyleUrl,
  };
}

/**
 * The patient a renewal's token response names when it is not the session's: a new context, never to be taken over
 * silently (the chart on screen and the names read belong to the first one). null when it names none or the same.
 */
export function changedPatient(previous: LaunchContext, tokenResponse: Json, fhirBaseUrl: string): string | null {
  const named = readLaunchContext(tokenResponse, null, fhirBaseUrl).patientId;
  return named !== null && named !== previous.patientId ? named : null;
}

function idOrNull(value: unknown): string | null {
  return typeof value === 'string' && FHIR_ID.test(value) ? value : null;
}

function fromFhirContext(items: unknown[], resourceType: string): string | null {
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { reference, role } = item as Json;
    // An absent role means "launch" (INF#191); other roles are not the patient in context.
    if (role !== undefined && role !== 'launch') continue;
    const id = typeof reference === 'string' ? referenceId(reference, resourceType) : null;
    if (id !== null) return id;
  }
  return null;
}

/** The id of a `Type/id` reference, relative or absolute, when it is of the given type. */
export function referenceId(reference: string | null, resourceType: string): string | null {
  if (reference === null) return null;
  const segments = reference
    .split(/[?#]/)[0]!
    .split('/')
    .filter((part) => part !== '');
  const id = segments.at(-1);
  return segments.at(-2) === resourceType && id !== undefined && FHIR_ID.test(id) ? id : null;
}

/** fhirUser, or the older `profile` claim (SMART 1.0), made absolute against the FHIR base (INF#202). */
function resolveFhirUser(value: unknown, fhirBaseUrl: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  try {
    const url = new URL(value, `${fhirBaseRoot(fhirBaseUrl)}/`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Resource types a SMART user can be (fhirUser, SMART App Launch 2). */
const USER_TYPES = ['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson', 'Person'];

/**
 * Without an id_token, the user the token response names, if any: a `fhirUser` member, or `user` (some EHRs send
 * it, not always as a reference). Only a reference to a user resource is taken, never an e-mail or a login name.
 */
function userOfResponse(tokenResponse: Json, fhirBaseUrl: string): string | null {
  for (const value of [tokenResponse.fhirUser, tokenResponse.user]) {
    if (typeof value !== 'string' || !USER_TYPES.some((type) => referenceId(value, type) !== null)) continue;
    const resolved = resolveFhirUser(value, fhirBaseUrl);
    if (resolved !== null) return resolved;
  }
  return null;
}

function displayName(claims: Json | null): string | null {
  const value = claims?.name ?? claims?.preferred_username;
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 120) : null;
}

function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

import { randomUUID } from 'node:crypto';
import { fhirBaseRoot } from '../../common/fhir-base';
import type { FhirResource } from '../fhir/fhir-client';

/**
 * What every resource ChartDesk writes says about who, whom and where, decided by main from the session (never by
 * the renderer): the patient, the encounter in the session's context when it is this patient's, the signed-in user
 * as author or performer.
 */
export interface Authoring {
  patientId: string;
  encounterId: string | null;
  /** The signed-in user as a reference ("Practitioner/123"), null when the EHR did not say who signed in. */
  author: string | null;
  /** When the clinician confirmed the preview's content (ISO), for dates the resource carries. */
  now: string;
}

/**
 * The identifier ChartDesk mints for every resource it creates: a UUID as a URI (FHIR's urn:ietf:rfc:3986 system),
 * the key of the conditional create (If-None-Exist) that lets a retry find the first copy instead of making a second.
 */
export const MINTED_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';

export function mintIdentifier(): { system: string; value: string } {
  return { system: MINTED_IDENTIFIER_SYSTEM, value: `urn:uuid:${randomUUID()}` };
}

/** The If-None-Exist search of a minted identifier. */
export function identifierCondition(identifier: { system: string; value: string }): string {
  return new URLSearchParams({ identifier: `${identifier.system}|${identifier.value}` }).toString();
}

export function subjectOf(authoring: Authoring) {
  return { subject: { reference: `Patient/${authoring.patientId}` } };
}

/**
 * The user as a reference to write: relative when fhirUser lies under the FHIR base ("Practitioner/123"), as EHRs
 * store it; a user of another server is not named (null), since its reference would mean nothing to this one.
 */
export function authorReference(fhirUser: string | null, fhirBaseUrl: string): string | null {
  if (!fhirUser) return null;
  const relative = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
  if (relative.test(fhirUser)) return fhirUser;
  const base = fhirBaseRoot(fhirBaseUrl);
  const rest = fhirUser.startsWith(`${base}/`) ? fhirUser.slice(base.length + 1) : null;
  return rest && relative.test(rest) ? rest : null;
}

export type Created = FhirResource & { identifier: Array<{ system: string; value: string }> };

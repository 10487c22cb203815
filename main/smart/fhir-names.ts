import type { FhirClient } from '../fhir/fhir-client';
import { humanName } from '../fhir/fhir-read';

/**
 * The display name of a resource with a HumanName: the signed-in user (their fhirUser resource, INF#202) or the
 * patient in context. Read through the session's FhirClient, so the access token goes only to the session's own
 * FHIR base, never along a redirect (INF#97, INF#98). Best effort: null when anything goes wrong.
 */
export async function readResourceName(client: FhirClient, reference: string): Promise<string | null> {
  try {
    return humanName((await client.readReference(reference)).name);
  } catch {
    return null;
  }
}

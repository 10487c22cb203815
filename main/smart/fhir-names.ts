import type { FhirClient } from '../fhir/fhir-client';

/**
 * The display name of a resource with a HumanName: the signed-in user (their fhirUser resource, INF#202) or the
 * patient in context. Read through the session's FhirClient, so the access token goes only to the session's own
 * FHIR base, never along a redirect (INF#97, INF#98). Best effort: null when anything goes wrong.
 */
export async function readResourceName(client: FhirClient, reference: string): Promise<string | null> {
  try {
    return humanName(await client.readReference(reference));
  } catch {
    return null;
  }
}

interface HumanName {
  use?: string;
  text?: string;
  given?: string[];
  family?: string;
  prefix?: string[];
}

function humanName(resource: Record<string, unknown>): string | null {
  if (!Array.isArray(resource.name)) return null;
  const names = resource.name as HumanName[];
  const name = names.find((candidate) => candidate.use === 'official') ?? names[0];
  if (!name) return null;
  const text =
    name.text ??
    [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter((part) => typeof part === 'string').join(' ');
  const clean = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  return clean === '' ? null : clean;
}

import { isLoopbackUrl } from '../../common/fhir-base';

/**
 * Display names for the signed-in user (their fhirUser resource, INF#202) and the patient in context. Read
 * with the access token only from URLs under the session's own FHIR base: a token is never sent elsewhere
 * (INF#97, INF#98). Best effort: null when anything goes wrong.
 */
export async function readResourceName(
  fetchImpl: typeof fetch,
  fhirBaseUrl: string,
  resourceUrl: string,
  accessToken: string,
): Promise<string | null> {
  if (!resourceUrl.startsWith(`${fhirBaseUrl}/`)) return null;
  if (!resourceUrl.startsWith('https:') && !isLoopbackUrl(resourceUrl)) return null;
  try {
    const response = await fetchImpl(resourceUrl, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return null;
    return humanName((await response.json()) as { name?: unknown });
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

function humanName(resource: { name?: unknown }): string | null {
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

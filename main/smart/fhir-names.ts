import { isLoopbackUrl } from '../../common/fhir-base';
import { humanName, obj } from '../fhir/fhir-read';

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
    return humanName(obj(await response.json())?.name);
  } catch {
    return null;
  }
}

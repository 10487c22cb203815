/** A searchset Bundle, read into the matches, the includes, the total and the next link. */
import type { FhirResource } from './fhir-client';
import { FhirError } from './fhir-errors';
import { arr, num, obj, str } from './fhir-read';

export interface SearchPage {
  /** Entries with search.mode "match" (or the searched type when the mode is missing). */
  matches: FhirResource[];
  /** Entries brought by _include. */
  included: FhirResource[];
  total: number | null;
  /** The server's next link as given (checked when it is followed), or null on the last page. */
  next: string | null;
}

/** "a Bundle", for messages about an answer of the wrong kind. */
export function describe(body: unknown): string {
  const type = str(obj(body)?.resourceType);
  return type ? `a ${type}` : 'something that is not a FHIR resource';
}

/** Validates a searchset Bundle and splits its entries; entries that are not resources are skipped. */
export function parseSearchBundle(body: unknown, resourceType: string, what: string): SearchPage {
  const bundle = obj(body);
  if (bundle?.resourceType !== 'Bundle') {
    throw new FhirError('malformed', `${what} failed: the EHR answered with ${describe(body)} instead of a Bundle.`);
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new FhirError('malformed', `${what} failed: the Bundle's entries are not a list.`);
  }
  const matches: FhirResource[] = [];
  const included: FhirResource[] = [];
  for (const item of arr(bundle.entry)) {
    const entry = obj(item);
    const resource = obj(entry?.resource);
    if (!resource || typeof resource.resourceType !== 'string') continue;
    const mode = str(obj(entry?.search)?.mode);
    if (mode === 'outcome') continue;
    const isMatch = mode === 'match' || (mode === null && resource.resourceType === resourceType);
    (isMatch ? matches : included).push(resource as FhirResource);
  }
  const total = num(bundle.total);
  const next = arr(bundle.link)
    .map(obj)
    .find((link) => link?.relation === 'next');
  return {
    matches,
    included,
    total: total !== null && total >= 0 ? total : null,
    next: str(next?.url),
  };
}

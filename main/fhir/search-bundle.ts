/** A searchset Bundle, read into the matches, the includes, the total and the next link. */
import type { FhirResource } from './fhir-client';
import { FhirError } from './fhir-errors';
import { arr, num, obj, str } from './fhir-read';

/** One issue of an OperationOutcome a server put in a searchset (a warning beside the results). */
export interface SearchOutcome {
  severity: string | null;
  code: string | null;
  /** The codes of `details.coding` (Epic's 59204: results of a kind the client may not see were left out). */
  detailCodes: string[];
  /** diagnostics, else details.text, else the first detail display. */
  text: string | null;
}

export interface SearchPage {
  /** Entries with search.mode "match" (or the searched type when the mode is missing). */
  matches: FhirResource[];
  /** Entries brought by _include. */
  included: FhirResource[];
  /** Issues of the OperationOutcome entries (search.mode "outcome", or an OperationOutcome in a search of another type). */
  outcomes: SearchOutcome[];
  /** Every entry of the page (matches, included, outcomes): a total equal to it while more pages follow is a page size. */
  entryCount: number;
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
    throw new FhirError(
      'malformed',
      `${what} failed: the EHR answered with something other than a list of results (${describe(body)}).`,
    );
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new FhirError('malformed', `${what} failed: the Bundle's entries are not a list.`);
  }
  const matches: FhirResource[] = [];
  const included: FhirResource[] = [];
  const outcomes: SearchOutcome[] = [];
  for (const item of arr(bundle.entry)) {
    const entry = obj(item);
    const resource = obj(entry?.resource);
    if (!resource || typeof resource.resourceType !== 'string') continue;
    const mode = str(obj(entry?.search)?.mode);
    if (mode === 'outcome' || (resource.resourceType === 'OperationOutcome' && resourceType !== 'OperationOutcome')) {
      outcomes.push(...outcomeIssues(resource));
      continue;
    }
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
    outcomes,
    entryCount: arr(bundle.entry).length,
    total: total !== null && total >= 0 ? total : null,
    next: str(next?.url),
  };
}

function outcomeIssues(outcome: Record<string, unknown>): SearchOutcome[] {
  return arr(outcome.issue)
    .map(obj)
    .filter((issue): issue is Record<string, unknown> => issue !== null)
    .map((issue) => {
      const details = obj(issue.details);
      const coded = arr(details?.coding).map(obj);
      return {
        severity: str(issue.severity),
        code: str(issue.code),
        detailCodes: coded.map((coding) => str(coding?.code)).filter((code): code is string => code !== null),
        text: str(issue.diagnostics) ?? str(details?.text) ?? coded.map((coding) => str(coding?.display)).find(Boolean) ?? null,
      };
    });
}

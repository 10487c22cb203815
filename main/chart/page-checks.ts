import type { SearchOutcome, SearchPage } from '../fhir/fhir-client';

/**
 * What a section learns from each page beyond its rows: the EHR's messages (results it withheld) in
 * words for the clinician, and whether the page's `total` can be believed. Every page of every
 * search of a section passes here.
 */

/** Issue codes that say results were left out (FHIR issue-type suppressed, security, forbidden). */
const WITHHELD_CODES = new Set(['suppressed', 'security', 'forbidden']);
/** Epic's code for "results of a kind this client is not authorized for were not returned". */
const EPIC_NOT_AUTHORIZED = '59204';
const NOT_AUTHORIZED = /not authori[sz]ed/i;

function withheld(outcome: SearchOutcome): boolean {
  return (
    WITHHELD_CODES.has(outcome.code ?? '') ||
    outcome.detailCodes.includes(EPIC_NOT_AUTHORIZED) ||
    NOT_AUTHORIZED.test(outcome.text ?? '')
  );
}

/**
 * The page's OperationOutcome issues as messages for the clinician: results the EHR withheld (Epic:
 * "Client not authorized for Observation - Outside Record Results. Search results of this type have
 * not been included."), and any other warning or error it sent beside the results. Informational
 * issues that withheld nothing are left to the log.
 */
export function pageNotices(page: SearchPage): string[] {
  const notices = page.outcomes.flatMap((outcome) => {
    if (withheld(outcome)) {
      return [`The EHR withheld some results${outcome.text ? `: ${outcome.text}` : ' and did not say which.'}`];
    }
    if ((outcome.severity === 'warning' || outcome.severity === 'error' || outcome.severity === 'fatal') && outcome.text) {
      return [`The EHR noted: ${outcome.text}`];
    }
    return [];
  });
  return [...new Set(notices)];
}

/**
 * The page's `total` when it can be a count of the whole search, else null. Epic and MEDITECH have
 * been seen to send the page's size as `total` while a next link follows ("1000 of 1000 received"
 * with more to come): a total no larger than what has arrived, or equal to this page's entries, while
 * more pages follow, is not a total. Nor is one smaller than what has arrived.
 */
export function believableTotal(page: SearchPage, receivedSoFar: number): number | null {
  const { total } = page;
  if (total === null || total < receivedSoFar) return null;
  if (page.next !== null && (total <= receivedSoFar || total === page.entryCount)) return null;
  return total;
}

import { arr, obj, str } from './fhir-read';

/** Why a FHIR request failed, so callers can choose a state and the clinician gets a clear message. */
export type FhirErrorKind =
  | 'http' // the server answered with an error status
  | 'auth' // 401 even after a refresh, or no usable session
  | 'rate-limited' // 429/503 beyond the retry budget
  | 'network' // connection refused, reset or dropped
  | 'timeout'
  | 'cancelled'
  | 'malformed' // not JSON, or JSON of the wrong shape
  | 'too-large'
  | 'untrusted-link'; // a link or reference that leaves the FHIR server

/** A failed FHIR request. The message is safe to show: it never holds a token, a header or a query string. */
export class FhirError extends Error {
  constructor(
    readonly kind: FhirErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The issues of the OperationOutcome the EHR answered with, in words (outcomeDetails), for a refused write. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'FhirError';
  }
}

/** What the clinician reads when the session ended under a request, whichever part of ChartDesk noticed. */
export const SESSION_ENDED_MESSAGE = 'The session with this EHR has ended. Sign in again.';

export function isFhirError(error: unknown, ...kinds: FhirErrorKind[]): error is FhirError {
  return error instanceof FhirError && (kinds.length === 0 || kinds.includes(error.kind));
}

/**
 * The readable part of an OperationOutcome: each issue as "severity: details text (or diagnostics,
 * or code)", joined by "; ". Null when the body is not an OperationOutcome or says nothing.
 */
export function operationOutcomeText(body: unknown): string | null {
  const outcome = obj(body);
  if (outcome?.resourceType !== 'OperationOutcome') return null;
  const issues = arr(outcome.issue)
    .map(obj)
    .map((issue) => {
      const what = str(obj(issue?.details)?.text) ?? str(issue?.diagnostics) ?? str(issue?.code);
      if (!what) return null;
      const severity = str(issue?.severity);
      return severity ? `${severity}: ${what}` : what;
    })
    .filter((text): text is string => text !== null);
  return issues.length > 0 ? truncate(issues.join('; '), 500) : null;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const STATUS_MEANING: Record<number, string> = {
  400: 'the request was refused',
  403: 'access was refused',
  404: 'nothing was found',
  410: 'the record was deleted',
  422: 'the request could not be processed',
  429: 'too many requests',
  500: 'the server failed',
  502: 'a gateway failed',
  503: 'the server is unavailable',
  504: 'a gateway timed out',
};

/** What each resource type is to a clinician: errors name the record, never the FHIR type ("Reading Patient"). */
const RESOURCE_WORDS: Record<string, { one: string; many: string }> = {
  Patient: { one: "the patient's record", many: 'patients' },
  Observation: { one: 'a result', many: 'results' },
  Condition: { one: 'a problem', many: 'problems' },
  MedicationRequest: { one: 'a medication order', many: 'medications' },
  Medication: { one: 'a medication', many: 'medications' },
  AllergyIntolerance: { one: 'an allergy', many: 'allergies' },
  Immunization: { one: 'an immunization', many: 'immunizations' },
  Encounter: { one: 'an encounter', many: 'encounters' },
  DiagnosticReport: { one: 'a report', many: 'reports' },
  DocumentReference: { one: 'a note', many: 'notes' },
  Procedure: { one: 'a procedure', many: 'procedures' },
  Practitioner: { one: "a clinician's name", many: 'clinicians' },
  PractitionerRole: { one: "a clinician's role", many: 'clinicians' },
  Organization: { one: "an organization's name", many: 'organizations' },
  Binary: { one: 'a document', many: 'documents' },
};

/** "Reading the patient's record", "Looking up problems": what a request was doing, in plain words. */
export function requestWords(resourceType: string, action: 'read' | 'search'): string {
  const words = RESOURCE_WORDS[resourceType];
  if (action === 'read') return `Reading ${words?.one ?? 'a record'}`;
  return `Looking up ${words?.many ?? 'records'}`;
}

/** "Looking up results failed: the server failed (HTTP 500). error: database offline" */
export function httpErrorMessage(what: string, status: number, body: unknown): string {
  const meaning = STATUS_MEANING[status] ?? 'the server answered with an error';
  const outcome = operationOutcomeText(body);
  return `${what} failed: ${meaning} (HTTP ${status}).${outcome ? ` ${outcome}` : ''}`;
}

/**
 * An OperationOutcome's error issues, one sentence each: what it says (details.text, else diagnostics, else its
 * code), then where ("at Observation.valueQuantity.code"); informational issues aside. At most ten, each at most 300
 * characters. Empty when the body is not an OperationOutcome.
 */
export function outcomeDetails(body: unknown): string[] {
  const outcome = obj(body);
  if (outcome?.resourceType !== 'OperationOutcome') return [];
  return arr(outcome.issue)
    .map(obj)
    .filter((issue): issue is Record<string, unknown> => issue !== null && str(issue.severity) !== 'information')
    .map((issue) => {
      const what = str(obj(issue.details)?.text) ?? str(issue.diagnostics) ?? str(issue.code) ?? 'no reason given';
      const where = arr(issue.expression).map(str).find(Boolean) ?? arr(issue.location).map(str).find(Boolean);
      return truncate(where ? `${what} (at ${where})` : what, 300);
    })
    .slice(0, 10);
}

/** FHIR errors as OperationOutcome, the body of every error the FHIR server sends. */
export type IssueCode =
  | 'invalid'
  | 'too-long'
  | 'not-found'
  | 'not-supported'
  | 'forbidden'
  | 'login'
  | 'expired'
  | 'exception'
  | 'throttled'
  | 'transient';

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function operationOutcome(code: IssueCode, diagnostics: string, severity: 'error' | 'fatal' = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

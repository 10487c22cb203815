/** FHIR errors as OperationOutcome, the body of every error the FHIR server sends. */
export type IssueCode =
  | 'invalid'
  | 'required'
  | 'value'
  | 'code-invalid'
  | 'structure'
  | 'too-long'
  | 'not-found'
  | 'not-supported'
  | 'forbidden'
  | 'login'
  | 'expired'
  | 'conflict'
  | 'duplicate'
  | 'exception'
  | 'throttled'
  | 'transient';

/** One issue of an OperationOutcome: what is wrong, and where (a FHIRPath expression), as validators report it. */
export interface OutcomeIssue {
  code: IssueCode;
  diagnostics: string;
  expression?: string;
}

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Every issue, when there is more than one (a validation); the message then sums them up. */
    readonly issues: OutcomeIssue[] = [],
  ) {
    super(message);
  }
}

export function operationOutcome(code: IssueCode, diagnostics: string, severity: 'error' | 'fatal' = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

/** The outcome of an error: its issues one by one, or its message as the one issue. */
export function errorOutcome(error: FhirError) {
  if (error.issues.length === 0) return operationOutcome(error.code, error.message);
  return {
    resourceType: 'OperationOutcome',
    issue: error.issues.map((issue) => ({
      severity: 'error',
      code: issue.code,
      diagnostics: issue.diagnostics,
      ...(issue.expression ? { expression: [issue.expression] } : {}),
    })),
  };
}

/** What a FHIR route answers: a status, a JSON body (an OperationOutcome for errors), extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

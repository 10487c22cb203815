import type { FhirClient, FhirResource, FhirWriteAnswer } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import { type Json, obj, str } from '../fhir/fhir-read';

/** One create or update, as the draft holds it (common/writes.ts OutgoingRequest, before serialization). */
export interface WriteSend {
  method: 'POST' | 'PUT';
  /** Under the FHIR base: "Observation", "MedicationRequest/123". */
  path: string;
  condition: { header: 'If-None-Exist' | 'If-Match'; value: string };
  resource: FhirResource;
}

export interface WriteAnswer {
  status: number;
  /** The stored resource when the EHR returned it (it may answer with headers only). */
  resource: Json | null;
  id: string | null;
  versionId: string | null;
}

/** A write the EHR answered with an error: the status, and its OperationOutcome's issues in words. */
export class WriteRefusedError extends FhirError {
  constructor(message: string, status: number, details: string[]) {
    super('http', message, status, details);
    this.name = 'WriteRefusedError';
  }
}

const LOCATION = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?\/?$/;

/**
 * Sends a draft's creates and updates through the session's FHIR client (the one path of the access token: no
 * redirect followed, one renewal after a 401, no other retry), and says what went wrong in words for the clinician.
 */
export function createFhirWriter(client: FhirClient) {
  async function send(request: WriteSend): Promise<WriteAnswer> {
    let answer: FhirWriteAnswer;
    try {
      answer = await client.write({
        method: request.method,
        path: request.path,
        headers: { [request.condition.header]: request.condition.value },
        body: JSON.stringify(request.resource),
      });
    } catch (error) {
      throw inWords(error);
    }
    const resource = obj(answer.json)?.resourceType === request.resource.resourceType ? obj(answer.json) : null;
    const location = LOCATION.exec(answer.location ?? '');
    const etag = /^(?:W\/)?"([^"]+)"$/.exec(answer.etag?.trim() ?? '')?.[1] ?? null;
    return {
      status: answer.status,
      resource,
      id: str(resource?.id) ?? location?.[2] ?? null,
      versionId: str(obj(resource?.meta)?.versionId) ?? etag ?? location?.[3] ?? null,
    };
  }
  return { send };
}

/** A failed write as the clinician reads it: what happened, and whether Retry is safe (it always is: see above). */
function inWords(error: unknown): unknown {
  if (!(error instanceof FhirError)) return error;
  switch (error.kind) {
    case 'timeout':
      return new FhirError(
        'timeout',
        'The EHR did not answer in time. It may or may not have saved it; Retry cannot make a second copy.',
      );
    case 'network':
      return new FhirError(
        'network',
        'The EHR could not be reached or dropped the connection. Nothing is lost: check the network, then Retry.',
      );
    case 'auth':
      return new FhirError('auth', `${error.message} Your draft is kept.`, error.status);
    case 'http':
    case 'rate-limited':
      return error.status === null ? error : refusal(error.status, error.details);
    default:
      return error;
  }
}

const REFUSALS: Record<number, string> = {
  400: 'The EHR refused the request as malformed.',
  403: 'The EHR did not allow ChartDesk to make this change. Ask your EHR administrator.',
  404: 'The EHR no longer has this record.',
  409: 'The EHR reports a conflict with another change.',
  410: 'The EHR has deleted this record.',
  412: 'Someone changed this record in the EHR since it was read. Reload the chart and look again before you act.',
  422: 'The EHR did not accept the content.',
  429: 'The EHR is busy. Wait a moment, then Retry.',
  503: 'The EHR is unavailable for now. Wait a moment, then Retry.',
};

function refusal(status: number, details: string[]): WriteRefusedError {
  const base =
    REFUSALS[status] ??
    (status >= 500
      ? 'The EHR failed while saving. Nothing is lost: Retry, and call your EHR support if it keeps failing.'
      : `The EHR refused the request (HTTP ${status}).`);
  return new WriteRefusedError(`${base}${details.length > 0 ? ' Its reasons are listed below.' : ''}`, status, details);
}

import { underFhirBase } from '../../common/fhir-base';
import type { FhirResource, TokenSource } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import { arr, type Json, obj, str } from '../fhir/fhir-read';
import type { Logger } from '../logging/logger';

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
  constructor(
    message: string,
    status: number,
    readonly details: string[],
  ) {
    super('http', message, status);
    this.name = 'WriteRefusedError';
  }
}

export interface FhirWriterDeps {
  baseUrl: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  log: Logger;
  timeoutMs?: number;
}

const FHIR_JSON = 'application/fhir+json';
/** A write's answer is one resource or an OperationOutcome: anything larger is not read. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const LOCATION = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?\/?$/;

/**
 * Sends creates and updates. Never retried here, except once after a 401 with a renewed token (the same rule as
 * reads): whether a failed write may be sent again is the clinician's choice (Retry), made safe by its condition.
 * No redirect is followed, so the token goes to the FHIR base only.
 */
export function createFhirWriter(deps: FhirWriterDeps) {
  const timeoutMs = deps.timeoutMs ?? 30_000;

  async function token(): Promise<string> {
    try {
      return await deps.tokens.getAccessToken();
    } catch {
      throw new FhirError('auth', 'The session with this EHR has ended. Sign in again; your draft is kept.');
    }
  }

  async function once(request: WriteSend, bearer: string): Promise<{ response: Response; text: string }> {
    const url = underFhirBase(deps.baseUrl, request.path);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await deps.fetch(url, {
        method: request.method,
        headers: {
          accept: FHIR_JSON,
          'content-type': FHIR_JSON,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          [request.condition.header.toLowerCase()]: request.condition.value,
        },
        body: JSON.stringify(request.resource),
        signal,
        redirect: 'manual',
      });
      return { response, text: await limitedText(response) };
    } catch (error) {
      if (error instanceof FhirError) throw error;
      const timedOut = signal.aborted;
      deps.log.warn('write.network-error', { method: request.method, path: request.path.split('/')[0], timedOut });
      throw new FhirError(
        timedOut ? 'timeout' : 'network',
        timedOut
          ? `The EHR did not answer within ${Math.round(timeoutMs / 1000)} s. It may or may not have saved it; Retry cannot make a second copy.`
          : 'The EHR could not be reached or dropped the connection. Nothing is lost: check the network, then Retry.',
      );
    }
  }

  async function send(request: WriteSend): Promise<WriteAnswer> {
    let bearer = await token();
    let { response, text } = await once(request, bearer);
    if (response.status === 401) {
      // One renewal, shared with every other request refused the same token; a renewed token refused too ends it.
      const fresh = await deps.tokens.refreshAfterUnauthorized(bearer).catch(() => null);
      if (!fresh) throw new FhirError('auth', 'The EHR no longer accepts this session. Sign in again; your draft is kept.', 401);
      bearer = fresh;
      ({ response, text } = await once(request, bearer));
      if (response.status === 401) {
        await deps.tokens.refreshAfterUnauthorized(bearer).catch(() => null);
        throw new FhirError('auth', 'The EHR no longer accepts this session. Sign in again; your draft is kept.', 401);
      }
    }
    const json = parseJson(text);
    deps.log.info('write.answered', {
      method: request.method,
      resourceType: request.resource.resourceType,
      status: response.status,
    });
    if (response.status >= 300) throw refusal(response.status, json);
    const resource = obj(json)?.resourceType === request.resource.resourceType ? obj(json) : null;
    const location = LOCATION.exec(response.headers.get('location') ?? '');
    const etag = /^(?:W\/)?"([^"]+)"$/.exec(response.headers.get('etag')?.trim() ?? '')?.[1] ?? null;
    return {
      status: response.status,
      resource,
      id: str(resource?.id) ?? location?.[2] ?? null,
      versionId: str(obj(resource?.meta)?.versionId) ?? etag ?? location?.[3] ?? null,
    };
  }

  return { send };
}

async function limitedText(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new FhirError('too-large', 'The EHR answered with more than a write can return; ChartDesk did not read it.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
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

function refusal(status: number, body: unknown): WriteRefusedError {
  const details = outcomeDetails(body);
  const base =
    REFUSALS[status] ??
    (status >= 500
      ? 'The EHR failed while saving. Nothing is lost: Retry, and call your EHR support if it keeps failing.'
      : `The EHR refused the request (HTTP ${status}).`);
  return new WriteRefusedError(`${base}${details.length > 0 ? ' Its reasons are listed below.' : ''}`, status, details);
}

/**
 * An OperationOutcome's error issues in words: what each says (details.text, else diagnostics), then where
 * ("at Observation.valueQuantity.code"); informational issues aside. At most ten, each at most 300 characters.
 */
export function outcomeDetails(body: unknown): string[] {
  const outcome = obj(body);
  if (outcome?.resourceType !== 'OperationOutcome') return [];
  return arr(outcome.issue)
    .map(obj)
    .filter((issue): issue is Json => issue !== null && str(issue.severity) !== 'information')
    .map((issue) => {
      const what = str(obj(issue.details)?.text) ?? str(issue.diagnostics) ?? str(issue.code) ?? 'no reason given';
      const where = arr(issue.expression).map(str).find(Boolean) ?? arr(issue.location).map(str).find(Boolean);
      const text = where ? `${what} (at ${where})` : what;
      return text.length > 300 ? `${text.slice(0, 299)}…` : text;
    })
    .slice(0, 10);
}

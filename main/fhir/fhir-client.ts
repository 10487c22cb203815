import { setTimeout as sleep } from 'node:timers/promises';
import { FHIR_ID, FHIR_ID_PATTERN, FHIR_RESOURCE_TYPE, FHIR_RESOURCE_TYPE_PATTERN } from '../../common/fhir-patterns';
import type { Logger } from '../logging/logger';
import { FhirError, httpErrorMessage, isFhirError, requestWords } from './fhir-errors';
import { arr, num, obj, str } from './fhir-read';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry-policy';

/** The session's access token, supplied by sign-in. The client never stores or logs it. */
export interface TokenSource {
  /** The token; an empty string for an open FHIR endpoint (the `chart` command without a token): no Authorization header then. */
  getAccessToken(): Promise<string>;
  /** Called after a 401: a fresh token, or null when the session cannot be refreshed. */
  refreshAfterUnauthorized(): Promise<string | null>;
}

export type FhirResource = Record<string, unknown> & { resourceType: string };

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
  /** The server gave a next link (checked when it is followed). */
  hasMore: boolean;
}

export interface FhirClientOptions {
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  maxPages: number;
  now: () => number;
}

export const DEFAULT_FHIR_CLIENT_OPTIONS: FhirClientOptions = {
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY_POLICY,
  maxResponseBytes: 64 * 1024 * 1024,
  maxPages: 1_000,
  now: () => Date.now(),
};

export interface FhirClientDeps {
  baseUrl: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  log: Logger;
  options?: Partial<FhirClientOptions>;
}

export interface FhirClient {
  readonly baseUrl: string;
  read(resourceType: string, id: string, signal?: AbortSignal): Promise<FhirResource>;
  /** Reads "Type/id", or an absolute URL under the FHIR base; any other server is refused (INF row 97). */
  readReference(reference: string, signal?: AbortSignal): Promise<FhirResource>;
  /** Every page of a search, following the server's `next` links as given. */
  search(resourceType: string, params: Record<string, string>, signal?: AbortSignal): AsyncGenerator<SearchPage>;
}

const FHIR_JSON = 'application/fhir+json';
/** `Type/id`, relative or absolute: the base before it (absent when relative), the type, the id. */
const REFERENCE = new RegExp(`^(?:(.+)/)?(${FHIR_RESOURCE_TYPE_PATTERN})/(${FHIR_ID_PATTERN})$`);

export function createFhirClient(deps: FhirClientDeps): FhirClient {
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  const base = new URL(baseUrl);
  const options = { ...DEFAULT_FHIR_CLIENT_OPTIONS, ...deps.options };
  let refreshing: Promise<string | null> | null = null;
  /** Clears a response's timeout once its body has been read (the timeout covers the body too). */
  const pendingReleases = new WeakMap<Response, () => void>();
  const timeoutMessage = (what: string) => `${what} timed out after ${Number((options.timeoutMs / 1000).toFixed(1))} s.`;

  /**
   * After a 401: when another request has already refreshed, the current token differs from
   * the one that failed and is used as is; otherwise one refresh, shared by everyone waiting.
   */
  async function tokenAfterUnauthorized(failed: string): Promise<string | null> {
    const current = await deps.tokens.getAccessToken().catch(() => null);
    if (current && current !== failed) return current;
    refreshing ??= deps.tokens.refreshAfterUnauthorized().finally(() => {
      refreshing = null;
    });
    return refreshing.catch(() => null);
  }

  async function accessToken(): Promise<string> {
    try {
      return await deps.tokens.getAccessToken();
    } catch {
      throw new FhirError('auth', 'The session with this EHR has ended. Sign in again.');
    }
  }

  /** GET with the bearer token (INF row 93), one refresh on 401, retries on 429/503/dropped connections. */
  async function getJson(url: string, what: string, signal: AbortSignal | undefined): Promise<unknown> {
    const callerSignal = signal ?? new AbortController().signal;
    let token = await accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await sendOnce(url, token, what, callerSignal);
      } catch (error) {
        if (isFhirError(error, 'network') && attempt < options.retry.maxAttempts) {
          await waitBeforeRetry(backoffDelay(attempt, options.retry), what, 'network', callerSignal);
          continue;
        }
        throw error;
      }
      const { status } = response;
      if (status === 401 && !refreshed) {
        await discard(response);
        refreshed = true;
        const fresh = await tokenAfterUnauthorized(token);
        if (!fresh) throw new FhirError('auth', 'The EHR no longer accepts this session. Sign in again.', 401);
        token = fresh;
        attempt -= 1; // the retry after a refresh does not use up the retry budget
        continue;
      }
      if (status >= 300 && status < 400) {
        await discard(response);
        throw new FhirError(
          'http',
          `${what} failed: the EHR redirected elsewhere (HTTP ${status}); ChartDesk does not follow redirects with the session.`,
          status,
        );
      }
      if (status === 401) {
        await discard(response);
        throw new FhirError('auth', 'The EHR refused the session even after a refresh. Sign in again.', 401);
      }
      if (isRetryableStatus(status) && attempt < options.retry.maxAttempts) {
        const asked = parseRetryAfter(response.headers.get('retry-after'), options.now());
        await discard(response);
        if (asked !== null && asked > options.retry.maxRetryAfterMs) {
          throw new FhirError(
            'rate-limited',
            `${what} failed: the EHR asked to wait ${Math.ceil(asked / 1000)} s before trying again. Try again later.`,
            status,
          );
        }
        await waitBeforeRetry(asked ?? backoffDelay(attempt, options.retry), what, String(status), callerSignal);
        continue;
      }
      const body = await readJsonBody(response, what, callerSignal);
      if (!response.ok) {
        throw new FhirError(
          isRetryableStatus(status) ? 'rate-limited' : 'http',
          httpErrorMessage(what, status, body.json),
          status,
        );
      }
      if (body.error) throw body.error;
      return body.json;
    }
  }

  async function discard(response: Response): Promise<void> {
    await response.body?.cancel().catch(() => undefined);
    pendingReleases.get(response)?.();
  }

  async function waitBeforeRetry(delayMs: number, what: string, reason: string, signal: AbortSignal): Promise<void> {
    deps.log.warn('fhir.retry', { what, reason, delayMs });
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      throw new FhirError('cancelled', `${what} was cancelled.`);
    }
  }

  /** One fetch with its own timeout; the caller's signal cancels it too. The response body is not read here. */
  async function sendOnce(url: string, token: string, what: string, signal: AbortSignal): Promise<Response> {
    if (signal.aborted) throw new FhirError('cancelled', `${what} was cancelled.`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FhirError('timeout', timeoutMessage(what))), options.timeoutMs);
    const onCallerAbort = () => controller.abort(new FhirError('cancelled', `${what} was cancelled.`));
    signal.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onCallerAbort);
    };
    try {
      const response = await deps.fetch(url, {
        method: 'GET',
        headers: token ? { accept: FHIR_JSON, authorization: `Bearer ${token}` } : { accept: FHIR_JSON },
        signal: controller.signal,
        redirect: 'manual', // a redirect could carry the token elsewhere: refused below
      });
      pendingReleases.set(response, release);
      return response;
    } catch (error) {
      release();
      if (controller.signal.aborted && controller.signal.reason instanceof FhirError) throw controller.signal.reason;
      deps.log.warn('fhir.network-error', { what, error: error instanceof Error ? error.message : String(error) });
      throw new FhirError('network', `${what} failed: the EHR could not be reached or dropped the connection.`);
    }
  }

  /** The body as JSON, within the size limit. A body that is not JSON is reported, not thrown, so error statuses keep their meaning. */
  async function readJsonBody(
    response: Response,
    what: string,
    signal: AbortSignal,
  ): Promise<{ json: unknown; error: FhirError | null }> {
    try {
      const text = await readTextLimited(response, what, signal);
      const type = response.headers.get('content-type') ?? '';
      if (type && !/json/i.test(type)) {
        return {
          json: null,
          error: new FhirError('malformed', `${what} failed: the EHR answered with ${type.split(';')[0]}, not FHIR JSON.`),
        };
      }
      try {
        return { json: JSON.parse(text) as unknown, error: null };
      } catch {
        return { json: null, error: new FhirError('malformed', `${what} failed: the EHR's answer was not valid JSON.`) };
      }
    } finally {
      pendingReleases.get(response)?.();
    }
  }

  async function readTextLimited(response: Response, what: string, signal: AbortSignal): Promise<string> {
    const tooLarge = () =>
      new FhirError(
        'too-large',
        `${what} failed: the answer is larger than ${Math.round(options.maxResponseBytes / 1048576)} MB.`,
      );
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > options.maxResponseBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof FhirError) throw error;
      if (signal.aborted) throw new FhirError('cancelled', `${what} was cancelled.`);
      throw new FhirError('network', `${what} failed: the connection dropped while the answer arrived.`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A next link, resolved as given; only followed on the FHIR server's own origin so the token goes nowhere else. */
  function trustedUrl(link: string, what: string): string {
    let url: URL;
    try {
      url = new URL(link, `${baseUrl}/`);
    } catch {
      throw new FhirError('malformed', `${what} failed: the EHR gave an unreadable link.`);
    }
    if (url.origin !== base.origin) {
      throw new FhirError(
        'untrusted-link',
        `${what} stopped: the EHR pointed to another server (${url.origin}); ChartDesk did not send the session there.`,
      );
    }
    return url.href;
  }

  async function read(resourceType: string, id: string, signal?: AbortSignal): Promise<FhirResource> {
    if (!FHIR_RESOURCE_TYPE.test(resourceType) || !FHIR_ID.test(id)) {
      throw new FhirError('malformed', `Cannot read ${resourceType}: "${id}" is not a FHIR id.`);
    }
    const what = requestWords(resourceType, 'read');
    const body = await getJson(`${baseUrl}/${resourceType}/${encodeURIComponent(id)}`, what, signal);
    const resource = obj(body);
    if (resource?.resourceType !== resourceType) {
      throw new FhirError('malformed', `${what} failed: the EHR answered with something else (${describe(body)}).`);
    }
    return resource as FhirResource;
  }

  async function readReference(reference: string, signal?: AbortSignal): Promise<FhirResource> {
    const [, base, resourceType, id] = REFERENCE.exec(reference) ?? [];
    if (resourceType && id && (base === undefined || base === baseUrl)) return read(resourceType, id, signal);
    throw new FhirError('untrusted-link', 'A reference points outside this EHR; ChartDesk did not follow it.');
  }

  async function* search(resourceType: string, params: Record<string, string>, signal?: AbortSignal): AsyncGenerator<SearchPage> {
    if (!FHIR_RESOURCE_TYPE.test(resourceType)) throw new FhirError('malformed', `Cannot search "${resourceType}".`);
    const what = requestWords(resourceType, 'search');
    const first = `${baseUrl}/${resourceType}?${new URLSearchParams(params).toString()}`;
    const visited = new Set<string>([first]);
    let pending: Promise<unknown> | null = getJson(first, what, signal);
    while (pending) {
      const bundle = parseSearchBundle(await pending, resourceType, what);
      pending = null;
      let refusedNext: unknown = null;
      try {
        const next = bundle.next === null ? null : nextPageUrl(bundle.next, visited, what);
        if (next) {
          // The next page is asked for while this one is mapped and shown, so the server is never idle.
          pending = getJson(next, what, signal);
          // Awaited on the next turn; if the reader stops before that, its failure must not go unhandled.
          pending.catch(() => undefined);
        }
      } catch (error) {
        refusedNext = error;
      }
      // A next link that cannot be followed still leaves this page to show.
      yield bundle.page;
      if (refusedNext) throw refusedNext;
    }
  }

  /** Checks a next link before it is followed: our origin only, no loop, a bounded number of pages. */
  function nextPageUrl(link: string, visited: Set<string>, what: string): string {
    const next = trustedUrl(link, what);
    if (visited.has(next)) throw new FhirError('malformed', `${what} failed: the EHR's next link goes round in a loop.`);
    if (visited.size >= options.maxPages) throw new FhirError('too-large', `${what} stopped after ${options.maxPages} pages.`);
    visited.add(next);
    return next;
  }

  return { baseUrl, read, readReference, search };
}

function describe(body: unknown): string {
  const type = str(obj(body)?.resourceType);
  return type ? `a ${type}` : 'something that is not a FHIR resource';
}

/** Validates a searchset Bundle and splits its entries; entries that are not resources are skipped. */
export function parseSearchBundle(body: unknown, resourceType: string, what: string): { page: SearchPage; next: string | null } {
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
    page: {
      matches,
      included,
      outcomes,
      entryCount: arr(bundle.entry).length,
      total: total !== null && total >= 0 ? total : null,
      hasMore: str(next?.url) !== null,
    },
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

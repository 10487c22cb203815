import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeServer, operationOutcome, sendJson, startFakeServer } from '../../fhir/testing/fake-http-server';

/** The real FHIR examples and recorded responses (see fixtures/real/SOURCES.md). */
export const REAL_FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const RECORDINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'recordings');

type Json = Record<string, unknown>;

/**
 * What an EHR answered, as recorded: searches (each a list of searchset pages, in the order the
 * server's next links lead) and reads, all under one FHIR base.
 */
export interface Recording {
  name: string;
  /** The FHIR base the responses came from; only its path matters for matching. */
  fhirBase: string;
  searches: Json[][];
  reads: Json[];
}

/** A recording manifest (main/chart/testing/recordings/NAME.json) names fixture files, relative to fixtures/real. */
interface Manifest {
  description: string;
  fhirBase: string;
  searches: string[][];
  reads: string[];
}

export function loadRecording(name: string): Recording {
  const manifest = JSON.parse(readFileSync(path.join(RECORDINGS_DIR, `${name}.json`), 'utf8')) as Manifest;
  const load = (file: string) => JSON.parse(readFileSync(path.join(REAL_FIXTURES_DIR, file), 'utf8')) as Json;
  return {
    name,
    fhirBase: manifest.fhirBase,
    searches: manifest.searches.map((pages) => pages.map(load)),
    reads: manifest.reads.map(load),
  };
}

export interface ReplayServer extends FakeServer {
  /** The replay server's FHIR base: its own origin with the recorded base path. */
  replayBase: string;
  /** Every request the recording answers, as path-and-query keys (see requestKey). */
  recordedRequests: string[];
}

/**
 * Parameters that shape a search's pages but not which resources match: a server that does not
 * support them answers as if they were absent (FHIR R4 3.1.1.5.6: unknown parameters are ignored),
 * so a recorded first page also answers the same search with these added (ChartDesk's `_count`,
 * `_include`).
 */
const PAGE_SHAPING_PARAMS = new Set(['_count', '_include']);

/**
 * A FHIR server on loopback that answers with a recording, verbatim: warnings (OperationOutcome
 * entries), totals and links are as the EHR sent them. The one change: the origin (scheme, host,
 * port) of each link under the recorded base is rewritten to the replay server's, so a client follows
 * next links back here. A search page is found by matching the request's path and query to the
 * page's recorded `self` link, or to the previous page's `next` link, or, for a first page, the
 * recorded search with page-shaping parameters added (PAGE_SHAPING_PARAMS); a read by Type/id.
 * Anything else is answered 404 with an OperationOutcome that names the request and what was recorded.
 */
export async function startReplayServer(recording: Recording): Promise<ReplayServer> {
  const basePath = new URL(recording.fhirBase).pathname.replace(/\/$/, '');
  const answers = indexRecording(recording, basePath);
  const firstPages = recording.searches.flatMap((pages) => {
    const self = pages[0] ? linkOf(pages[0], 'self') : null;
    return self && pages[0] ? [{ self: new URL(self), answer: pages[0] }] : [];
  });
  let origin = '';
  const server = await startFakeServer((req, res, url) => {
    if (req.method !== 'GET') return sendJson(res, 405, operationOutcome(`Replay: only GET is recorded, not ${req.method}.`));
    const key = requestKey(url.pathname, url.search, basePath);
    const answer = (key === null ? undefined : answers.get(key)) ?? withoutPageShaping(url, firstPages);
    if (!answer) {
      const recorded = [...answers.keys()].join(', ');
      return sendJson(
        res,
        404,
        operationOutcome(
          `Replay: no recorded response for GET ${url.pathname}${url.search} in "${recording.name}". Recorded: ${recorded}`,
        ),
      );
    }
    sendJson(res, 200, withLinksTo(answer, origin, basePath));
  });
  origin = server.origin;
  return { ...server, replayBase: `${server.origin}${basePath}`, recordedRequests: [...answers.keys()] };
}

/**
 * The key a request or a recorded link is matched by: the path below the FHIR base and the query,
 * decoded and sorted, since servers neither care about parameter order nor about how a client
 * percent-encodes (`%3A` or `:`). Null when the path is not under the base.
 */
export function requestKey(pathname: string, search: string, basePath: string): string | null {
  const decodedPath = decodeURIComponent(pathname);
  if (!decodedPath.startsWith(`${basePath}/`)) return null;
  const params = [...new URLSearchParams(search)].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  const query = params.map(([name, value]) => `${name}=${value}`).join('&');
  return decodedPath.slice(basePath.length + 1) + (query ? `?${query}` : '');
}

function indexRecording(recording: Recording, basePath: string): Map<string, Json> {
  const answers = new Map<string, Json>();
  const add = (key: string | null, answer: Json, what: string) => {
    if (key === null) throw new Error(`Recording "${recording.name}": ${what} is not under the base ${recording.fhirBase}.`);
    const known = answers.get(key);
    if (known && known !== answer) throw new Error(`Recording "${recording.name}" holds two answers for ${key}.`);
    answers.set(key, answer);
  };
  const linkKey = (url: string) => {
    const parsed = new URL(url);
    return requestKey(parsed.pathname, parsed.search, basePath);
  };
  for (const pages of recording.searches) {
    let previousNext: string | null = null;
    pages.forEach((page, index) => {
      const self = linkOf(page, 'self');
      if (index === 0 && !self) throw new Error(`Recording "${recording.name}": a first page has no self link.`);
      if (index > 0 && !previousNext)
        throw new Error(`Recording "${recording.name}": page ${index + 1} follows a page without a next link.`);
      if (self) add(linkKey(self), page, `the self link ${self}`);
      if (previousNext) add(linkKey(previousNext), page, `the next link ${previousNext}`);
      previousNext = linkOf(page, 'next');
    });
  }
  for (const resource of recording.reads) {
    add(`${String(resource.resourceType)}/${String(resource.id)}`, resource, 'a read');
  }
  return answers;
}

/** The recorded first page of the same search once page-shaping parameters are set aside, if one was recorded. */
function withoutPageShaping(url: URL, firstPages: ReadonlyArray<{ self: URL; answer: Json }>): Json | undefined {
  const asked = new URLSearchParams(url.search);
  const matching = firstPages.filter(({ self }) => {
    if (decodeURIComponent(self.pathname) !== decodeURIComponent(url.pathname)) return false;
    const recorded = new URLSearchParams(self.search);
    const sameRecorded = [...recorded].every(([name]) => sameValues(recorded.getAll(name), asked.getAll(name)));
    const extraShapingOnly = [...asked.keys()].every((name) => recorded.has(name) || PAGE_SHAPING_PARAMS.has(name));
    return sameRecorded && extraShapingOnly;
  });
  return matching.sort((a, b) => [...b.self.searchParams].length - [...a.self.searchParams].length)[0]?.answer;
}

function sameValues(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);
}

function linkOf(bundle: Json, relation: string): string | null {
  const links = Array.isArray(bundle.link) ? (bundle.link as Json[]) : [];
  const url = links.find((link) => link.relation === relation)?.url;
  return typeof url === 'string' ? url : null;
}

/** A copy whose Bundle.link URLs under the recorded base point at the replay server's origin. */
function withLinksTo(answer: Json, origin: string, basePath: string): Json {
  if (!Array.isArray(answer.link)) return answer;
  const link = (answer.link as Json[]).map((entry) => {
    if (typeof entry.url !== 'string') return entry;
    const url = new URL(entry.url);
    if (!decodeURIComponent(url.pathname).startsWith(`${basePath}/`)) return entry;
    return { ...entry, url: `${origin}${url.pathname}${url.search}` };
  });
  return { ...answer, link };
}

/**
 * Observation sections newest first, long histories in date windows fetched in parallel.
 *
 * Where the EHR sorts by date, the first page asks for the newest rows (`_sort=-date`) and the
 * count (`_total=accurate`); elsewhere a window of the last year is fetched beside the first page
 * of the older rows. Either first page tells whether there is more; when there is, the rest is cut
 * into windows of about 0.8 page (window-planner.ts) fetched at once, newest first, each following
 * its own next links. Observations without a date come from `date:missing=true`.
 *
 * The windows must add up to the plain chain, or the loader falls back to the plain chain and says
 * so in the log: every row must lie in the window that brought it, the rows must number the EHR's
 * total where it gave one, and otherwise the overlapping edges of neighbouring windows must agree.
 */
import { setMaxListeners } from 'node:events';
import { isFhirError } from '../fhir/fhir-errors';
import type { SearchPage } from '../fhir/fhir-client';
import type { ChartSectionId } from '../../common/sessions';
import { type DateRange, observationDateRange } from './observation-dates';
import { believableTotal } from './page-checks';
import type { SearchCapabilities } from './search-capabilities';
import { fetchPlainChain, type SectionSearch, type SectionSink } from './section-search';
import { askedFrom, type DateWindow, fhirInstant, MAX_WINDOWS, planWindows, windowParams } from './window-planner';

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** How far outside its window a row may be dated (time zones, day precision) before the window counts as ignored. */
const TOLERANCE_MS = DAY_MS;
const MISSING = { 'date:missing': 'true' };

/** The windows did not add up to what the EHR holds: the plain chain is fetched instead. */
class WindowsDisagree extends Error {}

export async function fetchNewestFirst<S extends ChartSectionId>(
  search: SectionSearch<S>,
  capabilities: SearchCapabilities,
  now: Date,
  sink: SectionSink<S>,
): Promise<void> {
  if (!capabilities.searchesByDate) return fetchPlainChain(search, sink);
  const run = new WindowedRun(search, sink, now.getTime());
  try {
    await (capabilities.sortsByDate ? run.sortedFirst() : run.lastYearFirst());
  } catch (error) {
    const refused = isFhirError(error, 'http') && (error.status === 400 || error.status === 422);
    if (search.signal.aborted || !(error instanceof WindowsDisagree || refused)) throw error;
    search.log.warn('chart.windows.fallback', { section: search.section, reason: (error as Error).message });
    await fetchPlainChain(search, sink);
  }
}

async function firstOf(pages: AsyncGenerator<SearchPage>): Promise<SearchPage> {
  for await (const page of pages) return page;
  throw new WindowsDisagree('the EHR answered a search with no page');
}

const startOf = (page: SearchPage) =>
  page.matches.map((resource) => observationDateRange(resource)?.start).filter((start): start is number => start !== undefined);

class WindowedRun<S extends ChartSectionId> {
  total: number | null = null;
  /** Stops every search of the run at its first failure. */
  readonly #stop = new AbortController();
  readonly signal: AbortSignal;
  /** The oldest date delivered: once every dated row is in, all rows from it on are. */
  #oldest = Infinity;
  /** Edges of the newest-first segments, and which are in: rows at or after edge i are all delivered once 0..i are. */
  readonly #edges: number[] = [];
  readonly #complete: boolean[] = [];
  /** Per window, the rows dated wholly inside its lower and upper overlaps, to hold neighbours to each other. */
  readonly #overlaps: Array<{ low: Set<string>; high: Set<string> }> = [];

  constructor(
    readonly search: SectionSearch<S>,
    readonly sink: SectionSink<S>,
    readonly nowMs: number,
  ) {
    this.signal = AbortSignal.any([search.signal, this.#stop.signal]);
    // Every window waiting for a request slot listens to it: that many listeners are expected, not a leak.
    setMaxListeners(MAX_WINDOWS + 10, this.signal);
  }

  /** Runs searches side by side; at the first failure the others are stopped, and it is passed on once all have settled. */
  async #all(tasks: Array<Promise<void>>): Promise<void> {
    let first: { error: unknown } | null = null;
    await Promise.all(
      tasks.map((task) =>
        task.catch((error: unknown) => {
          first ??= { error };
          this.#stop.abort();
        }),
      ),
    );
    if (first) throw (first as { error: unknown }).error;
  }

  /** The EHR sorts: its first page newest first with the count, then the older rows in windows. */
  async sortedFirst(): Promise<void> {
    const { search, signal } = this;
    const head = await firstOf(
      search.pages({ _sort: '-date', _total: 'accurate' }, ['_total', '_sort'], {
        firstPageOnly: true,
        signal,
        priority: 'newest',
      }),
    );
    this.total = believableTotal(head, head.matches.length);
    const starts = startOf(head);
    const sorted = !search.refused('_sort') && starts.length > 0;
    const floor = Math.min(...starts);
    if (sorted && head.next) this.#done(this.#segment(floor));
    await this.#deliver(head);
    if (!head.next) return;
    // Refused the sort, or a newest page without a date: nothing to cut by, the chain it began goes on.
    if (!sorted) return this.#follow(head.next);
    const newest = Math.max(...starts);
    const spanMs = Math.max(1000, newest - floor);
    let oldest: number;
    let rest: number;
    if (this.total !== null) {
      rest = Math.max(0, this.total - head.matches.length);
      oldest = floor - (rest * spanMs) / starts.length;
    } else {
      // The windows, the last year's among them, wait for it.
      const probe = await firstOf(
        search.pages({ _sort: 'date', _count: '1' }, [], { firstPageOnly: true, signal, priority: 'newest' }),
      );
      oldest = Math.min(floor, ...startOf(probe));
      rest = Math.ceil((starts.length * (floor - oldest)) / spanMs);
    }
    const top = Math.ceil((floor + DAY_MS) / 1000) * 1000;
    const windows = planWindows({ top, oldest, rows: rest }, search.options.pageSize);
    const total = this.total;
    const undated = total === null ? [this.#missing()] : [];
    await this.#all([...this.#windows(windows), ...undated]);
    if (total === null) return this.#checkOverlaps(windows);
    // Without undated rows the windows reach the count on their own; with them, the undated window brings the rest.
    if (search.seen < total) await this.#missing();
    if (search.seen !== total) {
      throw new WindowsDisagree(`the windows brought ${search.seen} observations where the EHR counted ${total}`);
    }
  }

  /** No sort: the last year's window beside the first page of the older rows, then the rest of those in windows. */
  async lastYearFirst(): Promise<void> {
    const { search, signal } = this;
    const cut = Math.floor((this.nowMs - YEAR_MS) / 1000) * 1000;
    const lastYear = this.#segment(cut);
    // The last year is not stopped when the older rows fail their checks: the newest rows still come first, then the fallback.
    const recent = async () => {
      const urgent = { signal: search.signal, priority: 'newest' } as const;
      for await (const page of search.pages({ date: `ge${fhirInstant(cut)}` }, [], urgent)) {
        this.#check(page, { start: cut, end: Infinity });
        if (page.next === null) this.#done(lastYear);
        await this.#deliver(page, search.signal);
      }
    };
    const older = async () => {
      const probe = await firstOf(
        search.pages({ date: `lt${fhirInstant(cut)}`, _total: 'accurate' }, ['_total'], { firstPageOnly: true, signal }),
      );
      this.#check(probe, { start: -Infinity, end: cut });
      await this.#deliver(probe);
      if (!probe.next) return;
      const counted = believableTotal(probe, probe.matches.length);
      if (counted === null) return this.#follow(probe.next, { start: -Infinity, end: cut });
      const windows = planWindows(
        { top: cut, oldest: Math.min(cut - YEAR_MS, ...startOf(probe)), rows: counted },
        search.options.pageSize,
      );
      const keys = new Set(probe.matches.map(keyOf));
      await this.#all(this.#windows(windows, keys));
      if (keys.size !== counted) {
        throw new WindowsDisagree(`the windows brought ${keys.size} older observations where the EHR counted ${counted}`);
      }
    };
    const newest = recent().catch((error: unknown) => {
      this.#stop.abort();
      throw error;
    });
    const [first, rest] = await Promise.allSettled([newest, this.#all([older(), this.#missing()])]);
    if (first.status === 'rejected') throw first.reason;
    if (rest.status === 'rejected') throw rest.reason;
  }

  /** A newest-first segment whose rows are all delivered once it and every newer one are in; its index. */
  #segment(edge: number): number {
    this.#edges.push(edge);
    this.#complete.push(false);
    return this.#edges.length - 1;
  }

  #done(segment: number): void {
    this.#complete[segment] = true;
  }

  /** The lowest edge of the unbroken run of complete segments from the newest. */
  #newestSince(): string | null {
    let since: number | null = null;
    for (let i = 0; i < this.#edges.length && this.#complete[i] === true; i += 1) since = this.#edges[i] ?? since;
    if (since === null) return null;
    if (Number.isFinite(since)) return fhirInstant(since);
    // Past the open oldest window every dated row is in: the oldest of them says so.
    return Number.isFinite(this.#oldest) ? fhirInstant(this.#oldest) : null;
  }

  async #deliver(page: SearchPage, signal = this.signal): Promise<void> {
    this.#oldest = Math.min(this.#oldest, ...startOf(page));
    const { candidates, notices, otherPatient } = await this.search.read(page);
    if (signal.aborted) return;
    const { rows, withdrawn } = this.search.take(candidates);
    this.sink(rows, { total: this.total, notices, newestSince: this.#newestSince(), otherPatient, withdrawn });
  }

  /** The plain chain from a next link, each page still held to `within`. */
  async #follow(next: string, within?: DateRange): Promise<void> {
    for await (const page of this.search.resume(next, this.signal)) {
      if (within) this.#check(page, within);
      await this.#deliver(page);
    }
  }

  /** Each window's whole chain, started together newest first (the in-flight limit serves them in that order). */
  #windows(windows: readonly DateWindow[], keys?: Set<string>): Array<Promise<void>> {
    return windows.map(async (window) => {
      const segment = this.#segment(window.from ?? -Infinity);
      const overlap = { low: new Set<string>(), high: new Set<string>() };
      this.#overlaps.push(overlap);
      const lowEdge = window.from ?? -Infinity;
      // A window of the last year goes ahead of other searches in the EHR's queue, an older one after them.
      const priority = window.to > this.nowMs - YEAR_MS ? 'newest' : 'older';
      for await (const page of this.search.pages(windowParams(window), [], { signal: this.signal, priority })) {
        this.#check(page, { start: askedFrom(window), end: window.to });
        for (const resource of page.matches) {
          const range = observationDateRange(resource);
          if (keys) keys.add(keyOf(resource));
          if (range && range.start >= lowEdge - window.overlapMs && range.end <= lowEdge) overlap.low.add(keyOf(resource));
          if (range && range.start >= window.to - window.overlapMs && range.end <= window.to) overlap.high.add(keyOf(resource));
        }
        if (page.next === null) this.#done(segment);
        await this.#deliver(page);
      }
    });
  }

  /** Observations without a date; a server that ignores `:missing` answers with dated ones, and the windows are abandoned. */
  async #missing(): Promise<void> {
    for await (const page of this.search.pages(MISSING, [], { signal: this.signal, priority: 'older' })) {
      if (page.matches.some((resource) => observationDateRange(resource) !== null)) {
        throw new WindowsDisagree('the EHR answered date:missing=true with dated observations');
      }
      await this.#deliver(page);
    }
  }

  /** Every row of a window lies in it, give or take the tolerance; a row without a date does not belong in any. */
  #check(page: SearchPage, window: DateRange): void {
    for (const resource of page.matches) {
      const range = observationDateRange(resource);
      if (!range || range.end <= window.start - TOLERANCE_MS || range.start >= window.end + TOLERANCE_MS) {
        const what = range ? `dated ${edge(range.start)}` : 'without a date';
        throw new WindowsDisagree(`a window from ${edge(window.start)} to ${edge(window.end)} brought an observation ${what}`);
      }
    }
  }

  /** Neighbouring windows found the same rows where they overlap. */
  #checkOverlaps(windows: readonly DateWindow[]): void {
    for (let i = 1; i < windows.length; i += 1) {
      const newer = this.#overlaps[i - 1]?.low ?? new Set();
      const older = this.#overlaps[i]?.high ?? new Set();
      if (newer.size !== older.size || [...newer].some((key) => !older.has(key))) {
        const edge = windows[i - 1]?.from ?? 0;
        throw new WindowsDisagree(`the windows either side of ${fhirInstant(edge)} disagree on the rows they share`);
      }
    }
  }
}

const edge = (ms: number) => (Number.isFinite(ms) ? fhirInstant(ms) : 'open');

function keyOf(resource: { resourceType: string; id?: unknown }): string {
  return `${resource.resourceType}/${typeof resource.id === 'string' ? resource.id : JSON.stringify(resource)}`;
}

/**
 * The searches of one chart section for one patient: its parameters, and every page any of its
 * searches brings (the plain chain, a first page sorted newest first, a date window), read into
 * rows. Every page passes `pages` (or `resume`) and then `read` before its rows are shown, whichever
 * way the section is fetched: checks on a page belong there (page-checks.ts).
 */
import type { LabPanel, SectionRows, WithdrawnCounts } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import type { FhirClient, FhirResource, SearchOptions, SearchPage, SearchParams } from '../fhir/fhir-client';
import { isFhirError } from '../fhir/fhir-errors';
import { LoadReads } from './load-reads';
import { believableTotal, pageNotices } from './page-checks';
import { type Outcome, tally } from './mappers/withdrawn';
import { namesOnly } from './patient-scope';
import { PANEL_SOURCE_SECTION, SECTION_QUERIES, type SectionQuery } from './section-queries';

export interface SectionFetchOptions {
  /** `_count` asked of the server; dropped if the server refuses it. */
  pageSize: number;
  /** Parallel reads of references (a Medication, a prescriber) that no _include brought. */
  referenceConcurrency: number;
}

/** How far a section has come, sent with its rows. */
export interface SectionProgress {
  /** The search's total where it is a real one (page-checks.ts). */
  total: number | null;
  /** What the EHR said with the page (results it withheld), for the clinician. */
  notices: string[];
  /** Every row dated at or after this instant has been delivered; null while newer rows may still come. */
  newestSince: string | null;
  /** Entries newly left out because they name another patient (patient-scope.ts). */
  otherPatient: number;
  /** This patient's records newly left out because the EHR marks them withdrawn (mappers/withdrawn.ts), by status. */
  withdrawn: WithdrawnCounts;
}

export type SectionSink<S extends ChartSectionId> = (rows: Array<SectionRows[S]>, progress: SectionProgress) => void;

/** A resource as the section read it (a row, withdrawn, or none), with the key it is known by (null without an id). */
export interface Candidate<S extends ChartSectionId> {
  key: string | null;
  outcome: Outcome<SectionRows[S]>;
}

export class SectionSearch<S extends ChartSectionId = ChartSectionId> {
  readonly query: SectionQuery<S>;
  /** Optional parameters the server refused once: not sent again by any search of the section. */
  readonly #refused = new Set<string>();
  /** Referenced resources and lab panels, shared with the other sections of the load. */
  readonly #reads: LoadReads;
  /** `_include`s the EHR says it serves, asked beside the section's own. */
  readonly #includes: readonly string[];
  /** The lab panels by the id of each result they list, asked for beside the section's first search. */
  readonly #panels: Promise<Map<string, LabPanel>> | null;
  /**
   * Resources already delivered (as rows, counted as withdrawn, or neither), by type and id: date windows overlap,
   * and a fallback repeats what came before.
   */
  readonly #seen = new Set<string>();
  /** Resources without an id: nothing to know them again by, each counts. */
  #anonymous = 0;
  /** Other patients' resources left out, by type and id: overlapping windows count each once. */
  readonly #otherPatient = new Set<string>();
  #standIns = 0;

  constructor(
    readonly client: FhirClient,
    readonly section: S,
    readonly patientId: string,
    readonly signal: AbortSignal,
    readonly options: SectionFetchOptions,
    readonly log: Logger,
    shared: { reads?: LoadReads; includes?: readonly string[] } = {},
  ) {
    this.query = SECTION_QUERIES[section];
    this.#reads =
      shared.reads ?? new LoadReads(client, signal, log, { patientId, pageSize: options.pageSize, panelsFromReports: false });
    this.#includes = shared.includes ?? [];
    this.#panels = this.query.panels ? this.#reads.labPanels() : null;
    // Awaited by the first page read; a search stopped before that must not leave it unhandled.
    this.#panels?.catch(() => undefined);
  }

  /** Resources of the section delivered so far (each counted once). */
  get seen(): number {
    return this.#seen.size + this.#anonymous;
  }

  /** Whether the server refused an optional parameter of this section. */
  refused(param: string): boolean {
    return this.#refused.has(param);
  }

  /**
   * The pages of one search of the section: its own parameters with `extra` (a date window, a sort,
   * `_total`). When the server refuses the first page (400/422), the optional parameters (`optional`
   * first, then the section's own) are dropped one at a time, for every later search too; when it
   * refuses a later page while `_count` was asked, the search starts again without `_count`.
   */
  async *pages(
    extra: SearchParams = {},
    optional: readonly string[] = [],
    how: SearchOptions & { signal?: AbortSignal } = {},
  ): AsyncGenerator<SearchPage> {
    const asked = this.#includes.length > 0 ? ['_include'] : [];
    const droppable = [...optional, ...asked, ...this.query.optional].filter((param) => !this.#refused.has(param));
    for (;;) {
      const params = this.#params(extra);
      let delivered = false;
      try {
        for await (const page of this.client.search(this.query.resourceType, params, how.signal ?? this.signal, how)) {
          delivered = true;
          yield page;
        }
        return;
      } catch (error) {
        const refused = isFhirError(error, 'http') && (error.status === 400 || error.status === 422);
        if (!refused) throw error;
        if (delivered) {
          // A later page refused: only a page size can be at fault in a search the server already answered
          // (Oracle Health caps the count from the second page on). The search starts again without it;
          // `take` keeps what was shown from being shown twice.
          if (!('_count' in params)) throw error;
          this.log.info('fhir.section.count-refused-later', { section: this.section, status: error.status, shown: this.seen });
          this.#refused.add('_count');
          continue;
        }
        const drop = droppable.find((param) => param in params);
        if (drop === undefined) throw error;
        this.log.info('fhir.section.param-dropped', { section: this.section, param: drop, status: error.status });
        this.#refused.add(drop);
      }
    }
  }

  /** The rest of a search from a page's next link. */
  resume(next: string, signal: AbortSignal = this.signal): AsyncGenerator<SearchPage> {
    return this.client.resume(this.query.resourceType, next, signal);
  }

  /**
   * A page's resources as rows (Medication references resolved), to hand to `take` when they are delivered, what the
   * EHR said with it, and how many entries were newly left out for naming another patient. The one place a page
   * becomes rows: nothing of another patient goes further.
   */
  async read(page: SearchPage): Promise<{ candidates: Array<Candidate<S>>; notices: string[]; otherPatient: number }> {
    const kept: FhirResource[] = [];
    let otherPatient = 0;
    for (const resource of page.matches) {
      if (namesOnly(resource, this.patientId, this.client.baseUrl)) {
        kept.push(resource);
        continue;
      }
      const key = resourceKey(resource);
      if (key !== null && this.#otherPatient.has(key)) continue;
      if (key !== null) this.#otherPatient.add(key);
      otherPatient += 1;
    }
    if (otherPatient > 0) this.log.warn('chart.other-patient-dropped', { section: this.section, count: otherPatient });
    const panels = this.#panels;
    if (this.section === PANEL_SOURCE_SECTION) this.#reads.reportsRead(kept);
    if (this.query.references) await this.#resolveReferences(kept, page.included, this.query.references);
    const lookup = (reference: string) => this.#reads.lookup(reference);
    const panelMap = panels ? await panels : null;
    const panelOf = (id: string) => panelMap?.get(id) ?? null;
    const candidates = kept.map((resource) => {
      const outcome = this.query.map(resource, lookup, panelOf);
      // Keyed lists need an id: a resource without one gets a stable stand-in.
      if (outcome && 'row' in outcome && outcome.row.id === '') outcome.row.id = `${this.section}-without-id-${++this.#standIns}`;
      return { key: resourceKey(resource), outcome };
    });
    return { candidates, notices: pageNotices(page), otherPatient };
  }

  /**
   * The rows of resources not delivered before, and how many withdrawn ones, marked delivered now: done in one
   * step when they go out, so windows that overlap, or a fallback after them, never show a row twice nor count a
   * withdrawn record twice, and what was read but not delivered (a search stopped meanwhile) still comes with the
   * next search. Only this patient's resources get here (`read`).
   */
  take(candidates: ReadonlyArray<Candidate<S>>): { rows: Array<SectionRows[S]>; withdrawn: WithdrawnCounts } {
    const fresh: Array<Outcome<SectionRows[S]>> = [];
    for (const { key, outcome } of candidates) {
      if (key === null) this.#anonymous += 1;
      else if (this.#seen.has(key)) continue;
      else this.#seen.add(key);
      fresh.push(outcome);
    }
    return tally(fresh);
  }

  #params(extra: SearchParams): Record<string, string | readonly string[]> {
    const params: Record<string, string | readonly string[]> = {
      patient: this.patientId,
      ...this.query.params,
      _count: String(this.options.pageSize),
      ...extra,
    };
    const own = this.query.params._include;
    if (this.#includes.length > 0) params._include = [...(own ? [own] : []), ...this.#includes];
    for (const param of this.#refused) delete params[param];
    return params;
  }

  /**
   * Makes the resources a page refers to known: from its _include entries, else read (each once per load, whichever
   * section asks first). A read that fails leaves the row with what the reference itself says; one warning per page
   * says how many failed, not one per reference.
   */
  async #resolveReferences(
    resources: FhirResource[],
    included: FhirResource[],
    referencesOf: (resource: unknown) => string[],
  ): Promise<void> {
    this.#reads.addIncluded(included);
    const failures = await this.#reads.read(resources.flatMap(referencesOf), this.options.referenceConcurrency);
    if (failures.length > 0)
      this.log.warn('fhir.reference.unresolved', { section: this.section, count: failures.length, error: failures[0] });
  }
}

/** The plain chain: the section's own search, its next links followed to the end (or from `next` on). */
export async function fetchPlainChain<S extends ChartSectionId>(
  search: SectionSearch<S>,
  sink: SectionSink<S>,
  from: { next: string; total: number | null } | null = null,
): Promise<void> {
  let total = from?.total ?? null;
  let received = 0;
  for await (const page of from ? search.resume(from.next) : search.pages()) {
    received += page.matches.length;
    total = believableTotal(page, received) ?? total;
    const { candidates, notices, otherPatient } = await search.read(page);
    if (search.signal.aborted) return;
    const { rows, withdrawn } = search.take(candidates);
    sink(rows, { total, notices, newestSince: null, otherPatient, withdrawn });
  }
}

/** How a resource is known again across pages and searches: its type and id; null without an id. */
function resourceKey(resource: FhirResource): string | null {
  return typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : null;
}

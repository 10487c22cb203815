import type { SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { isFhirError } from '../fhir/fhir-errors';
import { readLabPanels } from './lab-panels';
import { believableTotal, pageNotices } from './page-checks';
import { SECTION_QUERIES } from './section-queries';

export interface MappedPage<S extends ChartSectionId> {
  rows: Array<SectionRows[S]>;
  /** The search's total when it is a real one (page-checks.ts), else null. */
  total: number | null;
  /** What the EHR said with this page (results it withheld), for the clinician. */
  notices: string[];
  /** True on the last page of the section. */
  last: boolean;
}

export interface SectionFetchOptions {
  /** `_count` asked of the server; dropped if the server refuses it. */
  pageSize: number;
  /** Parallel reads of references (a Medication, a prescriber) that no _include brought. */
  referenceConcurrency: number;
}

/**
 * Fetches one section of one patient's chart, page by page, mapped to rows. When the server
 * refuses the first page (400/422), optional parameters (_include, then _count) are dropped one
 * at a time and the search is tried again. When it refuses a later page while `_count` was asked
 * (a server whose cap applies from the second page on), the search starts again without `_count`:
 * the rows already shown stay, and no resource is shown twice.
 */
export async function* fetchSection<S extends ChartSectionId>(
  client: FhirClient,
  section: S,
  patientId: string,
  signal: AbortSignal,
  options: SectionFetchOptions,
  log: Logger,
): AsyncGenerator<MappedPage<S>> {
  const query = SECTION_QUERIES[section];
  const params: Record<string, string> = { patient: patientId, ...query.params, _count: String(options.pageSize) };
  const droppable = [...query.optional];
  /** Resources read by reference for this section (each once), null when the read failed. */
  const referenced = new Map<string, FhirResource | null>();
  /** Resources shown so far, by type and id: a search started again after a refused page skips them. */
  const shown = new Set<string>();
  let received = 0;
  let fallbackIds = 0;
  // Read beside the first page, not before it: the labs wait only for the slower of the two.
  const panels = query.panels ? readLabPanels(client, patientId, options.pageSize, signal, log) : null;
  panels?.catch(() => undefined);
  for (;;) {
    let delivered = false;
    try {
      for await (const page of client.search(query.resourceType, params, signal)) {
        delivered = true;
        if (query.references)
          await resolveReferences(client, page, query.references, referenced, { ...options, section }, signal, log);
        const lookup = (reference: string) => referenced.get(reference) ?? null;
        const panelMap = panels ? await panels : null;
        const panelOf = (id: string) => panelMap?.get(id) ?? null;
        const rows: Array<SectionRows[S]> = [];
        for (const resource of page.matches) {
          const key = typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : null;
          if (key !== null && shown.has(key)) continue;
          if (key !== null) shown.add(key);
          received += 1;
          const row = query.map(resource, lookup, panelOf);
          if (!row) continue;
          // Keyed lists need an id: a resource without one gets a stable stand-in.
          if (row.id === '') row.id = `${section}-without-id-${++fallbackIds}`;
          rows.push(row);
        }
        yield { rows, total: believableTotal(page, received), notices: pageNotices(page), last: !page.hasMore };
      }
      return;
    } catch (error) {
      const refused = isFhirError(error, 'http') && (error.status === 400 || error.status === 422);
      if (!refused) throw error;
      if (delivered) {
        // A later page refused: only a page size can be at fault in a search the server already answered.
        if (!('_count' in params)) throw error;
        log.info('fhir.section.count-refused-later', { section, status: error.status, shown: shown.size });
        delete params._count;
        continue;
      }
      const drop = droppable.shift();
      if (drop === undefined) throw error;
      log.info('fhir.section.param-dropped', { section, param: drop, status: error.status });
      delete params[drop];
    }
  }
}

/**
 * Fills `known` with the resources a page refers to: from its _include entries, else read one by one (each once
 * per section). A read that fails leaves the row with what the reference itself says; one warning per page says
 * how many failed, not one per reference.
 */
async function resolveReferences(
  client: FhirClient,
  page: { matches: FhirResource[]; included: FhirResource[] },
  referencesOf: (resource: unknown) => string[],
  known: Map<string, FhirResource | null>,
  options: SectionFetchOptions & { section: ChartSectionId },
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  for (const resource of page.included) {
    if (typeof resource.id === 'string') known.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  const missing = [...new Set(page.matches.flatMap(referencesOf).filter((reference) => !known.has(reference)))];
  const failures: string[] = [];
  const next = async (): Promise<void> => {
    const reference = missing.shift();
    if (reference === undefined) return;
    try {
      known.set(reference, await client.readReference(reference, signal));
    } catch (error) {
      if (signal.aborted) throw error;
      known.set(reference, null); // the row falls back to the reference's display
      failures.push(error instanceof Error ? error.message : String(error));
    }
    await next();
  };
  await Promise.all(Array.from({ length: Math.min(options.referenceConcurrency, missing.length) }, next));
  if (failures.length > 0)
    log.warn('fhir.reference.unresolved', { section: options.section, count: failures.length, error: failures[0] });
}

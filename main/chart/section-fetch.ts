import type { SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { isFhirError } from '../fhir/fhir-errors';
import { medicationReferenceOf } from './mappers/map-medication';
import { believableTotal, pageNotices } from './page-checks';
import { keepPatientsOwn } from './patient-scope';
import { SECTION_QUERIES } from './section-queries';

export interface MappedPage<S extends ChartSectionId> {
  rows: Array<SectionRows[S]>;
  /** The search's total when it is a real one (page-checks.ts), else null. */
  total: number | null;
  /** What the EHR said with this page (results it withheld), for the clinician. */
  notices: string[];
  /** True on the last page of the section. */
  last: boolean;
  /** Resources of this page left out because they name another patient (patient-scope.ts). */
  otherPatient: number;
}

export interface SectionFetchOptions {
  /** `_count` asked of the server; dropped if the server refuses it. */
  pageSize: number;
  /** Parallel reads of Medication references that no _include brought. */
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
  const medications = new Map<string, FhirResource | null>();
  /** Resources shown so far, by type and id: a search started again after a refused page skips them. */
  const shown = new Set<string>();
  let received = 0;
  let fallbackIds = 0;
  for (;;) {
    let delivered = false;
    try {
      for await (const page of client.search(query.resourceType, params, signal)) {
        delivered = true;
        // The one place a page becomes rows: nothing of another patient goes further.
        const own = keepPatientsOwn(page.matches, patientId, client.baseUrl);
        if (own.otherPatient > 0) log.warn('chart.other-patient-dropped', { section, count: own.otherPatient });
        if (section === 'medications')
          await resolveMedications(client, own.kept, page.included, medications, options, signal, log);
        const lookup = (reference: string) => medications.get(reference) ?? null;
        const rows: Array<SectionRows[S]> = [];
        for (const resource of own.kept) {
          const key = typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : null;
          if (key !== null && shown.has(key)) continue;
          if (key !== null) shown.add(key);
          received += 1;
          const row = query.map(resource, lookup);
          if (!row) continue;
          // Keyed lists need an id: a resource without one gets a stable stand-in.
          if (row.id === '') row.id = `${section}-without-id-${++fallbackIds}`;
          rows.push(row);
        }
        yield {
          rows,
          total: believableTotal(page, received),
          notices: pageNotices(page),
          last: !page.hasMore,
          otherPatient: own.otherPatient,
        };
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

/** Fills `known` with the Medications a page refers to: from its _include entries, else read one by one. */
async function resolveMedications(
  client: FhirClient,
  requests: FhirResource[],
  included: FhirResource[],
  known: Map<string, FhirResource | null>,
  options: SectionFetchOptions,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  for (const resource of included) {
    if (resource.resourceType === 'Medication' && typeof resource.id === 'string')
      known.set(`Medication/${resource.id}`, resource);
  }
  const missing = [
    ...new Set(
      requests.map(medicationReferenceOf).filter((reference): reference is string => reference !== null && !known.has(reference)),
    ),
  ];
  const next = async (): Promise<void> => {
    const reference = missing.shift();
    if (reference === undefined) return;
    try {
      known.set(reference, await client.readReference(reference, signal));
    } catch (error) {
      if (signal.aborted) throw error;
      known.set(reference, null); // the row falls back to the reference's display
      log.warn('fhir.medication.unresolved', { error: error instanceof Error ? error.message : String(error) });
    }
    await next();
  };
  await Promise.all(Array.from({ length: Math.min(options.referenceConcurrency, missing.length) }, next));
}

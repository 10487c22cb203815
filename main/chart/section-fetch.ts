import type { SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { isFhirError } from '../fhir/fhir-errors';
import { medicationReferenceOf } from './mappers/map-medication';
import { SECTION_QUERIES } from './section-queries';

export interface MappedPage<S extends ChartSectionId> {
  rows: Array<SectionRows[S]>;
  total: number | null;
  /** True on the last page of the section. */
  last: boolean;
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
 * at a time and the search is tried again.
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
  let fallbackIds = 0;
  for (;;) {
    let delivered = false;
    try {
      for await (const page of client.search(query.resourceType, params, signal)) {
        delivered = true;
        if (section === 'medications')
          await resolveMedications(client, page.matches, page.included, medications, options, signal, log);
        const lookup = (reference: string) => medications.get(reference) ?? null;
        const rows: Array<SectionRows[S]> = [];
        for (const resource of page.matches) {
          const row = query.map(resource, lookup);
          if (!row) continue;
          // Keyed lists need an id: a resource without one gets a stable stand-in.
          if (row.id === '') row.id = `${section}-without-id-${++fallbackIds}`;
          rows.push(row);
        }
        yield { rows, total: page.total, last: !page.hasMore };
      }
      return;
    } catch (error) {
      const refused = isFhirError(error, 'http') && (error.status === 400 || error.status === 422);
      const drop = droppable.shift();
      if (delivered || !refused || drop === undefined) throw error;
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

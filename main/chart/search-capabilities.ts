/**
 * What an EHR says it can do with Observation searches, from its CapabilityStatement. R4 has no
 * proper place for result parameters such as `_sort`: servers list them in `rest.searchParam` (as
 * Medplum does) or in the resource's own `searchParam` (type special, the compromise of HL7's
 * implementers); either counts.
 */
import { arr, obj, str } from '../fhir/fhir-read';

export interface SearchCapabilities {
  /** Observation searches take `_sort=-date` (newest first) and `_sort=date`. */
  sortsByDate: boolean;
  /** Observation searches take the `date` parameter, so date windows are possible at all. */
  searchesByDate: boolean;
  /** `_include` values the EHR lists for its resources (`searchInclude`), e.g. `MedicationRequest:requester`. */
  includes: string[];
}

/** When the CapabilityStatement cannot be read: nothing is taken for granted, the plain chain it is. */
export const UNKNOWN_CAPABILITIES: SearchCapabilities = { sortsByDate: false, searchesByDate: false, includes: [] };

const names = (params: unknown) => arr(params).map((param) => str(obj(param)?.name));

export function searchCapabilities(statement: unknown): SearchCapabilities {
  const rests = arr(obj(statement)?.rest).map(obj);
  const resources = rests.flatMap((rest) => arr(rest?.resource).map(obj));
  const observation = resources.find((resource) => str(resource?.type) === 'Observation');
  // Only a value of the resource's own type: another type's include is no promise about this one.
  const includes = resources.flatMap((resource) =>
    arr(resource?.searchInclude)
      .map(str)
      .filter((include): include is string => include?.startsWith(`${str(resource?.type)}:`) === true),
  );
  const forObservation = [...rests.flatMap((rest) => names(rest?.searchParam)), ...names(observation?.searchParam)];
  const searchesByDate = forObservation.includes('date');
  return { sortsByDate: searchesByDate && forObservation.includes('_sort'), searchesByDate, includes: [...new Set(includes)] };
}

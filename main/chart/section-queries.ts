import { DOCUMENT_SECTIONS } from '../../common/attachments';
import type { LabPanel, SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import { mapAllergy } from './mappers/map-allergy';
import { mapCondition } from './mappers/map-condition';
import { mapDiagnosticReport, mapDocumentReference } from './mappers/map-document';
import { encounterReferencesOf, mapEncounter } from './mappers/map-encounter';
import { mapImmunization } from './mappers/map-immunization';
import { mapMedicationRequest, medicationReferencesOf } from './mappers/map-medication';
import { mapObservation } from './mappers/map-observation';
import { mapProcedure } from './mappers/map-procedure';
import type { ReferenceLookup } from './mappers/references';

/** How one chart section is searched and mapped. */
export interface SectionQuery<S extends ChartSectionId> {
  resourceType: string;
  /** Search parameters besides `patient` and `_count`. */
  params: Record<string, string>;
  /** Parameters a server may refuse; dropped one at a time, in this order, when it does. */
  optional: string[];
  /** References main reads before mapping a page (unless an _include brought them): a Medication, a prescriber. */
  references?: (resource: unknown) => string[];
  /**
   * `_include`s that bring the resources `references` names in the same answer, asked only of an EHR whose
   * CapabilityStatement lists them (searchInclude): one round trip instead of a read per clinician.
   */
  includes?: string[];
  /** Whether the section's results are grouped by the lab panels (DiagnosticReport) that list them. */
  panels?: boolean;
  map(resource: unknown, lookup: ReferenceLookup, panelOf?: (observationId: string) => LabPanel | null): SectionRows[S] | null;
}

export const SECTION_QUERIES: { [S in ChartSectionId]: SectionQuery<S> } = {
  vitals: {
    resourceType: 'Observation',
    params: { category: 'vital-signs' },
    optional: ['_count'],
    // A server that ignores `category` may send labs too: only vital-sign rows stay.
    map: (resource) => {
      const row = mapObservation(resource);
      return row && row.kind !== 'lab' ? row : null;
    },
  },
  labs: {
    resourceType: 'Observation',
    params: { category: 'laboratory' },
    optional: ['_count'],
    panels: true,
    map: (resource, _lookup, panelOf) => {
      const row = mapObservation(resource);
      if (row?.kind !== 'lab') return null;
      const panel = row.id ? panelOf?.(row.id) : null;
      return panel ? { ...row, panel } : row;
    },
  },
  problems: { resourceType: 'Condition', params: {}, optional: ['_count'], map: mapCondition },
  medications: {
    resourceType: 'MedicationRequest',
    params: { _include: 'MedicationRequest:medication' },
    optional: ['_include', '_count'],
    references: medicationReferencesOf,
    includes: ['MedicationRequest:requester'],
    map: mapMedicationRequest,
  },
  allergies: { resourceType: 'AllergyIntolerance', params: {}, optional: ['_count'], map: mapAllergy },
  immunizations: { resourceType: 'Immunization', params: {}, optional: ['_count'], map: mapImmunization },
  encounters: {
    resourceType: 'Encounter',
    params: {},
    optional: ['_count'],
    references: encounterReferencesOf,
    includes: ['Encounter:participant', 'Encounter:service-provider'],
    map: mapEncounter,
  },
  notes: { resourceType: DOCUMENT_SECTIONS.notes, params: {}, optional: ['_count'], map: mapDocumentReference },
  // Every report of the patient is read; those without a presented form are lab panels (grouping the labs), mapped to nothing here.
  reports: { resourceType: DOCUMENT_SECTIONS.reports, params: {}, optional: ['_count'], map: mapDiagnosticReport },
  procedures: { resourceType: 'Procedure', params: {}, optional: ['_count'], map: mapProcedure },
};

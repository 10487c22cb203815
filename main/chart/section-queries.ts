import { DOCUMENT_SECTIONS } from '../../common/attachments';
import type { LabPanel, SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';
import { allergyOutcome } from './mappers/map-allergy';
import { conditionOutcome } from './mappers/map-condition';
import { noteOutcome, reportOutcome } from './mappers/map-document';
import { encounterOutcome, encounterReferencesOf } from './mappers/map-encounter';
import { immunizationOutcome } from './mappers/map-immunization';
import { medicationOutcome, medicationReferencesOf } from './mappers/map-medication';
import { observationOutcome } from './mappers/map-observation';
import { procedureOutcome } from './mappers/map-procedure';
import type { ReferenceLookup } from './mappers/references';
import type { Outcome } from './mappers/withdrawn';

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
  /** A resource as this section reads it: a row, withdrawn (counted, never shown), or none of the section's. */
  map(resource: unknown, lookup: ReferenceLookup, panelOf?: (observationId: string) => LabPanel | null): Outcome<SectionRows[S]>;
}

/** The section whose DiagnosticReport search also brings the lab panels of the same load (load-reads.ts). */
export const PANEL_SOURCE_SECTION: ChartSectionId = 'reports';

export const SECTION_QUERIES: { [S in ChartSectionId]: SectionQuery<S> } = {
  vitals: {
    resourceType: 'Observation',
    params: { category: 'vital-signs' },
    optional: ['_count'],
    // A server that ignores `category` may send labs too: only vital signs stay (and only withdrawn vital signs count).
    map: (resource) => observationOutcome(resource, (kind) => kind !== 'lab'),
  },
  labs: {
    resourceType: 'Observation',
    params: { category: 'laboratory' },
    optional: ['_count'],
    panels: true,
    map: (resource, _lookup, panelOf) => {
      const outcome = observationOutcome(resource, (kind) => kind === 'lab');
      if (!outcome || !('row' in outcome)) return outcome;
      const panel = outcome.row.id ? panelOf?.(outcome.row.id) : null;
      return panel ? { row: { ...outcome.row, panel } } : outcome;
    },
  },
  problems: { resourceType: 'Condition', params: {}, optional: ['_count'], map: conditionOutcome },
  medications: {
    resourceType: 'MedicationRequest',
    params: { _include: 'MedicationRequest:medication' },
    optional: ['_include', '_count'],
    references: medicationReferencesOf,
    includes: ['MedicationRequest:requester'],
    map: medicationOutcome,
  },
  allergies: { resourceType: 'AllergyIntolerance', params: {}, optional: ['_count'], map: allergyOutcome },
  immunizations: { resourceType: 'Immunization', params: {}, optional: ['_count'], map: immunizationOutcome },
  encounters: {
    resourceType: 'Encounter',
    params: {},
    optional: ['_count'],
    references: encounterReferencesOf,
    includes: ['Encounter:participant', 'Encounter:service-provider'],
    map: encounterOutcome,
  },
  notes: { resourceType: DOCUMENT_SECTIONS.notes, params: {}, optional: ['_count'], map: noteOutcome },
  // Every report of the patient is read; those without a presented form are lab panels (grouping the labs), mapped to nothing here.
  reports: { resourceType: DOCUMENT_SECTIONS.reports, params: {}, optional: ['_count'], map: reportOutcome },
  procedures: { resourceType: 'Procedure', params: {}, optional: ['_count'], map: procedureOutcome },
};

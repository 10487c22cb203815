import type { LabPanel } from '../../common/chart';
import type { FhirClient } from '../fhir/fhir-client';
import type { Logger } from '../logging/logger';
import { mapLabPanel } from './mappers/map-lab-panel';
import { keepPatientsOwn } from './patient-scope';

/**
 * The lab panels of a patient, by the id of each Observation they list: read once per load of the labs, so each
 * result row can say which panel it belongs to. Panels only group: when the EHR refuses DiagnosticReport (not
 * granted, not supported) the labs are shown ungrouped, and the reason is logged once.
 */
export async function readLabPanels(
  client: FhirClient,
  patientId: string,
  pageSize: number,
  signal: AbortSignal,
  log: Logger,
): Promise<Map<string, LabPanel>> {
  const panels = new Map<string, LabPanel>();
  try {
    for await (const page of client.search('DiagnosticReport', { patient: patientId, _count: String(pageSize) }, signal)) {
      // A report that names another patient groups nothing (patient-scope.ts), as it would become no row.
      gatherLabPanels(panels, keepPatientsOwn(page.matches, patientId, client.baseUrl).kept);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    panelsUnavailable(log, error, panels.size);
  }
  return panels;
}

/** Adds the panels among these reports (already held to the patient); a result listed by two reports stays with the first. */
export function gatherLabPanels(panels: Map<string, LabPanel>, reports: readonly unknown[]): void {
  for (const report of reports) {
    const mapped = mapLabPanel(report);
    if (!mapped) continue;
    for (const id of mapped.results) if (!panels.has(id)) panels.set(id, mapped.panel);
  }
}

/** The panels could not be read whole: the labs are shown with those found, and why is logged once. */
export function panelsUnavailable(log: Logger, error: unknown, found: number): void {
  log.info('fhir.lab-panels.unavailable', { error: error instanceof Error ? error.message : String(error), panels: found });
}

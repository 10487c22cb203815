import type { LabPanel } from '../../../common/chart';
import { arr, choiceDate, codedText, fhirDate, referencedId, resourceId, resourceOf } from '../../fhir/fhir-read';
import { withdrawnStatus } from './withdrawn';

/**
 * A DiagnosticReport as a lab panel, with the ids of the Observations it lists (DiagnosticReport.result, as
 * Synthea's "Basic Metabolic Panel" and Oracle Health's lab reports do). Null for anything else, for a report
 * withdrawn, and for one that lists no result (a report with only a document is a report, not a panel).
 */
export function mapLabPanel(value: unknown): { panel: LabPanel; results: string[] } | null {
  const report = resourceOf(value, 'DiagnosticReport');
  if (!report || withdrawnStatus(report)) return null;
  const results = arr(report.result)
    .map((reference) => referencedId(reference, 'Observation'))
    .filter((id): id is string => id !== null);
  if (results.length === 0) return null;
  return {
    panel: {
      id: resourceId(report),
      name: codedText(report.code),
      date: choiceDate(report, 'effective') ?? fhirDate(report.issued),
    },
    results,
  };
}

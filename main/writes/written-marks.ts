import type { SectionPage } from '../../common/chart';
import type { SessionContext } from '../smart/session-view';
import type { AuditTrail } from './audit-trail';

const WRITABLE_SECTIONS: Partial<Record<SectionPage['section'], string>> = {
  vitals: 'Observation',
  medications: 'MedicationRequest',
  notes: 'DocumentReference',
};

/**
 * Marks the chart rows ChartDesk wrote (the audit trail knows them by EHR, type and id), so that they stay marked
 * as written from ChartDesk after the chart is read again, even where the EHR keeps no trace of the writer.
 */
export function markWrittenRows(page: SectionPage, session: SessionContext | null, audit: AuditTrail): SectionPage {
  const resourceType = WRITABLE_SECTIONS[page.section];
  if (!resourceType || !session) return page;
  const rows = page.rows.map((row) =>
    audit.wrote(session.fhirBaseUrl, resourceType, row.id) ? { ...row, fromChartDesk: true } : row,
  );
  return { ...page, rows } as SectionPage;
}

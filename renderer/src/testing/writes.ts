import type { MedicationRow } from '../../../common/chart';
import { WRITE_ACTIONS } from '../../../common/write-kinds';
import type {
  DraftSummary,
  WriteAvailabilities,
  WriteConflict,
  WritePreview,
  WriteResult,
  WrittenRows,
} from '../../../common/writes';

/** Builders for the write views' tests: what main answers at each step of a write. */
export const ALL_OFFERED: WriteAvailabilities = Object.fromEntries(
  WRITE_ACTIONS.map((action) => [action, { offered: true }]),
) as WriteAvailabilities;

export function preview(overrides: Partial<WritePreview> = {}): WritePreview {
  return {
    draftId: 'draft-1',
    action: 'record-vitals',
    connectionId: 'conn-1',
    ehrName: 'Sandbox',
    patientId: 'pat-1',
    patientName: 'Ada Lovelace',
    encounterId: 'enc-9',
    lines: [{ label: 'Heart rate', value: '72 /min' }],
    warnings: [],
    requests: [
      {
        method: 'POST',
        url: 'http://127.0.0.1:8080/fhir/Observation',
        condition: { header: 'If-None-Exist', value: 'identifier=urn:ietf:rfc:3986|urn:uuid:0b1c' },
        body: '{\n  "resourceType": "Observation"\n}',
      },
    ],
    ...overrides,
  };
}

export function medication(overrides: Partial<MedicationRow> = {}): MedicationRow {
  return {
    id: 'medreq-1',
    medication: { text: 'lisinopril 10 MG Oral Tablet', system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' },
    dosage: 'Take 1 tablet by mouth once daily',
    dose: '1 tablet',
    route: 'Oral',
    frequency: 'once daily',
    status: 'active',
    intent: 'order',
    reported: false,
    prescriber: 'Dr Grace Hopper',
    authoredOn: '2024-01-15',
    ...overrides,
  };
}

export const NO_ROWS: WrittenRows = { vitals: [], medications: [], notes: [] };

export function written(rows: Partial<WrittenRows> = {}, draftId = 'draft-1'): WriteResult {
  return {
    status: 'written',
    draftId,
    resources: [{ resourceType: 'Observation', id: 'obs-new', versionId: '1' }],
    rows: { ...NO_ROWS, ...rows },
  };
}

export function draft(overrides: Partial<DraftSummary> = {}): DraftSummary {
  return {
    draftId: 'draft-1',
    action: 'record-vitals',
    connectionId: 'conn-1',
    patientId: 'pat-1',
    patientName: 'Ada Lovelace',
    createdAt: '2026-11-30T10:00:00Z',
    lastAttemptAt: '2026-11-30T10:01:00Z',
    lastError: 'The EHR could not be reached. Check the network, then retry.',
    lines: [{ label: 'Heart rate', value: '72 /min' }],
    savedOnDisk: true,
    ...overrides,
  };
}

export function failed(message: string, details: string[] = [], draftId = 'draft-1'): WriteResult {
  return { status: 'failed', draftId, message, details, resources: [], draft: draft({ draftId, lastError: message }) };
}

export function conflict(overrides: Partial<WriteConflict> = {}): WriteResult {
  return {
    status: 'conflict',
    draftId: 'draft-1',
    conflict: {
      resourceType: 'MedicationRequest',
      id: 'medreq-1',
      yourVersion: '1',
      currentVersion: '2',
      yours: medication(),
      current: medication({ dosage: 'Take 2 tablets by mouth once daily' }),
      differences: [
        { label: 'Dosage', yours: 'Take 1 tablet by mouth once daily', current: 'Take 2 tablets by mouth once daily' },
      ],
      ...overrides,
    },
  };
}

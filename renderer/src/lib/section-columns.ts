import type { AllergyRow, ImmunizationRow, MedicationRow, ObservationRow, ProblemRow } from '../../../common/chart';
import { formatDate, formatDateTime, formatObservationValue, toTime } from './format';
import type { Column } from './table';
import { observationTime } from './trends';

/** The columns of each chart table. Dates sort by time, not by their text. */

const byTime = (value: string | null) => toTime(value);

export const observationColumns: readonly Column<ObservationRow>[] = [
  {
    id: 'date',
    label: 'Date',
    text: (row) => formatDateTime(row.effective),
    sortKey: observationTime,
    width: '10rem',
  },
  { id: 'test', label: 'Test', text: (row) => row.code.text, width: 'minmax(10rem, 2fr)' },
  {
    id: 'value',
    label: 'Value',
    text: (row) => formatObservationValue(row),
    sortKey: (row) => row.value?.value ?? (formatObservationValue(row).toLowerCase() || null),
    width: 'minmax(7rem, 1fr)',
  },
  { id: 'range', label: 'Reference range', text: (row) => row.referenceRange ?? '', width: 'minmax(7rem, 1fr)' },
  { id: 'flag', label: 'Flag', text: (row) => row.flag ?? (row.abnormal ? 'abnormal' : ''), width: '5rem' },
];

export const problemColumns: readonly Column<ProblemRow>[] = [
  { id: 'problem', label: 'Problem', text: (row) => row.code.text, width: 'minmax(12rem, 3fr)' },
  { id: 'status', label: 'Status', text: (row) => row.clinicalStatus ?? 'unknown', width: '7rem' },
  { id: 'onset', label: 'Onset', text: (row) => formatDate(row.onset), sortKey: (row) => byTime(row.onset), width: '8rem' },
  {
    id: 'resolved',
    label: 'Resolved',
    text: (row) => formatDate(row.abatement),
    sortKey: (row) => byTime(row.abatement),
    width: '8rem',
  },
  { id: 'verification', label: 'Verification', text: (row) => row.verificationStatus ?? '', width: '7rem' },
];

export const medicationColumns: readonly Column<MedicationRow>[] = [
  { id: 'drug', label: 'Medication', text: (row) => row.medication.text, width: 'minmax(12rem, 3fr)' },
  { id: 'dosage', label: 'Dosage', text: (row) => row.dosage ?? '', width: 'minmax(10rem, 2fr)' },
  { id: 'status', label: 'Status', text: (row) => row.status, width: '7rem' },
  { id: 'prescriber', label: 'Prescriber', text: (row) => row.prescriber ?? '', width: 'minmax(8rem, 1fr)' },
  {
    id: 'date',
    label: 'Date',
    text: (row) => formatDate(row.authoredOn),
    sortKey: (row) => byTime(row.authoredOn),
    width: '8rem',
  },
];

export const allergyColumns: readonly Column<AllergyRow>[] = [
  { id: 'substance', label: 'Substance', text: (row) => row.substance.text, width: 'minmax(10rem, 2fr)' },
  { id: 'reaction', label: 'Reaction', text: (row) => row.reactions.join(', '), width: 'minmax(10rem, 2fr)' },
  { id: 'criticality', label: 'Criticality', text: (row) => row.criticality ?? '', width: '8rem' },
  { id: 'status', label: 'Status', text: (row) => row.clinicalStatus ?? '', width: '7rem' },
  {
    id: 'recorded',
    label: 'Recorded',
    text: (row) => formatDate(row.recorded),
    sortKey: (row) => byTime(row.recorded),
    width: '8rem',
  },
];

export const immunizationColumns: readonly Column<ImmunizationRow>[] = [
  { id: 'vaccine', label: 'Vaccine', text: (row) => row.vaccine.text, width: 'minmax(12rem, 3fr)' },
  {
    id: 'date',
    label: 'Date',
    text: (row) => formatDate(row.occurrence),
    sortKey: (row) => byTime(row.occurrence),
    width: '8rem',
  },
  { id: 'status', label: 'Status', text: (row) => row.status, width: '7rem' },
];

export const NEWEST_FIRST = (columnId: string) => ({ columnId, direction: 'desc' as const });

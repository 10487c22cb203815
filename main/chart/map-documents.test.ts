import { describe, expect, it } from 'vitest';
import type { DocumentRow, ProcedureRow } from '../../common/chart';
import { cellText, type Column, documentColumns, procedureColumns } from '../../common/section-columns';
import { mapDiagnosticReport, mapDocumentReference } from './mappers/map-document';
import { mapProcedure } from './mappers/map-procedure';
import { readReal } from './testing/real-fixtures';

/**
 * Notes, reports and procedures mapped from real examples (fixtures/real/SOURCES.md): US Core's clinical notes,
 * HL7's DocumentReference, DiagnosticReports and Procedures, Oracle Health's DocumentReference. Each test names its file.
 */

const cell = <T>(columns: readonly Column<T>[], id: string, row: T) => {
  const column = columns.find((each) => each.id === id);
  if (!column) throw new Error(`No column ${id}`);
  return cellText(column, row);
};
/** The base64 data of the first attachment of a content or presentedForm list. */
function inlineData(list: unknown): string {
  const first = (list as Array<{ data?: string; attachment?: { data?: string } }>)[0];
  const data = first?.attachment?.data ?? first?.data;
  if (!data) throw new Error('No inline data');
  return data;
}
const note = (file: string) => mapDocumentReference(readReal(file)) as DocumentRow;
const report = (file: string) => mapDiagnosticReport(readReal(file));

describe('clinical notes (DocumentReference)', () => {
  it('a US Core SOAP note: text inline, its size measured from the data (us-core/DocumentReference-soap-note.json)', () => {
    const row = note('us-core/DocumentReference-soap-note.json');
    expect(row).toMatchObject({
      resourceId: 'soap-note',
      type: { text: 'Outpatient Progress note', code: '34131-3' },
      date: '2026-03-24T19:38:38.439Z',
      status: 'current',
      docStatus: null,
      // The only author is a reference without a display: nobody is named rather than a guess.
      author: null,
    });
    const data = inlineData(readReal('us-core/DocumentReference-soap-note.json').content);
    expect(row.attachments).toEqual([
      { index: 0, contentType: 'text/plain', title: null, size: Buffer.from(data, 'base64').byteLength, source: 'inline' },
    ]);
    expect(cell(documentColumns, 'format', row)).toBe('Text');
    expect(cell(documentColumns, 'author', row)).toBe('—');
  });

  it('a US Core episode summary: content by Binary URL, author and description (us-core/DocumentReference-episode-summary.json)', () => {
    const row = note('us-core/DocumentReference-episode-summary.json');
    expect(row).toMatchObject({
      type: { text: 'CCD Document' },
      category: 'Clinical Note',
      author: 'Ronald Bone, MD',
      description: 'Pulmonology clinic acute visit',
    });
    expect(row.attachments).toEqual([
      {
        index: 0,
        contentType: 'text/plain',
        title: 'Uri where the data can be found: [base]/Binary/1-note',
        size: null,
        source: 'url',
      },
    ]);
    expect(cell(documentColumns, 'format', row)).toBe('Text');
  });

  it('HL7’s XDS example: the period of care as its date, a contained author, a CDA listed but not opened (hl7-r4-examples/DocumentReference-example.json)', () => {
    const row = note('hl7-r4-examples/DocumentReference-example.json');
    expect(row).toMatchObject({
      date: '2004-12-23T08:00:00+11:00', // context.period.start, before `date` (2005-12-24)
      author: 'Gerald Smitty', // #a2, a contained Practitioner; Practitioner/xcda1 has no display
      category: 'History and Physical',
      docStatus: 'preliminary',
    });
    expect(row.attachments).toEqual([
      { index: 0, contentType: 'application/hl7-v3+xml', title: 'Physical', size: 3654, source: 'url' },
    ]);
    expect(cell(documentColumns, 'status', row)).toBe('Preliminary');
    expect(cell(documentColumns, 'format', row)).toBe('CDA (cannot be shown)');
  });

  it('Oracle Health: a data-absent category is no category; a PDF by absolute Binary URL (oracle-health/r4-document-reference.json)', () => {
    const row = note('oracle-health/r4-document-reference.json');
    expect(row).toMatchObject({
      resourceId: '198381924',
      type: { text: 'Waveform Strip' },
      category: null,
      author: 'Model, User 154 Cerner',
      docStatus: 'final',
    });
    expect(row.attachments).toEqual([{ index: 0, contentType: 'application/pdf', title: 'test1', size: null, source: 'url' }]);
    expect(cell(documentColumns, 'format', row)).toBe('PDF');
  });

  it('a note entered in error, or superseded, says so (status changed on us-core/DocumentReference-soap-note.json)', () => {
    const real = readReal('us-core/DocumentReference-soap-note.json');
    expect(mapDocumentReference({ ...real, status: 'entered-in-error' })).toBeNull();
    expect(mapDocumentReference({ ...real, docStatus: 'entered-in-error' })).toBeNull();
    const superseded = mapDocumentReference({ ...real, status: 'superseded' }) as DocumentRow;
    expect(cell(documentColumns, 'status', superseded)).toBe('Superseded by a newer version');
  });
});

describe('reports (DiagnosticReport with a presented form)', () => {
  it('a pathology report with its PDF inline (hl7-r4-examples/DiagnosticReport-gingival-mass.json)', () => {
    const row = report('hl7-r4-examples/DiagnosticReport-gingival-mass.json') as DocumentRow;
    expect(row).toMatchObject({
      type: { text: 'Biopsy without Microscopic Description (1 Site/Lesion)-Standard' },
      category: 'Pathology',
      date: '2017-03-02', // effectiveDateTime, before issued
      author: 'Sean Stover, BS,\u00a0DVM, DABVP (Canine/Feline), DACVP', // resultsInterpreter, before performer
    });
    const data = inlineData(readReal('hl7-r4-examples/DiagnosticReport-gingival-mass.json').presentedForm);
    expect(row.attachments).toHaveLength(1);
    expect(row.attachments[0]).toMatchObject({ contentType: 'application/pdf', source: 'inline' });
    expect(row.attachments[0]?.size).toBe(Buffer.from(data, 'base64').byteLength);
    expect(cell(documentColumns, 'format', row)).toBe('PDF');
  });

  it('the organisation that performed it when no one interpreted it (hl7-r4-examples/DiagnosticReport-example-pgx.json)', () => {
    const row = report('hl7-r4-examples/DiagnosticReport-example-pgx.json') as DocumentRow;
    // Its only performer is Organization/4829, without a display: no author rather than an id.
    expect(row).toMatchObject({ type: { text: 'Pharmacogenetics Report' }, author: null, date: '2016-10-15T12:34:56+11:00' });
    expect(row.attachments[0]).toMatchObject({ title: 'Pharmacogenetics Report', size: 17, source: 'inline' });
  });

  it('a report without a presented form is a panel of results, listed with the labs, not here (hl7-r4-examples/DiagnosticReport-f201.json)', () => {
    expect(report('hl7-r4-examples/DiagnosticReport-f201.json')).toBeNull();
  });

  it('a cancelled report or one entered in error is not listed (status changed on the gingival-mass example)', () => {
    const real = readReal('hl7-r4-examples/DiagnosticReport-gingival-mass.json');
    expect(mapDiagnosticReport({ ...real, status: 'cancelled' })).toBeNull();
    expect(mapDiagnosticReport({ ...real, status: 'entered-in-error' })).toBeNull();
    expect(mapDiagnosticReport({ ...real, status: 'amended' })).toMatchObject({ status: 'amended' });
  });
});

describe('procedures', () => {
  it('a dated procedure with performer and reason (hl7-r4-examples/Procedure-example.json)', () => {
    const row = mapProcedure(readReal('hl7-r4-examples/Procedure-example.json')) as ProcedureRow;
    expect(row).toMatchObject({
      code: { text: 'Appendectomy', code: '80146002' },
      status: 'completed',
      performed: '2013-04-05',
      performer: 'Dr Cecil Surgeon',
      reason: 'Generalized abdominal pain 24 hours. Localized in RIF with rebound and guarding',
      bodySite: null,
    });
    expect(cell(procedureColumns, 'procedure', row)).toBe('Appendectomy');
  });

  it('a procedure over a period, with a body site and a code without text (hl7-r4-examples/Procedure-f201.json)', () => {
    const row = mapProcedure(readReal('hl7-r4-examples/Procedure-f201.json')) as ProcedureRow;
    expect(row).toMatchObject({
      code: { text: 'Chemotherapy' }, // the coding's display
      performed: '2013-01-28T13:31:00+01:00',
      performedEnd: '2013-01-28T14:27:00+01:00',
      performer: 'Dokter Bronsig',
      bodySite: 'Sphenoid bone',
    });
  });

  it('a procedure entered in error is not listed; one not done stays, saying so', () => {
    const real = readReal('hl7-r4-examples/Procedure-example.json');
    expect(mapProcedure({ ...real, status: 'entered-in-error' })).toBeNull();
    expect(mapProcedure({ ...real, status: 'not-done' })).toMatchObject({ status: 'not-done' });
  });
});

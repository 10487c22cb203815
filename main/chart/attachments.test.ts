import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../common/attachments';
import type { AttachmentRequest } from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { FhirResource } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import { type AttachmentAccess, readAttachment } from './attachments';
import { readReal } from './testing/real-fixtures';

/**
 * The attachment reader on real documents (fixtures/real/SOURCES.md), through an in-memory FHIR client that
 * records what it was asked to read: the document is read again, must name the chart's patient, and its content
 * comes inline or from a Binary on the same FHIR server only, within the size limit.
 */

const ORACLE_BASE = 'https://fhir-open.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';

type ReadingClient = AttachmentAccess['client'] & { reads: string[] };

function memoryClient(baseUrl: string, resources: FhirResource[]): ReadingClient {
  const reads: string[] = [];
  const find = (reference: string) => {
    reads.push(reference);
    const found = resources.find((resource) => `${resource.resourceType}/${String(resource.id)}` === reference);
    if (!found) return Promise.reject(new FhirError('http', `${reference} was not found.`, 404));
    return Promise.resolve(found);
  };
  return {
    baseUrl,
    reads,
    read: (resourceType, id) => find(`${resourceType}/${id}`),
    readReference: find,
  };
}

const real = (file: string) => readReal(file) as FhirResource;
const request = (resourceType: AttachmentRequest['resourceType'], id: string, patientId: string, index = 0) => ({
  resourceType,
  id,
  patientId,
  index,
});

async function refusal(promise: Promise<unknown>): Promise<ChartDeskError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ChartDeskError)) throw new Error(`Expected a ChartDeskError, got ${String(error)}`);
  return error;
}

/** Oracle Health's DocumentReference (a PDF by absolute Binary URL), its Binary holding HL7's Binary-example PDF. */
function oracleDocument(): FhirResource[] {
  const binary = real('hl7-r4-examples/Binary-example.json');
  return [real('oracle-health/r4-document-reference.json'), { ...binary, id: 'XR-198381924' }];
}

describe('readAttachment', () => {
  it('decodes a US Core SOAP note’s inline text (us-core/DocumentReference-soap-note.json)', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('us-core/DocumentReference-soap-note.json')]);
    const content = await readAttachment(
      { client, documentContent: false },
      request('DocumentReference', 'soap-note', 'example'),
    );
    expect(content).toMatchObject({ format: 'text', contentType: 'text/plain', base64: null, patientId: 'example' });
    expect(content.text).toMatch(/^S: Patient complained of sore toe/);
    expect(content.size).toBe(Buffer.byteLength(content.text ?? '', 'utf8'));
    expect(client.reads).toEqual(['DocumentReference/soap-note']);
  });

  it('refuses a document that names another patient than the chart’s', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('us-core/DocumentReference-soap-note.json')]);
    const error = await refusal(
      readAttachment({ client, documentContent: true }, request('DocumentReference', 'soap-note', 'someone-else')),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/does not name the patient whose chart is open/);
  });

  it('refuses a report whose subject is only a display name (hl7-r4-examples/DiagnosticReport-gingival-mass.json)', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('hl7-r4-examples/DiagnosticReport-gingival-mass.json')]);
    const error = await refusal(
      readAttachment({ client, documentContent: true }, request('DiagnosticReport', 'gingival-mass', 'max-jones')),
    );
    expect(error.code).toBe('forbidden');
  });

  it('reads a PDF from a Binary named by an absolute URL under the FHIR base (oracle-health/r4-document-reference.json)', async () => {
    const client = memoryClient(ORACLE_BASE, oracleDocument());
    const content = await readAttachment(
      { client, documentContent: true },
      request('DocumentReference', '198381924', '12769853'),
    );
    expect(content).toMatchObject({ format: 'pdf', contentType: 'application/pdf', text: null });
    expect(
      Buffer.from(content.base64 ?? '', 'base64')
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(content.size).toBe(130_068);
    expect(client.reads).toEqual(['DocumentReference/198381924', 'Binary/XR-198381924']);
  });

  it('does not read a Binary the EHR did not grant', async () => {
    const client = memoryClient(ORACLE_BASE, oracleDocument());
    const error = await refusal(
      readAttachment({ client, documentContent: false }, request('DocumentReference', '198381924', '12769853')),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/did not grant ChartDesk access to document content \(Binary\)/);
    expect(client.reads).toEqual(['DocumentReference/198381924']);
  });

  it('never fetches content kept on another server than the FHIR base', async () => {
    const client = memoryClient('https://ehr.example/fhir', oracleDocument());
    const error = await refusal(
      readAttachment({ client, documentContent: true }, request('DocumentReference', '198381924', '12769853')),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('kept on another server (fhir-open.cerner.com)');
    expect(client.reads).toEqual(['DocumentReference/198381924']);
  });

  it('reads a Binary named by a relative URL, leading slash and all (us-core/DocumentReference-episode-summary.json)', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('us-core/DocumentReference-episode-summary.json')]);
    const error = await readAttachment(
      { client, documentContent: true },
      request('DocumentReference', 'episode-summary', 'example'),
    ).catch((caught: unknown) => caught);
    // The example's Binary is not published: the reader asked the FHIR server for it, by its relative reference.
    expect(error).toBeInstanceOf(FhirError);
    expect(client.reads).toEqual(['DocumentReference/episode-summary', 'Binary/1-note']);
  });

  it('names a format it cannot show instead of opening it (hl7-r4-examples/DocumentReference-example.json, a CDA)', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('hl7-r4-examples/DocumentReference-example.json')]);
    const error = await refusal(
      readAttachment({ client, documentContent: true }, request('DocumentReference', 'example', 'xcda')),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('a format ChartDesk cannot show (CDA)');
    expect(client.reads).toEqual(['DocumentReference/example']);
  });

  it('refuses what is called a PDF but is not one (hl7-r4-examples/DiagnosticReport-example-pgx.json)', async () => {
    const client = memoryClient('https://ehr.example/fhir', [real('hl7-r4-examples/DiagnosticReport-example-pgx.json')]);
    const error = await refusal(
      readAttachment({ client, documentContent: true }, request('DiagnosticReport', 'example-pgx', '899962')),
    );
    expect(error.message).toBe('The EHR says this document is a PDF, but what it sent is not one.');
  });

  describe('on the SOAP note with one element changed', () => {
    const soap = real('us-core/DocumentReference-soap-note.json');
    const withAttachment = (attachment: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      memoryClient('https://ehr.example/fhir', [{ ...soap, ...extra, content: [{ attachment }] }]);
    const open = (client: ReadingClient, index = 0) =>
      readAttachment({ client, documentContent: true }, request('DocumentReference', 'soap-note', 'example', index));

    it(`refuses more than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, declared or measured`, async () => {
      const declared = await refusal(
        open(withAttachment({ contentType: 'text/plain', url: 'Binary/big', size: MAX_ATTACHMENT_BYTES + 1 })),
      );
      expect(declared.message).toMatch(/larger than 20 MB/);
      const data = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 'a').toString('base64');
      const measured = await refusal(open(withAttachment({ contentType: 'text/plain', data })));
      expect(measured.message).toMatch(/larger than 20 MB/);
      expect(
        await open(withAttachment({ contentType: 'text/plain', data: Buffer.alloc(1024, 'a').toString('base64') })),
      ).toMatchObject({
        size: 1024,
      });
    });

    it('decodes text in its declared charset', async () => {
      const data = Buffer.from('Température 37,9 °C', 'latin1').toString('base64');
      const content = await open(withAttachment({ contentType: 'text/plain; charset=ISO-8859-1', data }));
      expect(content.text).toBe('Température 37,9 °C');
    });

    it('says the content is damaged when its base64 is not', async () => {
      const error = await refusal(open(withAttachment({ contentType: 'text/plain', data: 'not base64!' })));
      expect(error.message).toMatch(/damaged/);
    });

    it('says a document now entered in error is no longer part of the record', async () => {
      const client = memoryClient('https://ehr.example/fhir', [{ ...soap, status: 'entered-in-error' }]);
      const error = await refusal(open(client));
      expect(error.code).toBe('not-found');
    });

    it('says when the attachment asked for is no longer listed', async () => {
      const error = await refusal(open(memoryClient('https://ehr.example/fhir', [soap]), 1));
      expect(error.code).toBe('not-found');
      expect(error.message).toMatch(/no longer lists this document/);
    });
  });
});

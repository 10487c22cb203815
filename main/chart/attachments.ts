import { attachmentFormat, charsetOf, formatName, MAX_ATTACHMENT_BYTES, mediaType } from '../../common/attachments';
import type { AttachmentContent, AttachmentRequest } from '../../common/chart';
import { FHIR_ID_PATTERN } from '../../common/fhir-patterns';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { FhirClient } from '../fhir/fhir-client';
import { arr, type Json, obj, str } from '../fhir/fhir-read';
import { WITHDRAWN_WORDS } from '../../common/withdrawn';
import { withdrawnStatus } from './mappers/withdrawn';

/**
 * Opens one attachment of a note or report for the viewer. The document is read again from the EHR (its rows
 * never carry content) and must name the patient whose chart asked for it; the content comes inline or from a
 * Binary on the same FHIR server, through the FHIR client (the only code that sends the session's token, and
 * only under the FHIR base), within MAX_ATTACHMENT_BYTES. Anything else is refused with words for the clinician.
 */

export interface AttachmentAccess {
  /** Reads only: the document, then its Binary. */
  client: Pick<FhirClient, 'baseUrl' | 'read' | 'readReference'>;
  /** Binary was granted: content kept apart from the document may be read. */
  documentContent: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** `Binary/id`, also written `/Binary/id` (US Core's episode-summary example: "[base]/Binary/1-note"). */
const RELATIVE_BINARY = new RegExp(`^/?(Binary/${FHIR_ID_PATTERN})$`);

export async function readAttachment(access: AttachmentAccess, request: AttachmentRequest): Promise<AttachmentContent> {
  const { client } = access;
  const resource = await client.read(request.resourceType, request.id);
  if (!namesPatient(resource.subject, request.patientId, client.baseUrl)) {
    throw new ChartDeskError(
      'forbidden',
      'This document does not name the patient whose chart is open, so ChartDesk did not open it. Tell your EHR administrator.',
    );
  }
  const withdrawn = withdrawnStatus(resource);
  if (withdrawn) {
    throw new ChartDeskError(
      'not-found',
      `The EHR now marks this document as ${WITHDRAWN_WORDS[withdrawn]}: it is no longer part of the record.`,
    );
  }
  const list =
    request.resourceType === 'DocumentReference'
      ? arr(resource.content).map((item) => obj(item)?.attachment)
      : arr(resource.presentedForm);
  const attachment = obj(list[request.index]);
  if (!attachment)
    throw new ChartDeskError(
      'not-found',
      'The EHR no longer lists this document. Reopen the chart to see its documents as they are now.',
    );

  const declared = mediaType(str(attachment.contentType));
  checkShowable(declared);
  const declaredSize = typeof attachment.size === 'number' ? attachment.size : null;
  if (declaredSize !== null && declaredSize > MAX_ATTACHMENT_BYTES) throw tooLarge();

  const { bytes, contentType } = await contentOf(access, attachment, declared);
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) throw tooLarge();
  const format = checkShowable(mediaType(contentType));
  const base = { patientId: request.patientId, resourceType: request.resourceType, id: request.id, index: request.index };
  if (format === 'pdf') {
    if (bytes.subarray(0, 1024).indexOf('%PDF-') === -1) {
      throw new ChartDeskError('network', 'The EHR says this document is a PDF, but what it sent is not one.');
    }
    return {
      ...base,
      format,
      contentType: 'application/pdf',
      text: null,
      base64: bytes.toString('base64'),
      size: bytes.byteLength,
    };
  }
  return {
    ...base,
    format,
    contentType: mediaType(contentType) ?? 'text/plain',
    text: decodeText(bytes, contentType),
    base64: null,
    size: bytes.byteLength,
  };
}

/** Whether a subject reference is the patient: `Patient/id`, or the same under this FHIR base. */
function namesPatient(subject: unknown, patientId: string, baseUrl: string): boolean {
  const reference = str(obj(subject)?.reference);
  return reference === `Patient/${patientId}` || reference === `${baseUrl}/Patient/${patientId}`;
}

function checkShowable(contentType: string | null) {
  const format = attachmentFormat(contentType);
  if (!format) {
    throw new ChartDeskError(
      'invalid-input',
      `This document is in a format ChartDesk cannot show (${formatName(contentType)}). Open it in the EHR.`,
    );
  }
  return format;
}

function tooLarge(): ChartDeskError {
  return new ChartDeskError(
    'invalid-input',
    `This document is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, more than ChartDesk opens. Open it in the EHR.`,
  );
}

/** The attachment's bytes: its inline data, or the Binary its URL names on this FHIR server. */
async function contentOf(
  access: AttachmentAccess,
  attachment: Json,
  declared: string | null,
): Promise<{ bytes: Buffer; contentType: string | null }> {
  const data = str(attachment.data);
  if (data) return { bytes: decodeBase64(data), contentType: str(attachment.contentType) };
  const url = str(attachment.url);
  if (!url) throw new ChartDeskError('not-found', 'The EHR sent this document without its content.');
  const reference = binaryReference(url, access.client.baseUrl);
  if (!reference) {
    throw new ChartDeskError(
      'forbidden',
      `This document is kept on another server (${hostOf(url)}); ChartDesk opens documents from this EHR only. Open it in the EHR.`,
    );
  }
  if (!access.documentContent) {
    throw new ChartDeskError(
      'forbidden',
      'The EHR did not grant ChartDesk access to document content (Binary). Ask your EHR administrator to allow it, then sign in again.',
    );
  }
  const binary = await access.client.readReference(reference);
  const binaryData = str(binary.data);
  if (!binaryData) throw new ChartDeskError('not-found', "The EHR answered without the document's content.");
  return { bytes: decodeBase64(binaryData), contentType: str(binary.contentType) ?? declared };
}

/** `Binary/id` for a URL naming a Binary on this FHIR server (relative, or absolute under the base); null otherwise. */
function binaryReference(url: string, baseUrl: string): string | null {
  const relative = url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length + 1) : url;
  return RELATIVE_BINARY.exec(relative)?.[1] ?? null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || 'an unknown server';
  } catch {
    return 'an address ChartDesk cannot read';
  }
}

function decodeBase64(data: string): Buffer {
  const clean = data.replace(/\s+/g, '');
  if (clean.length % 4 === 1 || !BASE64.test(clean))
    throw new ChartDeskError('network', 'The EHR sent this document damaged (its content is not valid base64).');
  return Buffer.from(clean, 'base64');
}

/** Text in its declared charset (UTF-8 when none, or one Node does not know). */
function decodeText(bytes: Buffer, contentType: string | null): string {
  const charset = charsetOf(contentType) ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

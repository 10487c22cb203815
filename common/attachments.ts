import type { AttachmentFormat, AttachmentSummary, DocumentSource } from './chart';

/**
 * What ChartDesk can show of a document's attachment, decided once for main (which reads and checks the
 * content) and the renderer (which lists and opens it): plain text, HTML (sanitized before it is shown) and
 * PDF (drawn by pdf.js). Anything else is listed by its format and not opened.
 */

/** The sections whose documents open in the viewer, and the resource each lists. */
export const DOCUMENT_SECTIONS = {
  notes: 'DocumentReference',
  reports: 'DiagnosticReport',
} as const satisfies Record<string, DocumentSource>;
export type DocumentSectionId = keyof typeof DOCUMENT_SECTIONS;

/** The largest attachment ChartDesk opens, decoded; a larger one is refused before or as it is read. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const FORMATS: Record<string, AttachmentFormat> = {
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
};

/** Names for the formats EHRs attach, for the list. */
const FORMAT_NAMES: Record<string, string> = {
  'text/plain': 'Text',
  'text/html': 'HTML',
  'application/xhtml+xml': 'HTML',
  'application/pdf': 'PDF',
  'text/rtf': 'RTF',
  'application/rtf': 'RTF',
  'application/hl7-v3+xml': 'CDA',
  'application/xml': 'XML',
  'text/xml': 'XML',
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/tiff': 'TIFF image',
  'application/dicom': 'DICOM',
};

/** "Text/HTML; charset=UTF-8" → "text/html"; null for nothing. */
export function mediaType(contentType: string | null | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** The charset parameter of a content type, lower case, or null. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}

/** How the viewer shows this content type, or null when ChartDesk cannot show it. */
export function attachmentFormat(contentType: string | null | undefined): AttachmentFormat | null {
  const type = mediaType(contentType);
  return type ? (FORMATS[type] ?? null) : null;
}

/** The format in words: "PDF", "HTML", "RTF", else the media type, else "unknown format". */
export function formatName(contentType: string | null): string {
  const type = mediaType(contentType);
  if (!type) return 'unknown format';
  return FORMAT_NAMES[type] ?? type;
}

/** Whether ChartDesk can open this attachment: a format it shows, with content it can reach, not over the size limit. */
export function canOpen(attachment: AttachmentSummary): boolean {
  return (
    attachmentFormat(attachment.contentType) !== null &&
    attachment.source !== 'none' &&
    (attachment.size === null || attachment.size <= MAX_ATTACHMENT_BYTES)
  );
}

/** The attachment opened first: the first one ChartDesk can show, in the EHR's order (Epic lists HTML before RTF). */
export function firstOpenable(attachments: readonly AttachmentSummary[]): AttachmentSummary | null {
  return attachments.find(canOpen) ?? null;
}

/** "1.2 MB", "340 kB", "512 bytes". */
export function formatSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${bytes} bytes`;
}

/** The Format cell of a document: each attachment's format, marked when ChartDesk cannot open it. */
export function attachmentsText(attachments: readonly AttachmentSummary[]): string {
  if (attachments.length === 0) return 'no content';
  return attachments
    .map((attachment) => {
      const name = formatName(attachment.contentType);
      if (canOpen(attachment)) return name;
      if (attachment.source === 'none') return `${name} (no content)`;
      if (attachment.size !== null && attachment.size > MAX_ATTACHMENT_BYTES) return `${name} (too large to open)`;
      return `${name} (cannot be shown)`;
    })
    .join(', ');
}

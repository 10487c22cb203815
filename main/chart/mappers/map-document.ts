import { mediaType } from '../../../common/attachments';
import type { AttachmentSummary, DocumentRow } from '../../../common/chart';
import {
  arr,
  choiceDate,
  codedText,
  codings,
  conceptText,
  fhirDate,
  type Json,
  num,
  obj,
  referencedId,
  resourceId,
  str,
} from '../../fhir/fhir-read';
import { referenceName } from './references';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

/**
 * DocumentReference (clinical notes, US Core) and DiagnosticReport with a presented form (reports) → document
 * rows. The rows describe each attachment without its content: main reads the content again when the clinician
 * opens it (main/chart/attachments.ts), so the chart and its cache never hold a PDF.
 */

const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

/** DocumentReference → note row, or withdrawn when it (or its docStatus) is entered in error (withdrawn.ts); null for anything else. */
export function noteOutcome(value: unknown): Outcome<DocumentRow> {
  return outcomeOf(value, 'DocumentReference', noteRow);
}

/** The note row of a DocumentReference; null for anything else and for one entered in error. */
export function mapDocumentReference(value: unknown): DocumentRow | null {
  return rowOf(noteOutcome(value));
}

function noteRow(document: Json): DocumentRow {
  const status = str(document.status) ?? 'unknown';
  const docStatus = str(document.docStatus);
  const contents = arr(document.content).map((content) => obj(obj(content)?.attachment));
  const context = obj(document.context);
  return {
    id: resourceId(document),
    resourceId: str(document.id),
    type: codedText(document.type),
    category: categoryText(document.category),
    // The care documented first; else when the note was written, else when its content was made.
    date:
      fhirDate(obj(context?.period)?.start) ??
      fhirDate(document.date) ??
      contents.map((attachment) => fhirDate(attachment?.creation)).find((date) => date !== null) ??
      null,
    author: names(document, arr(document.author)),
    status,
    docStatus,
    description: str(document.description),
    attachments: contents.map((attachment, index) => attachmentSummary(attachment, index)),
    encounterIds: encounterIdsOf(arr(context?.encounter)),
  };
}

/**
 * DiagnosticReport → report row, only when it carries a presented form (the report as issued: a PDF, a text);
 * one without is a panel of results, shown with the labs, and none of this section's (null), withdrawn or not.
 * Withdrawn when cancelled or entered in error (withdrawn.ts).
 */
export function reportOutcome(value: unknown): Outcome<DocumentRow> {
  return outcomeOf(value, 'DiagnosticReport', reportRow, (report) => arr(report.presentedForm).length > 0);
}

/** The report row of a DiagnosticReport with a presented form; null for anything else and for one withdrawn. */
export function mapDiagnosticReport(value: unknown): DocumentRow | null {
  return rowOf(reportOutcome(value));
}

function reportRow(report: Json): DocumentRow {
  const status = str(report.status) ?? 'unknown';
  const forms = arr(report.presentedForm).map(obj);
  return {
    id: resourceId(report),
    resourceId: str(report.id),
    type: codedText(report.code),
    category: categoryText(report.category),
    date: choiceDate(report, 'effective') ?? fhirDate(report.issued),
    author: names(report, arr(report.resultsInterpreter)) ?? names(report, arr(report.performer)),
    status,
    docStatus: null,
    description: str(report.conclusion),
    attachments: forms.map((attachment, index) => attachmentSummary(attachment, index)),
    encounterIds: encounterIdsOf([report.encounter]),
  };
}

/** The encounters a document was written for (DocumentReference.context.encounter, DiagnosticReport.encounter). */
function encounterIdsOf(references: unknown[]): string[] {
  return references.map((reference) => referencedId(reference, 'Encounter')).filter((id): id is string => id !== null);
}

/** An Attachment described: type, title, size (declared, else measured from inline data) and where its content is. */
export function attachmentSummary(attachment: Json | null, index: number): AttachmentSummary {
  const data = str(attachment?.data);
  const declared = num(attachment?.size);
  return {
    index,
    contentType: mediaType(str(attachment?.contentType)),
    title: str(attachment?.title),
    size: declared !== null && declared >= 0 ? declared : data ? base64Length(data) : null,
    source: data ? 'inline' : str(attachment?.url) ? 'url' : 'none',
  };
}

/** Decoded length of base64 text (whitespace ignored). */
function base64Length(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** Categories in words; a category that only says why it is absent (Oracle Health's data-absent "Unknown") is none. */
function categoryText(categories: unknown): string | null {
  const texts = arr(categories)
    .filter((category) => {
      const coded = codings(category);
      return coded.length === 0 || coded.some((coding) => coding.system !== DATA_ABSENT);
    })
    .map(conceptText)
    .filter((text): text is string => text !== null);
  return texts.length > 0 ? [...new Set(texts)].join(', ') : null;
}

/** Who wrote it: each reference's display, or the name of a contained Practitioner it points to; null when none says. */
function names(resource: Json, references: unknown[]): string | null {
  const found = references
    .map((reference) => referenceName(reference, resource, () => null))
    .filter((name): name is string => name !== null);
  return found.length > 0 ? [...new Set(found)].join(', ') : null;
}

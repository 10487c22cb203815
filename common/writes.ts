import type { CodedText, DocumentRow, MedicationRow, ObservationRow } from './chart';
import type { DoseUnitCode } from './medication-order';
import type { NoteCategoryCode, NoteTypeCode } from './note-types';
import type { SingleVitalKind, VitalReading, VitalUnit } from './vital-entry';
import type { WriteAction, WriteAvailability } from './write-kinds';

/**
 * Writing to the EHR as the renderer sees it. A write has three steps, each a channel (common/ipc-contract.ts):
 * the clinician's request becomes a *draft* in main, shown as a preview of exactly what will be sent (`write:preview`);
 * the clinician confirms and main sends it (`write:submit`, also the Retry of a failed draft); a failed draft stays
 * until it is written or discarded (`write:drafts`, `write:discard`). Main chooses the encounter (the one in the
 * session's context, for its patient only) and the author or performer (the signed-in user): the renderer never
 * names them.
 */

export interface RecordVitalsRequest {
  action: 'record-vitals';
  connectionId: string;
  patientId: string;
  /** When the vitals were taken: an ISO date-time with an offset, not in the future. */
  effective: string;
  /** One Observation per reading, at most one per kind. */
  readings: VitalReading[];
}

export interface WriteNoteRequest {
  action: 'write-note';
  connectionId: string;
  patientId: string;
  type: NoteTypeCode;
  category: NoteCategoryCode;
  /** Optional words for the attachment's title; the type's name when absent. */
  title: string | null;
  text: string;
}

export interface ProposeMedicationRequest {
  action: 'propose-medication';
  connectionId: string;
  patientId: string;
  /** A Medication the EHR's search returned (`medications:search`): main reads it again for its code. */
  medicationId: string;
  dose: { value: number; unit: DoseUnitCode };
  /** The instructions in words ("1 tablet by mouth twice a day"). */
  sig: string;
}

export interface DiscontinueMedicationRequest {
  action: 'discontinue-medication';
  connectionId: string;
  patientId: string;
  medicationRequestId: string;
  /** Why, in the clinician's words (MedicationRequest.statusReason.text); null when not given. */
  reason: string | null;
}

export type WriteRequest = RecordVitalsRequest | WriteNoteRequest | ProposeMedicationRequest | DiscontinueMedicationRequest;

/** One HTTP request of a write, exactly as it will be sent (the token aside). */
export interface OutgoingRequest {
  method: 'POST' | 'PUT';
  url: string;
  /** The conditions that make it safe: `If-None-Exist` (a create) or `If-Match` (an update). */
  condition: { header: 'If-None-Exist' | 'If-Match'; value: string };
  /** The resource, pretty-printed JSON: what the EHR receives. */
  body: string;
}

export interface PreviewLine {
  label: string;
  value: string;
}

/** What confirming will do: in words first, then the requests themselves. */
export interface WritePreview {
  draftId: string;
  action: WriteAction;
  connectionId: string;
  /** The EHR's name as the connection calls it. */
  ehrName: string;
  patientId: string;
  /** The patient's name as the EHR gave it for this id (never another chart's), null when unknown. */
  patientName: string | null;
  /** The encounter the write is attached to, null when the session has none for this patient. */
  encounterId: string | null;
  lines: PreviewLine[];
  /** Things to read before confirming: a proposed medication that matches a recorded allergy, no encounter in context. */
  warnings: string[];
  requests: OutgoingRequest[];
}

export interface WrittenResource {
  resourceType: string;
  id: string;
  /** The version the EHR gave it (meta.versionId or ETag), null when it gave none. */
  versionId: string | null;
}

/** What was written, as rows of the chart's sections, shown at once before any reload, each marked `fromChartDesk`. */
export interface WrittenRows {
  vitals: ObservationRow[];
  medications: MedicationRow[];
  notes: DocumentRow[];
}

/** The other side of a stale update: the order as the clinician saw it and as it is now, field by field. */
export interface WriteConflict {
  resourceType: 'MedicationRequest';
  id: string;
  yourVersion: string;
  currentVersion: string | null;
  yours: MedicationRow;
  current: MedicationRow;
  /** The fields that differ, in words. */
  differences: Array<{ label: string; yours: string; current: string }>;
}

export type WriteResult =
  | { status: 'written'; draftId: string; resources: WrittenResource[]; rows: WrittenRows }
  /** The resource changed since the preview: nothing was overwritten; the draft is dropped (preview again to act on the current one). */
  | { status: 'conflict'; draftId: string; conflict: WriteConflict }
  /** Not written (or only partly: `resources` lists what was): the draft is kept for Retry. */
  | { status: 'failed'; draftId: string; message: string; details: string[]; resources: WrittenResource[]; draft: DraftSummary };

/** A draft not yet written, as the drafts list shows it. */
export interface DraftSummary {
  draftId: string;
  action: WriteAction;
  connectionId: string;
  patientId: string;
  patientName: string | null;
  /** ISO times. */
  createdAt: string;
  lastAttemptAt: string | null;
  /** Why the last attempt failed, in plain words; null when it was never sent. */
  lastError: string | null;
  lines: PreviewLine[];
  /** False when the keychain is unavailable: the draft lives in memory only and is lost when ChartDesk quits. */
  savedOnDisk: boolean;
}

/** A Medication the EHR's search returned, offered in the proposal form. */
export interface MedicationChoice {
  id: string;
  code: CodedText;
  /** The dose form in words ("Tablet"), null when not given. */
  form: string | null;
  /** Ingredient names, for the clinician and the allergy check. */
  ingredients: string[];
}

/** What may be written on a connection now, action by action, with the reason when not. */
export type WriteAvailabilities = Record<WriteAction, WriteAvailability>;

/** The vitals form as the clinician fills it: text as typed, each unit as chosen. */
export interface VitalsDraft {
  /** A `datetime-local` value: the clinician's local time. */
  takenAt: string;
  systolic: string;
  diastolic: string;
  values: Record<SingleVitalKind, string>;
  units: Record<SingleVitalKind, VitalUnit>;
}

/**
 * A write form as it stood when the idle lock fired, before it was reviewed: the fields as typed, valid or not (the
 * review judges them when the clinician goes on). Main keeps it encrypted; the renderer forgets it while locked.
 */
export type UnfinishedForm =
  | { action: 'record-vitals'; fields: VitalsDraft }
  | { action: 'write-note'; fields: { type: NoteTypeCode; category: NoteCategoryCode; title: string; text: string } }
  | {
      action: 'propose-medication';
      /** The search words and the medication chosen from their results: the form searches again to show it. */
      fields: { query: string; medicationId: string | null; dose: string; unit: DoseUnitCode; sig: string };
    }
  | { action: 'discontinue-medication'; fields: { medicationRequestId: string | null; reason: string } };

/** The fields of one action's unfinished form. */
export type UnfinishedFields<A extends WriteAction> = Extract<UnfinishedForm, { action: A }>['fields'];

/** What the renderer hands to main when the lock fires over an open, changed form (`write:keep-unfinished`). */
export interface UnfinishedWriteRequest {
  connectionId: string;
  patientId: string;
  form: UnfinishedForm;
}

/** An unfinished form as the drafts list shows it: which form, when it was saved; its fields only once it is resumed. */
export interface UnfinishedSummary {
  draftId: string;
  action: WriteAction;
  connectionId: string;
  patientId: string;
  /** ISO time the lock saved it. */
  savedAt: string;
  /** False when the keychain is unavailable: it lives in main's memory only and is lost when ChartDesk quits. */
  savedOnDisk: boolean;
}

/** An unfinished form taken up again (`write:resume-unfinished`): main no longer keeps it, the reopened form does. */
export interface ResumedForm {
  draftId: string;
  patientId: string;
  form: UnfinishedForm;
  savedAt: string;
  /** What changed since it was saved that the clinician should know (another encounter in context), or null. */
  notice: string | null;
}

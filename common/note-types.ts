/**
 * The notes a clinician can write: the five clinical note types US Core asks servers to support (LOINC document
 * codes, US Core "Clinical Notes" guidance), each in the US Core DocumentReference category `clinical-note`.
 */

export const NOTE_TYPES = [
  { code: '11506-3', display: 'Progress note' },
  { code: '11488-4', display: 'Consult note' },
  { code: '34117-2', display: 'History and physical note' },
  { code: '28570-0', display: 'Procedure note' },
  { code: '18842-5', display: 'Discharge summary' },
] as const;
export type NoteTypeCode = (typeof NOTE_TYPES)[number]['code'];
export const NOTE_TYPE_CODES = NOTE_TYPES.map((type) => type.code) as [NoteTypeCode, ...NoteTypeCode[]];

export const NOTE_CATEGORIES = [{ code: 'clinical-note', display: 'Clinical Note' }] as const;
export type NoteCategoryCode = (typeof NOTE_CATEGORIES)[number]['code'];
export const NOTE_CATEGORY_CODES = NOTE_CATEGORIES.map((category) => category.code) as [NoteCategoryCode, ...NoteCategoryCode[]];

/** A note's text is sent whole as one text/plain attachment: long enough for a discharge summary, bounded for IPC. */
export const MAX_NOTE_LENGTH = 100_000;
export const MAX_NOTE_TITLE_LENGTH = 200;

import { NOTE_CATEGORIES, NOTE_TYPES } from '../../common/note-types';
import type { WriteNoteRequest } from '../../common/writes';
import { type Authoring, type Created, mintIdentifier, subjectOf } from './authoring';

const LOINC = 'http://loinc.org';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';

/**
 * A US Core DocumentReference holding a text note (the shape of fixtures/real/us-core/DocumentReference-soap-note.json):
 * current, typed with its LOINC document code, in its category, the signed-in user as author, the text as one
 * `text/plain` attachment in UTF-8 (base64), and the encounter in context.
 */
export function buildNoteDocument(
  request: Omit<WriteNoteRequest, 'action' | 'connectionId' | 'patientId'>,
  authoring: Authoring,
): Created {
  const type = NOTE_TYPES.find((candidate) => candidate.code === request.type)!;
  const category = NOTE_CATEGORIES.find((candidate) => candidate.code === request.category)!;
  return {
    resourceType: 'DocumentReference',
    identifier: [mintIdentifier()],
    status: 'current',
    type: { coding: [{ system: LOINC, code: type.code, display: type.display }], text: type.display },
    category: [
      { coding: [{ system: US_CORE_CATEGORY, code: category.code, display: category.display }], text: category.display },
    ],
    ...subjectOf(authoring),
    date: authoring.now,
    ...(authoring.author ? { author: [{ reference: authoring.author }] } : {}),
    content: [
      {
        attachment: {
          // UTF-8 said out loud: a note may hold °, µ or accented names, which a reader assuming Latin-1 would garble.
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(request.text, 'utf8').toString('base64'),
          title: request.title ?? type.display,
          creation: authoring.now,
        },
      },
    ],
    ...(authoring.encounterId ? { context: { encounter: [{ reference: `Encounter/${authoring.encounterId}` }] } } : {}),
  };
}

import { FHIR_ID } from './fhir-patterns';
import { z } from './zod';

/** The small shapes every schema of the IPC contract is built from. */

/**
 * Marks a refinement whose message is a sentence for the clinician: the dispatcher answers with it alone, without
 * the argument's path (which means nothing to them).
 */
export const FOR_THE_CLINICIAN = { forClinician: true } as const;

/** Connection ids, load ids, draft ids and confirmation ids are ours: short, URL-safe. */
export const localId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a short identifier');
export const fhirId = z.string().regex(FHIR_ID, 'must be a FHIR id');

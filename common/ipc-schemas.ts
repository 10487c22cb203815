import { type AttachmentRequest, type ChartOpenRequest, EMPTY_PATIENT_QUERY, type PatientSearchQuery } from './chart';
import { connectionSettings } from './connection-rules';
import { FHIR_DATE } from './fhir-patterns';
import type { InvokeChannel } from './ipc-contract';
import { fhirId, FOR_THE_CLINICIAN, localId } from './schema-parts';
import { CHART_SECTION_IDS, type ChartSectionId } from './sessions';
import { medicationSearchText, unfinishedWriteRequest, writeRequest } from './write-schemas';
import { z } from './zod';

/** Run-time shapes of what the renderer sends (connection settings: common/connection-rules.ts). Strict objects: unknown keys are refused. */

export const chartSectionId: z.ZodType<ChartSectionId> = z.enum(CHART_SECTION_IDS);

export const patientSearchQuery: z.ZodType<PatientSearchQuery> = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    birthDate: z.string().regex(FHIR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
    identifier: z.string().trim().min(1).max(200).optional(),
  })
  .refine((query) => query.name !== undefined || query.birthDate !== undefined || query.identifier !== undefined, {
    message: EMPTY_PATIENT_QUERY,
    params: FOR_THE_CLINICIAN,
  });

export const chartOpenRequest: z.ZodType<ChartOpenRequest> = z.strictObject({
  connectionId: localId,
  patientId: fhirId,
  refresh: z.boolean().optional(),
});

export const attachmentRequest: z.ZodType<AttachmentRequest> = z.strictObject({
  patientId: fhirId,
  resourceType: z.enum(['DocumentReference', 'DiagnosticReport']),
  id: fhirId,
  index: z.number().int().min(0).max(999),
});

const none = z.tuple([]);
const oneId = z.tuple([localId]);

/**
 * The arguments of each channel of the contract (common/ipc-contract.ts), checked by main's dispatcher before any
 * service sees them. Tuples: missing and extra arguments are refused.
 */
export const INVOKE_ARGS = {
  'app:info': none,
  'policy:status': none,
  'app:notices': none,
  'app:dismiss-notice': z.tuple([z.string().min(1).max(2000)]),
  'connections:list': none,
  'connections:templates': none,
  'connections:add': z.tuple([connectionSettings]),
  'connections:update': z.tuple([localId, connectionSettings]),
  'connections:remove': oneId,
  // The URL itself is judged by the endpoint report, which says what is wrong with it.
  'connections:check': z.tuple([z.string().min(1).max(2048), z.string().max(256).nullable()]),
  'session:sign-in': oneId,
  'session:cancel': oneId,
  'session:sign-out': oneId,
  'session:sign-out-all': none,
  'session:style': oneId,
  'device:forget': oneId,
  'device:rotate-key': oneId,
  'launch:answer': z.tuple([localId, z.boolean()]),
  'patients:search': z.tuple([localId, patientSearchQuery]),
  'patients:recent': none,
  'chart:open': z.tuple([chartOpenRequest]),
  'chart:close': z.tuple([localId, localId]),
  'chart:retry-section': z.tuple([localId, localId, chartSectionId]),
  'write:availability': oneId,
  'write:preview': z.tuple([writeRequest]),
  // The draft's connection and id: a draft is only ever sent to the connection it was made for.
  'write:submit': z.tuple([localId, localId]),
  'write:drafts': oneId,
  // A failed draft or an unfinished form: the connection's, by id.
  'write:discard': z.tuple([localId, localId]),
  'write:keep-unfinished': z.tuple([unfinishedWriteRequest]),
  'write:unfinished': oneId,
  // The connection, the patient whose chart is open, the unfinished form: it is only resumed in its own patient's chart.
  'write:resume-unfinished': z.tuple([localId, fhirId, localId]),
  'medications:search': z.tuple([localId, medicationSearchText]),
  'chart:attachment': z.tuple([localId, attachmentRequest]),
} satisfies Record<InvokeChannel, z.ZodType<unknown[]>>;

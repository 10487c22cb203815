import type { ChartOpenRequest, PatientSearchQuery } from './chart';
import { FHIR_DATE, FHIR_ID } from './fhir-patterns';
import { CHART_SECTION_IDS, type ChartSectionId } from './sessions';
import { z } from './zod';

/** Run-time shapes of what the renderer sends besides connection settings. Strict objects: unknown keys are refused. */

/** Connection ids, load ids and confirmation ids are ours: short, URL-safe. */
export const localId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a short identifier');
export const fhirId = z.string().regex(FHIR_ID, 'must be a FHIR id');

export const chartSectionId: z.ZodType<ChartSectionId> = z.enum(CHART_SECTION_IDS);

export const patientSearchQuery: z.ZodType<PatientSearchQuery> = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    birthDate: z.string().regex(FHIR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
    identifier: z.string().trim().min(1).max(200).optional(),
  })
  .refine((query) => query.name !== undefined || query.birthDate !== undefined || query.identifier !== undefined, {
    message: 'give a name, a birth date or an identifier',
  });

export const chartOpenRequest: z.ZodType<ChartOpenRequest> = z.strictObject({ connectionId: localId, patientId: fhirId });

import { z } from 'zod';
import type { ChartOpenRequest, PatientSearchQuery } from '../../common/chart';
import type { ConnectionSettings } from '../../common/connections';
import { FHIR_DATE, FHIR_ID } from '../../common/fhir-patterns';
import { CHART_SECTION_IDS, type ChartSectionId } from '../../common/sessions';

/** Run-time shapes of everything the renderer may send. Strict objects: unknown keys are refused. */

export const MAX_ID_LENGTH = 128;
/** Connection ids, load ids and confirmation ids are ours: short, URL-safe. */
export const localId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a short identifier');
export const fhirId = z.string().regex(FHIR_ID, 'must be a FHIR id');

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials or fragment');

export const connectionSettings: z.ZodType<ConnectionSettings> = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  fhirBaseUrl: httpUrl,
  clientId: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  redirectMode: z.enum(['custom-scheme', 'loopback']),
  scopeSyntax: z.enum(['v1', 'v2', 'auto']),
  scopes: z
    .string()
    .max(4096)
    .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII'),
  allowUnknownEhrLaunch: z.boolean(),
  sendEpicClientIdHeader: z.boolean(),
  registerDevice: z.boolean().optional(),
});

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

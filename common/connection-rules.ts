import { REDIRECT_NAME } from './app-identity';
import type { ConnectionSettings } from './connections';
import { readFhirBase } from './fhir-base';
import { scopeListProblem } from './smart-scopes';
import { normalizeWriteKinds, WRITE_KINDS } from './write-kinds';
import { z } from './zod';

/**
 * What makes a connection valid, once, for the renderer's form, main's IPC check, the connection store and IT's
 * policy. Messages are predicates of the field ("is required", "must use https: …"), so each side can put the
 * field's name in front: `connections[0].fhirBaseUrl: …` in the policy report, "The FHIR base URL …" in the form.
 * The FHIR base comes out normalized (see common/fhir-base.ts).
 */
export const MAX_NAME_LENGTH = 100;
export const MAX_URL_LENGTH = 2048;
export const MAX_CLIENT_ID_LENGTH = 256;

const required = { message: 'is required', abort: true };

const fhirBaseUrl = z
  .string()
  .min(1, required)
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .transform((value, context) => {
    const read = readFhirBase(value);
    if (read.ok) return read.value;
    context.addIssue({ code: 'custom', message: read.problem });
    return z.NEVER;
  });

export const connectionSettings: z.ZodType<ConnectionSettings> = z
  .strictObject({
    name: z.string().trim().min(1, required).max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`),
    fhirBaseUrl,
    clientId: z
      .string()
      .trim()
      .min(1, required)
      .max(MAX_CLIENT_ID_LENGTH, `must be at most ${MAX_CLIENT_ID_LENGTH} characters`)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    redirectMode: z.enum(['custom-scheme', 'loopback']),
    scopeSyntax: z.enum(['v1', 'v2', 'auto']),
    scopes: z.string(),
    allowUnknownEhrLaunch: z.boolean(),
    sendEpicClientIdHeader: z.boolean(),
    registerDevice: z.boolean().optional(),
    writeKinds: z.array(z.enum(WRITE_KINDS)).max(WRITE_KINDS.length).transform(normalizeWriteKinds).optional(),
    redirectName: z
      .string()
      .trim()
      .refine((name) => name === '' || REDIRECT_NAME.test(name), {
        message: 'must be lower-case letters, digits and dashes (at most 40), such as epic-prod',
      })
      .optional(),
  })
  .superRefine((settings, context) => {
    const problem = scopeListProblem(settings.scopes, settings.scopeSyntax);
    if (problem) context.addIssue({ code: 'custom', path: ['scopes'], message: problem });
  });

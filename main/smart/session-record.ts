import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type DeviceRegistration, DeviceRegistrationShape } from './device-registration';
import type { GrantEndpoints } from './grant';
import type { LaunchContext } from './launch-context';

/**
 * What the keychain keeps for one connection and user, so that the session can be restored at the next start:
 * by refreshing, or for a registered device by the JWT bearer grant. The refresh token and the device's key and
 * registration access token are the secrets; the rest says where and how to use them.
 */
export interface SessionRecord {
  version: 1;
  refreshToken: string | null;
  /** Absent in records written before device registration existed. */
  device?: DeviceRegistration;
  clientId: string;
  fhirBaseUrl: string;
  /** Where the refresh token and the registration go; absent in records written before they were kept. */
  endpoints?: GrantEndpoints;
  issuer: string;
  jwksUri: string | null;
  /** The sign-in id_token's `sub`, which refresh id_tokens must repeat; absent without one (or in older records). */
  subject?: string;
  requestedScope: string;
  grantedScope: string | null;
  context: LaunchContext;
}

const LaunchContextShape = z.object({
  patientId: z.string().nullable(),
  encounterId: z.string().nullable(),
  fhirUser: z.string().nullable(),
  userDisplayName: z.string().nullable(),
  needPatientBanner: z.boolean(),
  smartStyleUrl: z.string().nullable(),
});

const SessionRecordShape = z
  .object({
    version: z.literal(1),
    refreshToken: z.string().min(1).nullable(),
    device: DeviceRegistrationShape.optional(),
    clientId: z.string(),
    fhirBaseUrl: z.string(),
    endpoints: z
      .object({
        tokenEndpoint: z.string(),
        revocationEndpoint: z.string().nullable(),
        registrationEndpoint: z.string().nullable(),
      })
      .optional(),
    issuer: z.string(),
    jwksUri: z.string().nullable(),
    subject: z.string().optional(),
    requestedScope: z.string(),
    grantedScope: z.string().nullable(),
    context: LaunchContextShape,
  })
  // A record restores a session only with something to renew it by.
  .refine((record) => record.refreshToken !== null || record.device !== undefined);

export function serializeRecord(record: SessionRecord): string {
  return JSON.stringify(record);
}

/** null for anything that is not a record this version wrote. */
export function parseRecord(text: string): SessionRecord | null {
  try {
    const parsed = SessionRecordShape.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One keychain account per connection and user; the user part is hashed so no identifier shows in the keychain. */
export function accountFor(connectionId: string, user: string | null): string {
  const userKey = createHash('sha256')
    .update(user ?? 'unknown-user')
    .digest('base64url')
    .slice(0, 16);
  return `${connectionId}/${userKey}`;
}

export const accountsOf = (accounts: string[], connectionId: string) =>
  accounts.filter((account) => account.startsWith(`${connectionId}/`));

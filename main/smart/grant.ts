import type { GrantedScopeSummary } from '../../common/sessions';
import { type DeviceRegistration, managesRegistration } from './device-registration';
import { type SmartConfiguration, smartConfigurationOf } from './discovery';
import type { LaunchContext } from './launch-context';
import { summarizeGrant } from './scopes';
import type { SessionRecord } from './session-record';
import { accessTokenExpiry, type IssuerBinding } from './token-endpoint';

/**
 * What one sign-in was granted, and what it was granted for: the client, the FHIR base and the issuer the tokens
 * belong to. Every use of the grant (refresh, revocation, FHIR reads, device registration) starts from this record.
 * The tokens live here, in main memory; the renewable part is also kept in the keychain (`SessionRecord`).
 */
export interface Grant {
  clientId: string;
  fhirBaseUrl: string;
  /** The EHR's OAuth endpoints at sign-in: never looked up again, so an edit of the connection cannot redirect them. */
  endpoints: GrantEndpoints;
  binding: IssuerBinding;
  /** The `sub` of the sign-in's id_token, which a refresh id_token must repeat; null when the sign-in had none. */
  subject: string | null;
  /** The keychain account the renewable part is kept under. */
  account: string;
  accessToken: string | null;
  expiresAt: number | null;
  refreshToken: string | null;
  /** A registered device renews by the JWT bearer grant instead of a refresh token. */
  device: DeviceRegistration | null;
  requestedScope: string;
  grantedScope: string | null;
  context: LaunchContext;
  summary: GrantedScopeSummary;
  patientName: string | null;
  /** The access token a renewal forced by a refused one gave: refused too, the session cannot go on. */
  renewedAfterRefusal: string | null;
}

/** Where the tokens of a grant may go, besides its FHIR base. */
export interface GrantEndpoints {
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  /** Device registration (RFC 7591); a registration's own management URI is kept with the registration. */
  registrationEndpoint: string | null;
}

export function endpointsOf(config: SmartConfiguration): GrantEndpoints {
  return {
    tokenEndpoint: config.tokenEndpoint,
    revocationEndpoint: config.revocationEndpoint,
    registrationEndpoint: config.registrationEndpoint,
  };
}

/** The SMART configuration a grant is used with: its own endpoints and issuer, nothing discovered since. */
export function grantConfiguration(grant: Pick<Grant, 'fhirBaseUrl' | 'endpoints' | 'binding'>): SmartConfiguration {
  return smartConfigurationOf({
    fhirBaseUrl: grant.fhirBaseUrl,
    issuer: grant.binding.issuer,
    jwksUri: grant.binding.jwksUri,
    ...grant.endpoints,
  });
}

/** Whether a session can get a new access token without the browser. */
export function renewable(grant: Pick<Grant, 'refreshToken' | 'device'>): boolean {
  return grant.refreshToken !== null || grant.device !== null;
}

/** Whether signing out can end the grant at the EHR too: by revoking its token, or deleting its device registration. */
export function endsRemotely(grant: Pick<Grant, 'device' | 'endpoints'>): boolean {
  return grant.device ? managesRegistration(grant.device) : grant.endpoints.revocationEndpoint !== null;
}

/** The members of a token response a grant keeps. */
export interface GrantedTokens {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

/** The grant of a completed sign-in, from its token response; names are read later. */
export function grantFromSignIn(
  issued: Pick<
    Grant,
    'clientId' | 'fhirBaseUrl' | 'endpoints' | 'binding' | 'subject' | 'account' | 'requestedScope' | 'context'
  >,
  response: GrantedTokens,
  now: number,
): Grant {
  return {
    ...issued,
    accessToken: response.access_token,
    expiresAt: accessTokenExpiry(now, response.expires_in),
    refreshToken: response.refresh_token ?? null,
    device: null,
    grantedScope: response.scope ?? null,
    summary: summarizeGrant(issued.requestedScope, response.scope),
    patientName: null,
    renewedAfterRefusal: null,
  };
}

/**
 * The grant of a session restored from the keychain: no access token until the first renewal. A record written
 * before the endpoints were kept names none: the caller supplies them, discovered for the record's own FHIR base.
 */
export function grantFromRecord(record: SessionRecord, account: string, discovered: GrantEndpoints | null = null): Grant {
  const endpoints = record.endpoints ?? discovered;
  if (!endpoints) throw new Error('A session record without endpoints needs them discovered.');
  return {
    clientId: record.clientId,
    fhirBaseUrl: record.fhirBaseUrl,
    endpoints,
    binding: { issuer: record.issuer, jwksUri: record.jwksUri },
    subject: record.subject ?? null,
    account,
    accessToken: null,
    expiresAt: null,
    refreshToken: record.refreshToken,
    device: record.device ?? null,
    requestedScope: record.requestedScope,
    grantedScope: record.grantedScope,
    context: record.context,
    summary: summarizeGrant(record.requestedScope, record.grantedScope ?? undefined),
    patientName: null,
    renewedAfterRefusal: null,
  };
}

/** What the keychain keeps of a grant: everything but the access token and what is read again from the EHR. */
export function recordOf(grant: Grant): SessionRecord {
  return {
    version: 1,
    refreshToken: grant.refreshToken,
    ...(grant.device ? { device: grant.device } : {}),
    clientId: grant.clientId,
    fhirBaseUrl: grant.fhirBaseUrl,
    endpoints: grant.endpoints,
    issuer: grant.binding.issuer,
    jwksUri: grant.binding.jwksUri,
    ...(grant.subject !== null ? { subject: grant.subject } : {}),
    requestedScope: grant.requestedScope,
    grantedScope: grant.grantedScope,
    context: grant.context,
  };
}

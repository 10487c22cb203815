import * as oauth from 'oauth4webapi';
import { buildAuthorizationServer, httpOptions } from './authorization-server';
import { importDeviceKey } from './device-key';
import type { DeviceRegistration } from './device-registration';
import { checked, type IssuerBinding, type TokenCallContext } from './token-endpoint';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * An access token without the browser (RFC 7523 §2.1), for a registered device. Two JWTs signed with the device
 * key go along: the grant's `assertion` and the private_key_jwt client assertion. oauth4webapi writes both, as
 * SMART's asymmetric client authentication asks (INF#319–INF#334): header alg, kid and typ JWT; iss = sub = the
 * dynamic client_id, aud = the token endpoint (oauth4webapi's default is the issuer), exp 60 seconds ahead (at most
 * 5 minutes allowed), a fresh random jti each.
 */
export async function jwtBearerGrant(
  context: TokenCallContext,
  binding: IssuerBinding,
  registration: DeviceRegistration,
): Promise<oauth.TokenEndpointResponse> {
  const as = buildAuthorizationServer(context.config, binding.issuer, binding.jwksUri);
  const client: oauth.Client = { client_id: registration.clientId, [oauth.clockSkew]: context.clockSkewSeconds };
  const signAssertion = oauth.PrivateKeyJwt(await importDeviceKey(registration.key), {
    [oauth.modifyAssertion]: (header, payload) => {
      header.typ = 'JWT';
      payload.aud = as.token_endpoint;
    },
  });
  const scratch = new URLSearchParams();
  await signAssertion(as, client, scratch, new Headers());
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    signAssertion,
    JWT_BEARER_GRANT,
    { assertion: scratch.get('client_assertion')! },
    httpOptions(context.fetch, as.token_endpoint),
  );
  return checked(oauth.processGenericTokenEndpointResponse(as, client, response));
}

/**
 * Whether the EHR no longer accepts this device: its registration was deleted or its key replaced (invalid_client),
 * or the grant itself was refused (invalid_grant). Either way only a new sign-in helps.
 */
export function deviceRefused(error: unknown): boolean {
  const refusals = ['invalid_client', 'invalid_grant'];
  if (error instanceof oauth.ResponseBodyError) return refusals.includes(error.error);
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return error.cause.some((challenge) => refusals.includes(challenge.parameters.error ?? ''));
  }
  return false;
}

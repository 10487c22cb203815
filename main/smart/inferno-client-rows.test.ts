import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from './authorize-request';
import { exchangeCode, refreshTokens, type TokenCallContext } from './token-endpoint';
import { smartConfiguration } from './testing/smart-configuration';

/**
 * The wire form of ChartDesk's OAuth requests, row by row for the Inferno client requirements that other tests
 * do not pin down exactly (docs/SECURITY.md maps every row). What goes to the token endpoint is captured as sent.
 */
const ISSUER = 'https://ehr.example.org/oauth2';
const TOKEN_URL = `${ISSUER}/token`;
const config = smartConfiguration({
  fhirBaseUrl: 'https://ehr.example.org/fhir',
  issuer: ISSUER,
  authorizationEndpoint: `${ISSUER}/authorize`,
  tokenEndpoint: TOKEN_URL,
  codeChallengeMethods: ['S256'],
});

interface Sent {
  method: string;
  contentType: string | null;
  authorization: string | null;
  body: URLSearchParams;
}

function capturingContext(sent: Sent[]): TokenCallContext {
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      contentType: request.headers.get('content-type'),
      authorization: request.headers.get('authorization'),
      body: new URLSearchParams(await request.text()),
    });
    const body = {
      access_token: 'access-1234567890',
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'refresh-0987654321',
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { config, clientId: 'chartdesk', fetch: fetchImpl, clockSkewSeconds: 0 };
}

const as: oauth.AuthorizationServer = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: TOKEN_URL,
};

describe('authorization request (INF#40, INF#50, INF#51, INF#211)', () => {
  it('is a GET URL with its parameters in the query string, a 256-bit state, and no auth_time or max_age', async () => {
    const request = await buildAuthorizationRequest({
      as,
      clientId: 'chartdesk',
      redirectUri: 'org.chartdesk.desktop:/oauth2/callback',
      scope: 'openid fhirUser launch/patient patient/Patient.rs',
      aud: config.fhirBaseUrl,
    });
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`);
    expect(Buffer.from(request.state, 'base64url')).toHaveLength(32);
    expect([...url.searchParams.keys()].sort()).toEqual(
      [
        'aud',
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'nonce',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(url.searchParams.has('max_age')).toBe(false);
    expect(url.searchParams.has('auth_time')).toBe(false);
  });
});

describe('token requests of a public client', () => {
  it('code exchange: a form POST with grant_type, code, redirect_uri, code_verifier and client_id, no client authentication (INF#62, INF#63, INF#67–71)', async () => {
    const sent: Sent[] = [];
    const request = await buildAuthorizationRequest({
      as,
      clientId: 'chartdesk',
      redirectUri: 'org.chartdesk.desktop:/oauth2/callback',
      scope: 'launch/patient patient/Patient.rs',
      aud: config.fhirBaseUrl,
    });
    const callback = oauth.validateAuthResponse(
      as,
      { client_id: 'chartdesk' },
      new URLSearchParams({ code: 'the-code-123456', state: request.state }),
      request.state,
    );
    await exchangeCode(capturingContext(sent), callback, request);
    expect(sent).toHaveLength(1);
    const [exchange] = sent;
    expect(exchange).toMatchObject({ method: 'POST', authorization: null });
    expect(exchange!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(exchange!.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code-123456',
      redirect_uri: 'org.chartdesk.desktop:/oauth2/callback',
      code_verifier: request.codeVerifier,
      client_id: 'chartdesk',
    });
  });

  it('refresh: grant_type=refresh_token with the refresh token and client_id, and no scope, so never more than was granted (INF#105, INF#106, INF#108)', async () => {
    const sent: Sent[] = [];
    await refreshTokens(capturingContext(sent), { issuer: ISSUER, jwksUri: null }, 'refresh-old-1234567');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', authorization: null });
    expect(Object.fromEntries(sent[0]!.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-old-1234567',
      client_id: 'chartdesk',
    });
  });
});

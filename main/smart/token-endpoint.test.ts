import { describe, expect, it } from 'vitest';
import { smartConfiguration } from './testing/smart-configuration';
import {
  accessTokenExpiry,
  DEFAULT_EXPIRES_IN_SECONDS,
  MAX_EXPIRES_IN_SECONDS,
  refreshTokens,
  revokeToken,
  type TokenCallContext,
} from './token-endpoint';

describe('accessTokenExpiry', () => {
  const now = 1_000_000;
  it('follows expires_in', () => expect(accessTokenExpiry(now, 570)).toBe(now + 570_000));
  it('assumes a short lifetime when expires_in is missing', () =>
    expect(accessTokenExpiry(now, undefined)).toBe(now + DEFAULT_EXPIRES_IN_SECONDS * 1000));
  it('does not believe an absurd lifetime', () => {
    expect(accessTokenExpiry(now, 1e308)).toBe(now + MAX_EXPIRES_IN_SECONDS * 1000);
    expect(accessTokenExpiry(now, Number.POSITIVE_INFINITY)).toBe(now + DEFAULT_EXPIRES_IN_SECONDS * 1000);
    expect(accessTokenExpiry(now, -5)).toBe(now);
  });
});

describe('the token endpoint and redirects', () => {
  const config = smartConfiguration({
    fhirBaseUrl: 'https://ehr.example.org/fhir',
    tokenEndpoint: 'https://ehr.example.org/auth/token',
    revocationEndpoint: 'https://ehr.example.org/auth/revoke',
  });

  it.each([
    ['another server', 'https://attacker.example.net/token'],
    ['plain http', 'http://ehr.example.org/auth/token'],
  ])('never follows a redirect to %s with a refresh token, nor with a revocation', async (_what, target) => {
    const asked: string[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input.toString();
      asked.push(url);
      if (url === target) return Response.json({ access_token: 'stolen', token_type: 'Bearer' });
      // A fetch that was allowed to follow would come back with the other server's answer.
      if (init?.redirect !== 'manual') return fetchImpl(target, init);
      return new Response(null, { status: 307, headers: { location: target } });
    }) as typeof fetch;
    const context: TokenCallContext = { config, clientId: 'chartdesk', fetch: fetchImpl, clockSkewSeconds: 0 };

    await expect(
      refreshTokens(context, { issuer: 'https://ehr.example.org/auth', jwksUri: null }, 'refresh-1'),
    ).rejects.toThrow();
    await expect(revokeToken(context, 'refresh-1', 'refresh_token')).rejects.toThrow();
    expect(asked).toEqual([config.tokenEndpoint, config.revocationEndpoint]);
  });
});

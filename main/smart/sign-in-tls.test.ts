import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import { createMemorySecretStore } from '../vault/secret-store';
import { createSessionWorld } from './testing/session-world';

/** INF#1: secrets go only to authenticated servers over TLS. A sign-in whose OAuth endpoints are plain http stops. */
describe('a sign-in and TLS', () => {
  it.each([
    ['authorization', { authorization_endpoint: 'http://ehr.example.org/auth/authorize' }],
    ['token', { token_endpoint: 'http://ehr.example.org/auth/token' }],
    ['revocation', { revocation_endpoint: 'http://ehr.example.org/auth/revoke' }],
  ])('refuses an EHR whose %s endpoint is plain http, before the browser opens', async (_which, insecure) => {
    const asked: string[] = [];
    const fetchImpl = ((input: string | URL | Request) => {
      asked.push(input.toString());
      return Promise.resolve(
        Response.json({
          authorization_endpoint: 'https://ehr.example.org/auth/authorize',
          token_endpoint: 'https://ehr.example.org/auth/token',
          revocation_endpoint: 'https://ehr.example.org/auth/revoke',
          ...insecure,
        }),
      );
    }) as typeof fetch;
    const world = await createSessionWorld({ secrets: createMemorySecretStore(), fetch: fetchImpl });
    const connection = await world.store.add({
      ...CONNECTION_DEFAULTS,
      name: 'Plain EHR',
      fhirBaseUrl: 'https://ehr.example.org/fhir',
      clientId: 'chartdesk',
    });

    await expect(world.manager.signIn(connection.id)).rejects.toMatchObject({
      code: 'auth',
      message: expect.stringMatching(/must use https/),
    });
    expect(world.opened).toEqual([]);
    expect(asked).toEqual(['https://ehr.example.org/fhir/.well-known/smart-configuration']);
    expect(world.session(connection.id)).toMatchObject({ status: 'error', message: expect.stringMatching(/must use https/) });
  });
});

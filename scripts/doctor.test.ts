import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from './doctor';

/** A tiny SMART server on loopback: one smart-configuration per path prefix. */
const documents: Record<string, unknown> = {
  '/good/fhir/.well-known/smart-configuration': {
    issuer: 'ISSUER/good',
    jwks_uri: 'ISSUER/good/jwks',
    authorization_endpoint: 'ISSUER/good/authorize',
    token_endpoint: 'ISSUER/good/token',
    revocation_endpoint: 'ISSUER/good/revoke',
    capabilities: ['launch-standalone', 'launch-ehr', 'client-public', 'permission-v2', 'sso-openid-connect'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code'],
    scopes_supported: ['openid', 'fhirUser', 'patient/*.rs'],
  },
  '/plain/fhir/.well-known/smart-configuration': {
    authorization_endpoint: 'ISSUER/plain/authorize',
    token_endpoint: 'ISSUER/plain/token',
    capabilities: ['launch-standalone'],
    code_challenge_methods_supported: ['plain'],
  },
};

let server: Server;
let origin: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url} ${request.headers['epic-client-id'] ?? ''}`);
    const body = documents[request.url ?? ''];
    if (body === undefined) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body).replaceAll('ISSUER', origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function doctor(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runDoctor(argv, { fetch, write: (text) => (out += text), error: (text) => (err += text) });
  return { code, out, err };
}

describe('npm run doctor', () => {
  it('exits 0 and prints exactly one JSON object with every field when ChartDesk can sign in', async () => {
    asked.length = 0;
    const { code, out } = await doctor(`${origin}/good/fhir/`, '--json', '--client-id', 'epic-abc');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(out);
    for (const key of [
      'fhirBaseUrl',
      'source',
      'authorizationEndpoint',
      'tokenEndpoint',
      'revocationEndpoint',
      'registrationEndpoint',
      'issuer',
      'jwksUri',
      'pkceS256',
      'capabilities',
      'scopesSupported',
      'smartVersion',
      'warnings',
      'errors',
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({
      source: 'smart-configuration',
      pkceS256: true,
      smartVersion: 'v2',
      canSignIn: true,
      errors: [],
    });
    expect(report.fhirBaseUrl).toBe(`${origin}/good/fhir`);
    // Discovery only: the endpoints it lists are never called.
    expect(asked).toEqual([`GET /good/fhir/.well-known/smart-configuration epic-abc`]);
  });

  it('exits 1 when the EHR cannot be signed in to (PKCE plain only), saying why', async () => {
    const { code, out } = await doctor(`${origin}/plain/fhir`);
    expect(code).toBe(1);
    expect(out).toMatch(/error: PKCE S256 is not supported/);
    expect(out).toMatch(/grant_types_supported is missing/);
    expect(out).toMatch(/Result: ChartDesk cannot sign in/);
  });

  it('exits 2 when the endpoint cannot be read', async () => {
    const { code, out } = await doctor(`${origin}/nothing/fhir`, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ reachable: false, canSignIn: false, source: null });
  });

  it('exits 2 with usage on bad arguments', async () => {
    expect((await doctor()).code).toBe(2);
    expect((await doctor(origin, '--bogus')).err).toMatch(/Unknown argument/);
  });

  it('runs as a script through tsx with the documented exit code', async () => {
    const run = promisify(execFile);
    const result = await run('npx', ['tsx', 'scripts/doctor.ts', `${origin}/good/fhir`]);
    expect(result.stdout).toMatch(/Result: ChartDesk can sign in/);
    await expect(run('npx', ['tsx', 'scripts/doctor.ts', `${origin}/plain/fhir`, '--json'])).rejects.toMatchObject({ code: 1 });
  }, 120_000);
});

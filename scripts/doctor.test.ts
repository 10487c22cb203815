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
  // The SMART reference server's EHR-launch base advertises launch-standalone, then refuses it (see the handler).
  '/ehr-only/fhir/.well-known/smart-configuration': {
    issuer: 'ISSUER/ehr-only/fhir',
    authorization_endpoint: 'ISSUER/ehr-only/authorize',
    token_endpoint: 'ISSUER/ehr-only/token',
    capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'permission-v2'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code'],
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
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/ehr-only/authorize') {
      // What smart-launcher-v2 does without launch options: invalid_request, redirected back with the state.
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({
        error: 'invalid_request',
        error_description: 'Invalid launch options: SyntaxError: Unexpected end of JSON input',
        state: url.searchParams.get('state')!,
      }).toString();
      return void response.writeHead(302, { location: back.href }).end();
    }
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
    // Discovery, then one standalone authorization request that is not followed; no other endpoint is called.
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBe('GET /good/fhir/.well-known/smart-configuration epic-abc');
    const probe = new URL(asked[1]!.split(' ')[1]!, origin);
    expect(probe.pathname).toBe('/good/authorize');
    expect(probe.searchParams.get('client_id')).toBe('epic-abc');
    expect(probe.searchParams.has('launch')).toBe(false);
    expect(report.standaloneSignIn.verdict).toBe('yes');
    expect(report.ehrLaunch.verdict).toBe('yes');
  });

  it('exits 1 when the EHR cannot be signed in to (PKCE plain only), saying why', async () => {
    const { code, out } = await doctor(`${origin}/plain/fhir`);
    expect(code).toBe(1);
    expect(out).toMatch(/error: PKCE S256 is not supported/);
    expect(out).toMatch(/grant_types_supported is missing/);
    expect(out).toMatch(/Result: ChartDesk cannot sign in/);
  });

  it('exits 3 at an EHR-launch-only base, where a standalone sign-in is refused though advertised', async () => {
    const { code, out } = await doctor(`${origin}/ehr-only/fhir`, '--json');
    expect(code).toBe(3);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      canSignIn: false,
      errors: [],
      standaloneSignIn: { verdict: 'no', reason: expect.stringMatching(/invalid_request \(Invalid launch options/) },
      ehrLaunch: { verdict: 'yes' },
    });
    const text = await doctor(`${origin}/ehr-only/fhir`);
    expect(text.out).toMatch(/Standalone sign-in\s+no: the EHR refused a standalone sign-in/);
    expect(text.out).toMatch(/Result: only an EHR launch will work here/);
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

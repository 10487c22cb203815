import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One code path carries the session's access token: every FHIR request with it goes through FhirClient
 * (main/fhir/fhir-client.ts), which refuses redirects, sends it only to the session's own FHIR origin, caps the
 * answer's size and refreshes once after a 401. So no other product module writes a bearer credential or an
 * Authorization header.
 *
 * oauth4webapi writes the Authorization header itself for the calls below; each is allowed in one module only:
 * - `dynamicClientRegistrationRequest` with `initialAccessToken` (main/smart/device-registration.ts): the access token
 *   of a standalone sign-in is the RFC 7591 initial access token, sent to the registration endpoint advertised by
 *   the same EHR's SMART configuration (Epic's offline access for native apps). Not a FHIR request.
 * - `protectedResourceRequest` (main/smart/device-registration.ts): RFC 7592 management of that registration. It
 *   carries the registration_access_token the EHR issued for it, never a session's access token, and only to the
 *   registration_client_uri on the registration endpoint's origin.
 * - `userInfoRequest`: nowhere; ChartDesk reads the user from the id_token and the fhirUser resource.
 * Token endpoint calls (code exchange, refresh, JWT bearer grant, revocation) send no Authorization header: ChartDesk
 * is a public client, or signs a client assertion in the body.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCT = ['main', 'common', 'preload', 'renderer/src', 'scripts'];

const RULES: Record<string, RegExp> = {
  'bearer credential': /[`'"]\s*Bearer\b/i,
  'Authorization header': /['"]authorization['"]|\bauthorization\s*:/i,
  'oauth4webapi protected resource request': /\bprotectedResourceRequest\b/,
  'oauth4webapi UserInfo request': /\buserInfoRequest\b/,
  'initial access token': /\binitialAccessToken\b/,
};

/** Each allowed use, by file and rule, with why. */
const ALLOWED: Record<string, Record<string, string>> = {
  'main/fhir/fhir-client.ts': {
    'bearer credential': 'the one FHIR path',
    'Authorization header': 'the one FHIR path',
  },
  'main/smart/device-registration.ts': {
    'oauth4webapi protected resource request': 'RFC 7592 with the registration access token',
    'initial access token': 'RFC 7591 registration at the EHR that issued the token',
  },
  'renderer/src/connections/EndpointReportView.svelte': {
    'Authorization header': 'the "Authorization" row label of the endpoint report, not a header',
  },
};

function productFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return ['node_modules', 'testing', 'fixtures'].includes(name) ? [] : productFiles(full);
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

function findings(file: string, text: string): string[] {
  return Object.entries(RULES)
    .filter(([, pattern]) => pattern.test(text))
    .map(([rule]) => rule)
    .filter((rule) => ALLOWED[file]?.[rule] === undefined)
    .map((rule) => `${file}: ${rule}`);
}

describe('the access token has one path: FhirClient', () => {
  const files = PRODUCT.flatMap((dir) => productFiles(path.join(ROOT, dir))).map((file) => path.relative(ROOT, file));

  it('scans the product sources', () => {
    expect(files).toContain('main/fhir/fhir-client.ts');
    expect(files).toContain('main/smart/session-names.ts');
    expect(files).toContain('renderer/src/connections/EndpointReportView.svelte');
    expect(files.some((file) => file.includes('/testing/') || file.endsWith('.test.ts'))).toBe(false);
  });

  it('recognizes the ways a module could send a bearer token', () => {
    const samples = [
      "headers: { accept: 'application/fhir+json', authorization: `Bearer ${accessToken}` }",
      "new Headers({ Authorization: 'Bearer ' + token })",
      "headers.set('authorization', value)",
      'await oauth.protectedResourceRequest(token, "GET", url, headers, null)',
      'await oauth.userInfoRequest(as, client, token)',
      'oauth.dynamicClientRegistrationRequest(as, metadata, { initialAccessToken })',
    ];
    for (const sample of samples) expect(findings('main/smart/elsewhere.ts', sample)).not.toEqual([]);
  });

  it('finds them only where allowed', () => {
    const found = files.flatMap((file) => findings(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('lists no allowance that is no longer used', () => {
    const unused = Object.entries(ALLOWED).flatMap(([file, rules]) =>
      Object.keys(rules)
        .filter((rule) => !RULES[rule]!.test(readFileSync(path.join(ROOT, file), 'utf8')))
        .map((rule) => `${file}: ${rule}`),
    );
    expect(unused).toEqual([]);
  });
});

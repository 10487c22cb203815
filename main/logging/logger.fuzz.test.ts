import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

/**
 * Redaction by construction: whatever shape a caller hands the logger a secret in (a token field, an
 * Authorization header, free text, a token response or form body as text, a callback URL, an Error), the
 * secret never reaches the line. Seeded; the secrets are opaque (not JWTs), the hardest case.
 */
const SEED = 2026_11_28;
const secret = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split('')),
  minLength: 12,
  maxLength: 60,
});
const tokenField = fc.constantFrom(
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'state',
  'client_secret',
  'client_assertion',
  // Issue 14, item 8: a revocation body's token, a non-JWT assertion, a registration access token, the EHR's launch.
  'token',
  'assertion',
  'registration_access_token',
  'launch',
);

type Shape = (field: string, value: string) => unknown;
const shapes: Shape[] = [
  (field, value) => ({ [field]: value }),
  (field, value) => ({ response: { body: { [field]: value } } }),
  (_field, value) => ({ headers: { Authorization: `Bearer ${value}` } }),
  (_field, value) => ({ request: { headers: { authorization: `Bearer ${value}` } } }),
  (_field, value) => ({ detail: `request failed; Authorization: Bearer ${value}` }),
  (field, value) => ({ body: JSON.stringify({ token_type: 'Bearer', [field]: value, expires_in: 3600 }) }),
  (field, value) => ({ body: JSON.stringify({ [field]: value }, null, 2) }),
  (field, value) => ({ body: `${field}=${value}&grant_type=refresh_token&client_id=chartdesk` }),
  (field, value) => ({ body: `grant_type=authorization_code&${field}=${value}` }),
  (field, value) => ({ url: `org.chartdesk.desktop:/oauth2/callback?${field}=${value}&iss=https://ehr.example.org` }),
  (field, value) => ({ url: `http://127.0.0.1:4100/callback#${field}=${value}` }),
  (_field, value) => ({ error: new Error(`token endpoint said no to Bearer ${value}`) }),
  (field, value) => ({ list: [{ nested: [{ [field]: value }] }] }),
  (field, value) => ({ body: `${field.replaceAll('_', '%5F')}=${value}&client_id=chartdesk` }),
  (field, value) => ({ body: `client_id=chartdesk&${field.replaceAll('_', '%5f')}=${value}` }),
  (_field, value) => ({ request: { headers: { Authorization: `DPoP ${value}` } } }),
  (_field, value) => ({ detail: `sent Authorization: DPoP ${value} to the EHR` }),
  (_field, value) => ({ device: { key: { kty: 'EC', crv: 'P-384', alg: 'ES384', d: value, x: 'x-coordinate', y: 'y' } } }),
  (_field, value) => ({ jwk: { kty: 'RSA', n: 'modulus', e: 'AQAB', d: value, p: value, q: value } }),
  (_field, value) => ({ body: JSON.stringify({ kty: 'EC', d: value }) }),
];

describe('log redaction under fuzzing', () => {
  it('never writes a secret, whatever shape it is logged in', () => {
    fc.assert(
      fc.property(secret, tokenField, fc.integer({ min: 0, max: shapes.length - 1 }), (value, field, shape) => {
        const lines: string[] = [];
        const log = createLogger((line) => lines.push(line), 'debug');
        log.warn('something.failed', shapes[shape]!(field, value) as Record<string, unknown>);
        expect(lines).toHaveLength(1);
        expect(lines[0]).not.toContain(value);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

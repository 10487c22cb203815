import { describe, expect, it } from 'vitest';
import { createLogger, redact, redactText, REDACTED } from './logger';

describe('redaction', () => {
  it('replaces token-named fields at any depth', () => {
    const value = redact({
      access_token: 'a',
      nested: { refresh_token: 'r', code_verifier: 'v', ok: 1 },
      list: [{ id_token: 'i' }],
    });
    expect(value).toEqual({
      access_token: REDACTED,
      nested: { refresh_token: REDACTED, code_verifier: REDACTED, ok: 1 },
      list: [{ id_token: REDACTED }],
    });
  });

  it('replaces Authorization headers and JWTs inside free text', () => {
    const text = redactText('GET /fhir Authorization: Bearer abc.def-ghi and eyJhbGciOi.eyJzdWIiOiJ4In0.c2ln');
    expect(text).not.toMatch(/abc\.def-ghi|eyJhbGciOi/);
  });

  it('replaces code and state in URLs', () => {
    const text = redactText('org.chartdesk.desktop:/oauth2/callback?code=SECRET1&state=SECRET2&iss=x');
    expect(text).not.toMatch(/SECRET1|SECRET2/);
    expect(text).toContain('iss=x');
  });

  it('redacts the shapes an adversarial review found in revocation, registration and device-key logging', () => {
    const line = JSON.stringify(
      redact({
        revocation: 'token=S1&token_type_hint=refresh_token',
        grant: 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=S2',
        registration: '{"client_id":"c","registration_access_token":"S3"}',
        encoded: 'refresh%5Ftoken=S4&client_id=chartdesk',
        header: 'Authorization: DPoP S5',
        launch: 'S6',
        device: { key: { kty: 'EC', d: 'S7' } },
        jwk: { kty: 'EC', crv: 'P-384', d: 'S8', x: 'public-x' },
      }),
    );
    for (const secret of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8']) expect(line).not.toContain(secret);
    expect(line).toContain('public-x');
    expect(line).toContain('token_type_hint=refresh_token');
  });

  it('keeps the name, the redacted message and where it was thrown of an Error, nothing else', () => {
    const error = Object.assign(new Error('failed with Bearer tok123'), { response: { headers: { cookie: 'sid=1' } } });
    const logged = redact(error) as { name: string; message: string; stack: string[] };
    expect(Object.keys(logged)).toEqual(['name', 'message', 'stack']);
    expect(logged).toMatchObject({ name: 'Error', message: `failed with Bearer ${REDACTED}` });
    expect(logged.stack[0]).toMatch(/^at .*logger\.test\.ts:\d+:\d+/);
    expect(logged.stack.length).toBeLessThanOrEqual(8);
  });

  it('follows the cause of an Error, redacted the same way', () => {
    const cause = new Error('token endpoint said Bearer tok456', { cause: { refresh_token: 'rt-789', status: 400 } });
    const logged = redact(new TypeError('cannot read the grant', { cause })) as Record<string, unknown>;
    expect(logged).toMatchObject({
      name: 'TypeError',
      message: 'cannot read the grant',
      cause: {
        name: 'Error',
        message: `token endpoint said Bearer ${REDACTED}`,
        cause: { refresh_token: REDACTED, status: 400 },
      },
    });
    expect(JSON.stringify(logged)).not.toMatch(/tok456|rt-789/);
  });

  it('writes one JSON line per event, filtered by level', () => {
    const lines: string[] = [];
    const log = createLogger(
      (line) => lines.push(line),
      'info',
      () => new Date('2026-01-01T00:00:00Z'),
    );
    log.debug('hidden');
    log.info('shown', { token: 'x' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'info',
      event: 'shown',
      token: REDACTED,
    });
  });
});

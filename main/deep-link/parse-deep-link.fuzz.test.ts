import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeepLink } from './parse-deep-link';

/**
 * Seeded fuzzing: thousands of generated links, reproducible from the seed printed on failure.
 * Whatever the input, the parser returns one of its three kinds and never throws; anything it
 * accepts satisfies the invariants the sign-in relies on.
 */
const SEED = 20261128;
const RUNS = 4000;

const schemes = fc.constantFrom(
  'org.chartdesk.desktop',
  'ORG.CHARTDESK.DESKTOP',
  'org.chartdesk.desktopx',
  'javascript',
  'https',
  'file',
  'data',
  '',
);
const paths = fc.constantFrom(
  '/oauth2/callback',
  '/launch',
  '//launch',
  '/launch/',
  '/oauth2/../launch',
  '/oauth2%2Fcallback',
  '',
  '/',
  '/x',
);
const names = fc.constantFrom('code', 'state', 'iss', 'launch', 'error', 'error_description', '__proto__', 'constructor', 'x');
const values = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'https://ehr.example.org/fhir',
    'http://127.0.0.1:4100/fhir',
    'javascript:alert(1)',
    '%00',
    '%E2%80%AE',
    '%zz',
    'a'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const query = fc.array(fc.tuple(names, values), { maxLength: 6 }).map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('&'));
const randomLinks = fc.tuple(schemes, paths, query, fc.constantFrom('', '#frag')).map(([s, p, q, h]) => `${s}:${p}?${q}${h}`);
const token = fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~%2F'.split('')), minLength: 1, maxLength: 30 });
const issuer = fc.constantFrom(
  'https://ehr.example.org/fhir',
  'http://127.0.0.1:4100/fhir',
  'http://evil.example/fhir',
  'javascript:x',
);
const validCallbacks = fc
  .tuple(token, token, fc.option(issuer, { nil: undefined }), query)
  .map(([code, state, iss, extra]) =>
    [`org.chartdesk.desktop:/oauth2/callback?code=${code}&state=${state}`, iss ? `iss=${encodeURIComponent(iss)}` : '', extra]
      .filter(Boolean)
      .join('&'),
  );
const validLaunches = fc
  .tuple(issuer, token, query)
  .map(([iss, launch, extra]) =>
    [`org.chartdesk.desktop:/launch?iss=${encodeURIComponent(iss)}&launch=${launch}`, extra].filter(Boolean).join('&'),
  );
const structuredLinks = fc.oneof(randomLinks, validCallbacks, validLaunches);

describe('parseDeepLink under fuzzing', () => {
  it('never throws, and everything it accepts keeps the invariants (structured links)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(structuredLinks, (link) => {
        const result = parseDeepLink(link);
        expect(['oauth-callback', 'ehr-launch', 'rejected']).toContain(result.kind);
        if (result.kind === 'rejected') {
          expect(result.reason.length).toBeGreaterThan(0);
          return;
        }
        accepted += 1;
        expect(link.toLowerCase().startsWith('org.chartdesk.desktop:/')).toBe(true);
        expect(link).not.toContain('#');
        if (result.kind === 'ehr-launch') {
          expect(result.iss).toMatch(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\]))/);
          expect(result.launch.length).toBeGreaterThan(0);
        } else {
          expect(result.state.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must reach the accepting paths, or the invariants above prove nothing.
    expect(accepted).toBeGreaterThan(RUNS / 100);
  });

  it('never throws on arbitrary strings and values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.anything()),
        (input) => {
          const result = parseDeepLink(input);
          expect(['oauth-callback', 'ehr-launch', 'rejected']).toContain(result.kind);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { findDeepLinkInArgv, MAX_DEEP_LINK_LENGTH, parseDeepLink } from './parse-deep-link';

const CB = 'org.chartdesk.desktop:/oauth2/callback';
const LAUNCH = 'org.chartdesk.desktop:/launch';
const ISS = encodeURIComponent('https://ehr.example.org/fhir/R4');

describe('parseDeepLink: links ChartDesk acts on', () => {
  it('reads an OAuth callback with a code, state and RFC 9207 iss', () => {
    expect(parseDeepLink(`${CB}?code=abc123&state=s-1&iss=${ISS}`)).toEqual({
      kind: 'oauth-callback',
      redirectName: null,
      state: 's-1',
      iss: 'https://ehr.example.org/fhir/R4',
      outcome: { type: 'code', code: 'abc123' },
    });
  });

  it("reads a callback on a connection's own redirect path, and refuses any other path under it", () => {
    expect(parseDeepLink(`${CB}/epic-prod?code=c&state=s`)).toMatchObject({ kind: 'oauth-callback', redirectName: 'epic-prod' });
    for (const path of ['/Epic', '/a/b', '/', '/-x', '/%2e%2e', `/${'a'.repeat(41)}`]) {
      expect(parseDeepLink(`${CB}${path}?code=c&state=s`), path).toMatchObject({ kind: 'rejected' });
    }
  });

  it('reads an OAuth error callback with its description', () => {
    expect(parseDeepLink(`${CB}?error=access_denied&error_description=User%20said%20no&state=s-2`)).toEqual({
      kind: 'oauth-callback',
      redirectName: null,
      state: 's-2',
      iss: null,
      outcome: { type: 'error', error: 'access_denied', description: 'User said no' },
    });
  });

  it('reads an EHR launch and drops the trailing slash of iss', () => {
    expect(parseDeepLink(`${LAUNCH}?iss=${encodeURIComponent('https://ehr.example.org/fhir/')}&launch=xyz`)).toEqual({
      kind: 'ehr-launch',
      iss: 'https://ehr.example.org/fhir',
      launch: 'xyz',
    });
  });

  it('keeps the query string of an issuer, as of any FHIR base (athenahealth names its practice there)', () => {
    const iss = 'https://api.platform.athenahealth.com/fhir/r4?ah-practice=Organization/a-1.Practice-195900';
    expect(parseDeepLink(`${LAUNCH}?iss=${encodeURIComponent(iss)}&launch=xyz`)).toEqual({
      kind: 'ehr-launch',
      iss,
      launch: 'xyz',
    });
  });

  it('accepts http only for a loopback issuer (the sandbox EHR)', () => {
    const link = parseDeepLink(`${LAUNCH}?iss=${encodeURIComponent('http://127.0.0.1:4100/fhir')}&launch=a`);
    expect(link.kind).toBe('ehr-launch');
  });

  it('treats the scheme case-insensitively, as RFC 3986 does', () => {
    expect(parseDeepLink(`ORG.ChartDesk.Desktop:/launch?iss=${ISS}&launch=a`).kind).toBe('ehr-launch');
  });

  it('ignores unknown extra parameters', () => {
    expect(parseDeepLink(`${CB}?code=c&state=s&session_state=x`).kind).toBe('oauth-callback');
  });
});

describe('parseDeepLink: hostile and malformed links are rejected with a reason', () => {
  const table: Array<[string, unknown, RegExp]> = [
    ['wrong scheme', `com.evil.app:/oauth2/callback?code=a&state=b`, /wrong scheme/],
    ['javascript: URL', 'javascript:alert(1)//org.chartdesk.desktop:/launch', /not a ChartDesk link|wrong scheme/],
    ['javascript: with a path', 'javascript:/launch?iss=x', /wrong scheme/],
    ['data: URL', 'data:/launch?x', /wrong scheme/],
    ['https URL', 'https://evil.example/launch?iss=https://a&launch=b', /wrong scheme/],
    ['authority form', `org.chartdesk.desktop://launch?iss=${ISS}&launch=a`, /authority/],
    ['triple slash', `org.chartdesk.desktop:///launch?iss=${ISS}&launch=a`, /authority/],
    ['unknown path', `org.chartdesk.desktop:/settings?x=1`, /unknown path/],
    ['path with dot segments', `org.chartdesk.desktop:/oauth2/../launch?iss=${ISS}&launch=a`, /unknown path/],
    ['encoded slash in path', `org.chartdesk.desktop:/oauth2%2Fcallback?code=a&state=b`, /unknown path/],
    ['path prefix trick', `org.chartdesk.desktop:/launchx?iss=${ISS}&launch=a`, /unknown path/],
    ['trailing slash path', `org.chartdesk.desktop:/launch/?iss=${ISS}&launch=a`, /unknown path/],
    ['fragment', `${CB}?code=a&state=b#frag`, /fragment/],
    ['duplicated state', `${CB}?code=a&state=b&state=c`, /more than once/],
    ['duplicated code', `${CB}?code=a&code=b&state=c`, /more than once/],
    ['duplicated iss', `${LAUNCH}?iss=${ISS}&iss=${ISS}&launch=a`, /more than once/],
    ['callback without state', `${CB}?code=a`, /without state/],
    ['callback with empty state', `${CB}?code=a&state=`, /without state/],
    ['callback without code or error', `${CB}?state=a`, /without code or error/],
    ['callback with both code and error', `${CB}?code=a&error=access_denied&state=s`, /both code and error/],
    ['error code with bad characters', `${CB}?error=%22x%22&state=s`, /invalid characters/],
    ['launch without iss', `${LAUNCH}?launch=a`, /without iss/],
    ['launch without launch', `${LAUNCH}?iss=${ISS}`, /without launch/],
    ['http issuer off loopback', `${LAUNCH}?iss=${encodeURIComponent('http://ehr.example.org/fhir')}&launch=a`, /https/],
    ['javascript issuer', `${LAUNCH}?iss=${encodeURIComponent('javascript:alert(1)')}&launch=a`, /https/],
    ['issuer with credentials', `${LAUNCH}?iss=${encodeURIComponent('https://u:p@ehr.example.org/')}&launch=a`, /https/],
    ['issuer with a fragment', `${LAUNCH}?iss=${encodeURIComponent('https://ehr.example.org/#x')}&launch=a`, /https/],
    ['relative issuer', `${LAUNCH}?iss=%2Ffhir&launch=a`, /https/],
    ['callback iss not https', `${CB}?code=a&state=b&iss=ftp%3A%2F%2Fx`, /https/],
    ['over-long link', `${CB}?code=${'a'.repeat(MAX_DEEP_LINK_LENGTH)}&state=b`, /longer than/],
    ['over-long state', `${CB}?code=a&state=${'s'.repeat(600)}`, /too long/],
    ['bad percent-encoding', `${CB}?code=%zz&state=b`, /percent-encoding/],
    ['encoded NUL in a value', `${CB}?code=a%00b&state=s`, /control characters/],
    ['encoded newline in a value', `${LAUNCH}?iss=${ISS}&launch=a%0Ab`, /control characters/],
    ['bidi override in a value', `${LAUNCH}?iss=${ISS}&launch=a%E2%80%AEb`, /control characters/],
    ['raw space', `${CB}?code=a b&state=s`, /whitespace/],
    ['raw newline', `${CB}?code=a&state=s\n`, /whitespace/],
    ['leading space', ` ${CB}?code=a&state=s`, /whitespace/],
    ['empty string', '', /empty/],
    ['not a string', 42, /not a string/],
    ['null', null, /not a string/],
    ['scheme only', 'org.chartdesk.desktop:', /not a ChartDesk link/],
  ];

  it.each(table)('%s', (_name, input, reason) => {
    const result = parseDeepLink(input);
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') expect(result.reason).toMatch(reason);
  });

  it('never repeats a secret value in its reason', () => {
    const secret = 'SECRET-CODE-VALUE';
    const result = parseDeepLink(`${CB}?code=${secret}&code=${secret}&state=x`);
    expect(result.kind === 'rejected' && result.reason).not.toContain(secret);
  });
});

describe('findDeepLinkInArgv', () => {
  it('finds the link wherever the OS put it among other arguments', () => {
    const argv = ['/opt/ChartDesk/chartdesk', '--original-process-start-time=1', `${CB}?code=a&state=b`, '--flag'];
    expect(findDeepLinkInArgv(argv)).toBe(`${CB}?code=a&state=b`);
  });
  it('returns null when there is none', () => {
    expect(findDeepLinkInArgv(['/opt/ChartDesk/chartdesk', '--no-sandbox'])).toBeNull();
  });
});

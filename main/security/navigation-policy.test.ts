import { describe, expect, it } from 'vitest';
import { decideNavigation, isSafeAuthorizationUrl, isSafeExternalUrl } from './navigation-policy';

describe('navigation policy', () => {
  it.each(['app://bundle/index.html', 'app://bundle/', 'app://bundle/#/chart'])('allows %s', (url) => {
    expect(decideNavigation(url)).toBe('allow');
  });
  it.each([
    'https://ehr.example.org/',
    'app://bundle.attacker.com/index.html',
    'app://other/index.html',
    'app://bundle@evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'about:blank',
    'org.chartdesk.desktop:/launch?iss=x&launch=y',
    'not a url',
  ])('denies %s', (url) => {
    expect(decideNavigation(url)).toBe('deny');
  });
});

describe('external links', () => {
  it('accepts plain https', () => expect(isSafeExternalUrl('https://www.hl7.org/fhir/')).toBe(true));
  it.each([
    'http://example.org/',
    'file:///C:/Windows/system32/calc.exe',
    'smb://server/share',
    'javascript:alert(1)',
    'ms-msdt:/id',
    'https://user:pass@example.org/',
    `https://example.org/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => expect(isSafeExternalUrl(url)).toBe(false));
});

describe('authorization URLs handed to the system browser', () => {
  it.each([
    'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/authorize?x=1',
    'http://127.0.0.1:4410/auth?client_id=chartdesk',
    'http://[::1]:4410/auth?client_id=chartdesk',
    'http://localhost:4410/auth?client_id=chartdesk',
  ])('accepts %s', (url) => expect(isSafeAuthorizationUrl(url)).toBe(true));
  it.each([
    'http://ehr.example.org/authorize',
    'file:///tmp/x.html',
    'javascript:alert(1)',
    'org.chartdesk.desktop:/launch',
    'http://user@127.0.0.1/',
  ])('refuses %s', (url) => expect(isSafeAuthorizationUrl(url)).toBe(false));
});

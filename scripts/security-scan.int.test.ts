import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExclusions, scan, unexcused } from './security-scan';

describe('Electronegativity over the sources and the built renderer', () => {
  it('finds nothing outside the reviewed exclusions', () => {
    const remaining = unexcused(scan(), loadExclusions());
    expect(remaining, remaining.map((f) => `${f.check} ${f.file}:${f.line}`).join('\n')).toEqual([]);
  });

  it('reads the bundles that ship, main and preload (.cjs) and the renderer, and finds the calls their sources make', () => {
    const files = new Set(scan().map((finding) => finding.file));
    expect(files).toContain('dist/main/index.js');
  });

  it('flags a deliberately insecure app, so the gate can fail', () => {
    const checks = new Set(scan(path.join(import.meta.dirname, 'fixtures/insecure-electron')).map((f) => f.check));
    for (const expected of [
      'NODE_INTEGRATION_JS_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
    ]) {
      expect(checks.has(expected), expected).toBe(true);
    }
  });

  it('fails when it cannot read a file, instead of passing it unchecked', () => {
    expect(() => scan(path.join(import.meta.dirname, 'fixtures/unreadable-by-electronegativity'))).toThrow(
      /could not read counter\.js/,
    );
  });

  it('refuses an exclusion without a reason', () => {
    const file = path.join(import.meta.dirname, 'fixtures/exclusion-without-reason.json');
    expect(() => loadExclusions(file)).toThrow(/reason/);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The sandbox imports oidc-provider's internal lib/helpers/*, which only an exact version promises to keep. */
describe('oidc-provider', () => {
  it('is pinned to the exact version installed', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const { devDependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const pinned = devDependencies['oidc-provider'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = createRequire(import.meta.url)('oidc-provider/package.json') as { version: string };
    expect(installed.version).toBe(pinned);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererAsset } from './renderer-assets';

const root = path.resolve('/opt/chartdesk/renderer');

describe('renderer asset lookup', () => {
  it('serves index.html for the root', () => {
    expect(resolveRendererAsset(root, '/')).toEqual({
      kind: 'file',
      filePath: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
  });
  it('serves a bundled script', () => {
    expect(resolveRendererAsset(root, '/assets/index-abc.js')).toMatchObject({
      kind: 'file',
      filePath: path.join(root, 'assets/index-abc.js'),
    });
  });
  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2f..%2fetc%2fpasswd',
    '/..%5c..%5cwindows',
    '/a%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (pathname) => {
    expect(resolveRendererAsset(root, pathname).kind).toBe('forbidden');
  });
  it('does not serve unknown file types', () => {
    expect(resolveRendererAsset(root, '/secrets.env').kind).toBe('not-found');
  });
});

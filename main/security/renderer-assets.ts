import path from 'node:path';

export type AssetLookup = { kind: 'file'; filePath: string; contentType: string } | { kind: 'not-found' } | { kind: 'forbidden' };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  // pdf.js's helper files (renderer/vite.config.ts): standard fonts and CMaps, fetched as bytes.
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
};

/**
 * Maps a request path to a file inside the renderer folder. Decoding happens once, then the
 * resolved path must stay inside the root: `..`, encoded slashes and absolute paths are refused.
 */
export function resolveRendererAsset(rootDir: string, urlPathname: string): AssetLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + path.sep)) return { kind: 'forbidden' };
  const contentType = CONTENT_TYPES[path.extname(filePath).toLowerCase()];
  if (!contentType) return { kind: 'not-found' };
  return { kind: 'file', filePath, contentType };
}

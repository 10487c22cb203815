import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { RENDERER_SECURITY_HEADERS } from '../security/content-security-policy';
import { resolveRendererAsset } from '../security/renderer-assets';

/** Must run before `ready`: makes app:// a standard, secure origin so the renderer never needs file://. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from app://bundle/ with the security headers and a traversal guard. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'bundle') return new Response('Not found', { status: 404 });
    const asset = resolveRendererAsset(rendererDir, url.pathname);
    if (asset.kind === 'forbidden') return new Response('Forbidden', { status: 403 });
    if (asset.kind === 'not-found') return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(asset.filePath);
      return new Response(body, { headers: { 'Content-Type': asset.contentType, ...RENDERER_SECURITY_HEADERS } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventContract, EventName } from '../../common/ipc-contract';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../logging/logger';
import { RENDERER_SECURITY_HEADERS } from '../security/content-security-policy';
import { resolveRendererAsset } from '../security/renderer-assets';

/** Everything that leaves main for the renderer, for tests that scan it for secrets. */
export type OutgoingTap = (message: { kind: 'result' | 'event'; name: string; body: string }) => void;

export interface BridgeServerOptions {
  rendererDir: string;
  /** The bundled `preload/browser-bridge.ts`. */
  bridgeScriptPath: string;
  dispatch: Dispatch;
  events: EventHub;
  log: Logger;
  port?: number;
  tap?: OutgoingTap;
}

export interface BridgeServer {
  /** The URL to open: it carries the per-run secret, exchanged at once for a cookie. */
  openUrl: string;
  origin: string;
  close(): Promise<void>;
}

const COOKIE = 'chartdesk_bridge';
const MAX_BODY_BYTES = 1_000_000;

/**
 * The browser view's bridge: the renderer in an ordinary browser tab talks to the real main
 * services through the same dispatcher the Electron IPC uses. Any web page the user visits
 * could call a local port, so it listens on 127.0.0.1 only, checks Host and Origin, and
 * requires the secret minted for this run (first in the URL, then in a SameSite cookie).
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const secret = randomBytes(32).toString('base64url');
  const streams = new Set<http.ServerResponse>();
  let origin = '';

  const hasSecret = (value: string | null | undefined): boolean => {
    if (!value) return false;
    const given = Buffer.from(value);
    const expected = Buffer.from(secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error('bridge.request-failed', { error });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== new URL(origin).host) {
      return send(response, 421, 'text/plain; charset=utf-8', 'Misdirected request');
    }
    if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('k')) {
      if (!hasSecret(url.searchParams.get('k'))) return send(response, 401, 'text/plain; charset=utf-8', 'Wrong link.');
      response.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
        'Referrer-Policy': 'no-referrer',
      });
      return void response.end();
    }
    if (!hasSecret(readCookie(request.headers.cookie, COOKIE))) {
      return send(response, 401, 'text/plain; charset=utf-8', 'Open the link ChartDesk printed when it started.');
    }
    if (url.pathname.startsWith('/bridge/invoke/')) return invoke(request, response, url);
    if (url.pathname === '/bridge/events' && request.method === 'GET') return openEventStream(response);
    if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    if (url.pathname === '/bridge.js') {
      return send(response, 200, 'text/javascript; charset=utf-8', await readFile(options.bridgeScriptPath));
    }
    return serveAsset(response, url.pathname);
  }

  async function invoke(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'POST' || request.headers.origin !== origin) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Forbidden');
    }
    if (!request.headers['content-type']?.startsWith('application/json')) {
      return send(response, 415, 'text/plain; charset=utf-8', 'JSON only');
    }
    const channel = decodeURIComponent(url.pathname.slice('/bridge/invoke/'.length));
    const body = await readBody(request);
    const result =
      body === null
        ? { ok: false, error: { code: 'invalid-input', message: 'Request too large.' } }
        : await options.dispatch(channel, parseJsonOrUndefined(body));
    const json = JSON.stringify(result);
    options.tap?.({ kind: 'result', name: channel, body: json });
    send(response, 200, 'application/json', json);
  }

  function openEventStream(response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    streams.add(response);
    response.on('close', () => streams.delete(response));
  }

  async function serveAsset(response: http.ServerResponse, pathname: string): Promise<void> {
    const asset = resolveRendererAsset(options.rendererDir, pathname);
    if (asset.kind === 'forbidden') return send(response, 403, 'text/plain; charset=utf-8', 'Forbidden');
    if (asset.kind === 'not-found') return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    let body: Buffer;
    try {
      body = await readFile(asset.filePath);
    } catch {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    if (asset.filePath.endsWith('index.html')) {
      // The bridge script stands where Electron's preload would: before any renderer code.
      body = Buffer.from(body.toString('utf8').replace('<head>', '<head>\n    <script src="/bridge.js"></script>'));
    }
    send(response, 200, asset.contentType, body);
  }

  const unsubscribe = options.events.subscribe(<E extends EventName>(event: E, payload: EventContract[E]) => {
    const json = JSON.stringify({ event, payload });
    options.tap?.({ kind: 'event', name: event, body: json });
    for (const stream of streams) stream.write(`data: ${json}\n\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    openUrl: `${origin}/?k=${secret}`,
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: http.ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...RENDERER_SECURITY_HEADERS });
  response.end(body);
}

/** Malformed JSON becomes no arguments at all, which the dispatcher refuses as invalid input. */
function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** Reads the body, or returns null when it is larger than the limit. */
async function readBody(request: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventContract, EventName } from '../../common/ipc-contract';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../logging/logger';
import { RENDERER_SECURITY_HEADERS } from '../security/content-security-policy';
import { resolveRendererAsset } from '../security/renderer-assets';
import { createBridgeAccess } from './bridge-access';
import { createEventReplay } from './event-replay';
import { createRefusalLimiter } from './refusal-limiter';

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
  /** The link printed at start: its one-time code is exchanged, once, for a session cookie. */
  openUrl: string;
  /** Another one-time link, for another browser profile. */
  issueLink(): string;
  /** `http://chartdesk-<random>.localhost:<port>`, made up for this run. */
  origin: string;
  close(): Promise<void>;
}

const COOKIE = 'chartdesk_bridge';
const MAX_BODY_BYTES = 1_000_000;

/**
 * The browser view's bridge: the renderer in an ordinary browser tab talks to the real main
 * services through the same dispatcher the Electron IPC uses. Any web page the user visits
 * could call a local port, so it listens on 127.0.0.1 only, under a host name of its own that
 * it checks exactly, with Origin, and admits only a browser that redeemed a printed link
 * (bridge-access.ts); what it refuses cannot flood the log (refusal-limiter.ts).
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const access = createBridgeAccess();
  const refusals = createRefusalLimiter({ log: options.log });
  const streams = new Set<http.ServerResponse>();
  const replay = createEventReplay();
  let origin = '';
  let host = '';

  /** An unauthenticated request refused: the status and text, or 429 alone once they come too fast. */
  const refuse = (response: http.ServerResponse, status: number, text: string, reason: string) =>
    refusals.refuse(reason)
      ? send(response, status, 'text/plain; charset=utf-8', text)
      : send(response, 429, 'text/plain; charset=utf-8', 'Too many requests');

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error('bridge.request-failed', { error });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.headers.host !== host) return refuse(response, 421, 'Misdirected request', 'host');
    const url = URL.parse(request.url ?? '/', origin);
    if (url === null || !(request.url ?? '').startsWith('/')) return refuse(response, 400, 'Bad request', 'request target');
    if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('k')) {
      const credential = access.redeem(url.searchParams.get('k'));
      if (credential === null) {
        return refuse(response, 401, 'This link is not valid or was used already. Open the link ChartDesk printed.', 'link');
      }
      response.writeHead(303, {
        Location: '/',
        // Host-only (no Domain), on this run's host name: no other local server ever receives it.
        'Set-Cookie': `${COOKIE}=${credential}; HttpOnly; SameSite=Strict; Path=/`,
        'Referrer-Policy': 'no-referrer',
      });
      return void response.end();
    }
    if (!access.admits(readCookie(request.headers.cookie, COOKIE))) {
      return refuse(response, 401, 'Open the link ChartDesk printed when it started.', 'no session');
    }
    if (url.pathname.startsWith('/bridge/invoke/')) return invoke(request, response, url);
    if (url.pathname === '/bridge/events' && request.method === 'GET') return openEventStream(request, response);
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
    if (mediaType(request.headers['content-type']) !== 'application/json') {
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

  /**
   * Main sends each event to the streams open at that moment. A stream that comes back (EventSource says the last
   * event it had) first gets what it missed; one that missed more than is kept is told to start over (`restart`).
   */
  function openEventStream(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    const lastEventId = request.headers['last-event-id'];
    if (typeof lastEventId === 'string') {
      const missed = replay.since(lastEventId);
      if (missed === null) {
        options.log.warn('bridge.events-lost', { lastEventId: lastEventId.slice(0, 20) });
        return void response.end('event: restart\ndata: restart\n\n');
      }
      for (const frame of missed) response.write(frame);
    }
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
    const frame = replay.record(json);
    for (const stream of streams) stream.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `${access.hostname}:${port}`;
  origin = `http://${host}`;
  const issueLink = () => `${origin}/?k=${access.issueCode()}`;

  return {
    origin,
    openUrl: issueLink(),
    issueLink,
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

/** `application/json; charset=utf-8` → `application/json`; anything else as it is, lower-cased. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
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

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEEP_LINK_SCHEME, OAUTH_CALLBACK_PATH } from '../../common/app-identity';

/**
 * The loopback redirect (RFC 8252 §7.3) for EHRs that do not accept a custom scheme: a listener on
 * 127.0.0.1 and a port the OS picks, serving exactly one callback and then closing. The callback is
 * handed on in the custom-scheme form, so that the one deep-link parser checks it.
 */
export interface LoopbackListener {
  redirectUri: string;
  close(): void;
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ChartDesk</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem"><h1>You can close this tab.</h1>
<p>ChartDesk has received the answer from your EHR. Go back to ChartDesk to continue.</p></body></html>`;

export async function startLoopbackListener(
  onCallback: (deepLinkUrl: string) => void,
  options: {
    /**
     * Whether a callback's `state` is the one this sign-in is waiting for. Any local program can call a
     * loopback port: a forged callback must not use up the one the EHR will send.
     */
    expectsState?: (state: string | null) => boolean;
    timeoutMs?: number;
    /** The callback path served: the connection's own (`/oauth2/callback/<name>`) or the shared one. */
    path?: string;
  } = {},
): Promise<LoopbackListener> {
  let served = false;
  const path = options.path ?? OAUTH_CALLBACK_PATH;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (served || request.method !== 'GET' || url.pathname !== path) {
      // Browsers also ask for /favicon.ico: answer without consuming the one callback.
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (options.expectsState && !options.expectsState(url.searchParams.get('state'))) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('This is not the sign-in ChartDesk is waiting for.');
      return;
    }
    served = true;
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'referrer-policy': 'no-referrer',
      connection: 'close',
    });
    response.end(PAGE, () => close());
    onCallback(`${DEEP_LINK_SCHEME}:${path}${url.search}`);
  });
  const timer = setTimeout(() => close(), options.timeoutMs ?? 10 * 60_000);
  timer.unref();
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}${path}`, close };
}

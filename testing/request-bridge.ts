import http from 'node:http';

export interface BridgeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request to the bridge from Node, as any local program could send it, with Host, Origin and cookie as the caller
 * writes them. The bridge lives on a `*.localhost` name that Chromium resolves by itself but Node's resolver does not
 * here, so this goes to 127.0.0.1 with the bridge's Host header unless the caller gives another.
 */
export function requestBridge(
  server: { origin: string },
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<BridgeAnswer> {
  const origin = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: origin.port,
        path,
        method: init.method ?? 'GET',
        headers: { host: origin.host, ...init.headers },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
  authorization: string | null;
  accept: string | null;
}

export type FakeHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface FakeServer {
  origin: string;
  /** origin + "/fhir" */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that records each request and hands it to `handler`. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization ?? null,
      accept: req.headers.accept ?? null,
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    Promise.resolve(handler(req, res, url)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/fhir`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function searchBundle(resources: unknown[], options: { next?: string; total?: number } = {}): unknown {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total === undefined ? {} : { total: options.total }),
    link: options.next ? [{ relation: 'next', url: options.next }] : [],
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

export function operationOutcome(diagnostics: string, severity = 'error'): unknown {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: 'processing', diagnostics }] };
}

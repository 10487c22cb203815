import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CanaryServer {
  /** http://127.0.0.1:<port>: any URL under it is recorded when requested. */
  origin: string;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback server that records every request and answers each with an empty 204: the "remote" server a hostile
 * note points its images, style sheets and scripts at. A request recorded here is content that loaded.
 */
export async function startCanaryServer(): Promise<CanaryServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

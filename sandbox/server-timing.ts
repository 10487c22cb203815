/**
 * Server-Timing (app;dur=<ms>) for responses whose handler does not time itself (the authorization
 * server's and the sandbox's pages), so a client or a benchmark can set its own time against the server's. The FHIR
 * handler writes its own header, which wins over this one.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

export function timeResponse(res: ServerResponse, started = performance.now()): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!this.hasHeader('server-timing')) this.setHeader('Server-Timing', `app;dur=${(performance.now() - started).toFixed(2)}`);
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHub, type EventHub } from '../ipc/event-hub';
import { memoryLogger } from '../logging/testing/memory-logger';
import { type BridgeServer, startBridgeServer } from './bridge-server';
import { type BridgeAnswer, requestBridge } from '../../testing/request-bridge';

/**
 * Issue 14, item 2: the bridge as a local attacker meets it, from Node, where Host, Origin and the cookie are whatever
 * the attacker writes. Requests go to 127.0.0.1 with the Host header of the test's choosing.
 */
let server: BridgeServer;
let log: ReturnType<typeof memoryLogger>;
let events: EventHub;
const dispatched: unknown[] = [];

beforeEach(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-bridge-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  writeFileSync(path.join(dir, 'bridge.js'), '// bridge');
  log = memoryLogger();
  dispatched.length = 0;
  events = createEventHub();
  server = await startBridgeServer({
    rendererDir: dir,
    bridgeScriptPath: path.join(dir, 'bridge.js'),
    dispatch: (channel) => {
      dispatched.push(channel);
      return Promise.resolve({ ok: true, value: 'answered' });
    },
    events,
    log,
  });
});

afterEach(() => server.close());

const send = (options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) =>
  requestBridge(server, options.path, options);

const port = () => new URL(server.origin).port;
const codeOf = (link: string) => new URL(link).searchParams.get('k')!;
const cookieOf = (answer: BridgeAnswer) => answer.headers['set-cookie']![0]!.split(';')[0]!;

async function signedInCookie(): Promise<string> {
  return cookieOf(await send({ path: `/?k=${codeOf(server.issueLink())}` }));
}

describe('the browser view bridge', () => {
  it('lives on a host name made up for this run, and answers no other Host', async () => {
    expect(server.origin).toMatch(/^http:\/\/chartdesk-[0-9a-f]{16}\.localhost:\d+$/);
    expect(new URL(server.openUrl).origin).toBe(server.origin);
    const cookie = await signedInCookie();
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, new URL(server.origin).hostname]) {
      expect((await send({ path: '/', headers: { host, cookie } })).status, host).toBe(421);
    }
    expect((await send({ path: '/', headers: { cookie } })).status).toBe(200);
  });

  it('exchanges a link once, for a host-only session cookie that is not the link code', async () => {
    const code = codeOf(server.openUrl);
    const first = await send({ path: `/?k=${code}` });
    expect(first.status).toBe(303);
    const setCookie = first.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(setCookie).not.toContain(code);
    expect((await send({ path: `/?k=${code}` })).status).toBe(401);
    expect((await send({ path: '/', headers: { cookie: `chartdesk_bridge=${code}` } })).status).toBe(401);
    expect((await send({ path: '/', headers: { cookie: cookieOf(first) } })).status).toBe(200);
  });

  it('takes calls only from its own origin, as exact JSON', async () => {
    const cookie = await signedInCookie();
    const call = (headers: Record<string, string>) =>
      send({ path: '/bridge/invoke/app:info', method: 'POST', headers: { cookie, ...headers }, body: '[]' });
    expect((await call({ origin: 'https://evil.example', 'content-type': 'application/json' })).status).toBe(403);
    for (const type of ['application/json-evil', 'text/plain', 'application/jsonp']) {
      expect((await call({ origin: server.origin, 'content-type': type })).status, type).toBe(415);
    }
    expect((await call({ origin: server.origin, 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    expect(dispatched).toEqual(['app:info']);
  });

  it('cannot be made to fill the log: malformed and unauthenticated requests are counted, then answered 429', async () => {
    const answers: number[] = [];
    for (let index = 0; index < 120; index += 1) {
      answers.push((await send({ path: index % 2 === 0 ? 'http://[x' : '/bridge/events' })).status);
    }
    expect(answers.slice(0, 2)).toEqual([400, 401]);
    expect(answers.slice(-10)).toEqual(Array(10).fill(429));
    expect(log.lines.filter((line) => line.event === 'bridge.request-failed')).toEqual([]);
    expect(log.lines.filter((line) => line.event === 'bridge.refused')).toHaveLength(1);
  });

  it('gives an event stream that comes back what it missed, and tells one that missed more than is kept to start over', async () => {
    const cookie = await signedInCookie();
    const notice = (message: string) => events.emit('app:notice', { level: 'info', message, connectionId: null });
    const first = await openStream(cookie);
    notice('a');
    await first.until('"a"');
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the stream is gone: these reach no page
    notice('b');
    notice('c');
    const lastId = /id: (\d+)\ndata: [^\n]*"a"/.exec(first.text())![1]!;
    const back = await openStream(cookie, lastId);
    notice('d');
    await back.until('"d"');
    expect([...back.text().matchAll(/"message":"(\w)"/g)].map((match) => match[1])).toEqual(['b', 'c', 'd']);
    back.close();
    for (let n = 0; n < 5_000; n += 1) notice('x'.repeat(2_000)); // 10 MB: more than is kept
    const late = await openStream(cookie, lastId);
    await late.ended;
    expect(late.text()).toContain('event: restart\n');
    expect(log.lines.filter((line) => line.event === 'bridge.events-lost')).toHaveLength(1);
  });
});

/** A page's event stream, read as it comes; `lastEventId` is what EventSource sends when it comes back. */
function openStream(cookie: string, lastEventId?: string) {
  const origin = new URL(server.origin);
  let text = '';
  const waiters: Array<() => void> = [];
  return new Promise<{ text(): string; until(part: string): Promise<void>; close(): void; ended: Promise<void> }>(
    (resolve, reject) => {
      const request = http.get(
        {
          host: '127.0.0.1',
          port: origin.port,
          path: '/bridge/events',
          headers: { host: origin.host, cookie, ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
        },
        (response) => {
          const ended = new Promise<void>((done) => response.on('end', done));
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            waiters.splice(0).forEach((wake) => wake());
          });
          resolve({
            text: () => text,
            async until(part) {
              while (!text.includes(part)) await new Promise<void>((wake) => waiters.push(wake));
            },
            close: () => request.destroy(),
            ended,
          });
        },
      );
      request.on('error', reject);
    },
  );
}

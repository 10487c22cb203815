import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logging/testing/memory-logger';
import { createFhirClient } from './fhir-client';
import { createInFlightLimiter } from './in-flight-limiter';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { type FakeServer, operationOutcome, sendJson, startFakeServer } from './testing/fake-http-server';
import { FakeTokens } from './testing/fake-tokens';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = new AbortController().signal;

describe('the in-flight limit of one EHR', () => {
  it('runs at most `limit` tasks at once, in the order they came', async () => {
    const limiter = createInFlightLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_unused, i) =>
        limiter.run(async () => {
          started.push(i);
          running += 1;
          most = Math.max(most, running);
          await tick(5);
          running -= 1;
        }, never),
      ),
    );
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('hands a freed slot to the newest data first, then the rest, older histories last; first come first served within each', async () => {
    const limiter = createInFlightLimiter(1);
    const started: string[] = [];
    let release!: () => void;
    const holding = limiter.run(() => new Promise<void>((resolve) => (release = resolve)), never);
    const queued = (
      [
        ['older-1', 'older'],
        ['normal-1', 'normal'],
        ['newest-1', 'newest'],
        ['normal-2', undefined],
        ['newest-2', 'newest'],
        ['older-2', 'older'],
      ] as const
    ).map(([name, priority]) => limiter.run(async () => void started.push(name), never, priority));
    await tick(1); // the holder has started
    release();
    await Promise.all([holding, ...queued]);
    expect(started).toEqual(['newest-1', 'newest-2', 'normal-1', 'normal-2', 'older-1', 'older-2']);
  });

  it('frees the slot of a failed task, and drops a waiter whose caller gave up', async () => {
    const limiter = createInFlightLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')), never)).rejects.toThrow('boom');
    let release!: () => void;
    const holding = limiter.run(() => new Promise<void>((resolve) => (release = resolve)), never);
    const giveUp = new AbortController();
    const waiting = limiter.run(async () => 'ran', giveUp.signal);
    giveUp.abort(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    const after = limiter.run(async () => 'next', never);
    release();
    await holding;
    await expect(after).resolves.toBe('next');
  });

  it('starts nothing during a pause', async () => {
    const limiter = createInFlightLimiter(4);
    limiter.pauseFor(120);
    const asked = performance.now();
    const startedAfter = await limiter.run(async () => performance.now() - asked, never);
    expect(startedAfter).toBeGreaterThanOrEqual(110);
    expect(() => createInFlightLimiter(0)).toThrow(RangeError);
  });
});

describe('requests to an EHR that throttles', () => {
  /** Answers reads after 30 ms; counts requests in flight; the third request gets 429 with Retry-After: 1. */
  async function throttlingEhr() {
    const arrivals: number[] = [];
    let inFlight = 0;
    let most = 0;
    let refusedAt: number | null = null;
    const server = await startFakeServer(async (_req, res) => {
      const arrival = arrivals.push(performance.now());
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(30);
      inFlight -= 1;
      if (arrival === 3) {
        refusedAt = performance.now();
        return sendJson(res, 429, operationOutcome('too many requests'), { 'retry-after': '1' });
      }
      sendJson(res, 200, { resourceType: 'Patient', id: 'p' });
    });
    servers.push(server);
    return { server, arrivals, most: () => most, refusedAt: () => refusedAt };
  }

  it('keeps to the limit across every client of the connection, and after a 429 sends nothing to the EHR until Retry-After has passed', async () => {
    const ehr = await throttlingEhr();
    const limiter = createInFlightLimiter(3);
    const log = memoryLogger();
    const options = { retry: { ...DEFAULT_RETRY_POLICY, backoffBaseMs: 10 } };
    // Times taken on the client's side of the wire: a loaded machine may take a while to deliver a request or a
    // response, so the server's clock cannot tell when the client learnt of the 429 or chose to send.
    const sentAt: number[] = [];
    let refusalReadAt: number | null = null;
    const watchedFetch: typeof fetch = async (input, init) => {
      sentAt.push(performance.now());
      const response = await fetch(input, init);
      if (response.status === 429) refusalReadAt ??= performance.now();
      return response;
    };
    // Two clients of one connection (two sessions, or two patients' loads) share the limiter.
    const clients = [0, 1].map(() =>
      createFhirClient({ baseUrl: ehr.server.baseUrl, tokens: new FakeTokens(), fetch: watchedFetch, log, limiter, options }),
    );
    const reads = Array.from({ length: 12 }, (_unused, i) => clients[i % 2]!.read('Patient', 'p'));
    await expect(Promise.all(reads)).resolves.toHaveLength(12);
    expect(ehr.most()).toBeLessThanOrEqual(3);
    expect(ehr.refusedAt()).not.toBeNull();
    expect(refusalReadAt).not.toBeNull();
    // A slot freed in the instant the 429 was being read may still send; none is sent during the second it asked for.
    const during = sentAt.filter((at) => at > refusalReadAt! + 150 && at < refusalReadAt! + 900);
    expect(during).toEqual([]);
    expect(ehr.arrivals).toHaveLength(13);
    expect(log.lines.filter((line) => line.event === 'fhir.retry')).toHaveLength(1);
  });
});

/**
 * How many requests ChartDesk has in flight to one EHR at a time, shared by every section and
 * patient of the connection: EHR API gateways throttle an app beyond a few parallel requests
 * (429 with Retry-After), and a throttled request costs a round trip and its wait. A request holds
 * its slot until its body has been read. When the EHR asks to wait (Retry-After), no request to it
 * starts before that time, whichever request was told.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_MAX_REQUESTS_IN_FLIGHT = 4;

export interface InFlightLimiter {
  readonly limit: number;
  /** Runs `task` once a slot is free and any pause is over, first come first served; the slot is held until it settles. */
  run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
  /** The EHR asked to wait `ms` (Retry-After): nothing more is sent to it before then. */
  pauseFor(ms: number): void;
}

export function createInFlightLimiter(limit = DEFAULT_MAX_REQUESTS_IN_FLIGHT, now: () => number = Date.now): InFlightLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the limit on requests in flight must be a positive integer');
  let inFlight = 0;
  let pausedUntil = 0;
  /** Waiters in arrival order; a freed slot is handed to the first, so nobody overtakes. */
  const waiting: Array<() => void> = [];

  async function acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (inFlight < limit && waiting.length === 0) {
      inFlight += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const handOver = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = waiting.indexOf(handOver);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal.reason);
      };
      waiting.push(handOver);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function release(): void {
    const next = waiting.shift();
    if (next)
      next(); // the slot passes on: inFlight stays the same
    else inFlight -= 1;
  }

  return {
    limit,
    async run(task, signal) {
      await acquire(signal);
      try {
        // A pause is waited out holding the slot: nothing may be sent meanwhile anyway, and the order is kept.
        for (let wait = pausedUntil - now(); wait > 0; wait = pausedUntil - now()) await sleep(wait, undefined, { signal });
        return await task();
      } finally {
        release();
      }
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

/**
 * How many requests ChartDesk has in flight to one EHR at a time, shared by every section and
 * patient of the connection: EHR API gateways throttle an app beyond a few parallel requests
 * (429 with Retry-After), and a throttled request costs a round trip and its wait. A request holds
 * its slot until its body has been read. When the EHR asks to wait (Retry-After), no request to it
 * starts before that time, whichever request was told. A freed slot goes to the waiting request that
 * brings the newest data: the clinician's latest vitals and labs do not queue behind a decade of
 * older ones.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_MAX_REQUESTS_IN_FLIGHT = 4;
/** The most IT policy may allow (`maxRequestsInFlight`). */
export const MOST_REQUESTS_IN_FLIGHT = 16;

/**
 * Which waiting request a freed slot goes to first: `newest` (the newest page or window of a
 * history, the last year), then `normal` (everything else), then `older` (the rest of a history).
 * Within one priority, first come first served.
 */
export type RequestPriority = 'newest' | 'normal' | 'older';
const RANK: Record<RequestPriority, number> = { newest: 0, normal: 1, older: 2 };

export interface InFlightLimiter {
  readonly limit: number;
  /** Runs `task` once a slot is free and any pause is over, by priority then arrival; the slot is held until it settles. */
  run<T>(task: () => Promise<T>, signal: AbortSignal, priority?: RequestPriority): Promise<T>;
  /** The EHR asked to wait `ms` (Retry-After): nothing more is sent to it before then. */
  pauseFor(ms: number): void;
}

export function createInFlightLimiter(limit = DEFAULT_MAX_REQUESTS_IN_FLIGHT, now: () => number = Date.now): InFlightLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the limit on requests in flight must be a positive integer');
  let inFlight = 0;
  let pausedUntil = 0;
  /** Waiters by priority, in arrival order within one; a freed slot is handed to the first. */
  const waiting: Array<{ rank: number; handOver: () => void }> = [];

  async function acquire(signal: AbortSignal, rank: number): Promise<void> {
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
      const waiter = { rank, handOver };
      const onAbort = () => {
        const index = waiting.indexOf(waiter);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal.reason);
      };
      // After every waiter of the same or a more urgent priority: nobody overtakes their equal.
      const behind = waiting.findIndex((other) => other.rank > rank);
      waiting.splice(behind < 0 ? waiting.length : behind, 0, waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function release(): void {
    const next = waiting.shift();
    if (next)
      next.handOver(); // the slot passes on: inFlight stays the same
    else inFlight -= 1;
  }

  return {
    limit,
    async run(task, signal, priority = 'normal') {
      await acquire(signal, RANK[priority]);
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
